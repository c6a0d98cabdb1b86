# CocoaPods spec of the React Native iOS module (autolinked via react-native.config.js).
# The Go core comes as native-ios/OmaBridge.xcframework, built on macOS by
# scripts/build-ios.sh (gomobile bind); the Cordova plugin files are not part of it.
require "json"

package = JSON.parse(File.read(File.join(__dir__, "package.json")))

Pod::Spec.new do |s|
  s.name         = "OneginiSdk"
  s.version      = package["version"]
  s.summary      = package["description"]
  s.homepage     = "https://github.com/openmobileauth/oma"
  s.license      = { :type => "Apache-2.0" }
  s.authors      = { "openmobileauth" => "dev@openmobileauth.invalid" }
  s.platforms    = { :ios => "13.4" }
  s.source       = { :git => "https://github.com/openmobileauth/oma.git", :tag => "v#{s.version}" }

  s.source_files = "native-ios/OneginiSdk/*.{h,m}"
  s.exclude_files = "native-ios/OneginiSdk/OneginiSdkPlugin.{h,m}"
  s.vendored_frameworks = "native-ios/OmaBridge.xcframework"
  s.frameworks = "Security", "LocalAuthentication"
  s.requires_arc = true

  # React Native's helper adds React-Core and, with the new architecture, the
  # codegen/TurboModule dependencies (the module is served through the interop layer).
  if respond_to?(:install_modules_dependencies, true)
    install_modules_dependencies(s)
  else
    s.dependency "React-Core"
  end
end
