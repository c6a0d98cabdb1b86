// React Native autolinking for this package (used by apps that depend on it).
// Android: the Gradle library in native-android/ (package OneginiSdkPackage).
// iOS: OneginiSdk.podspec at the package root (the Objective-C module in
// native-ios/OneginiSdk and the Go core's xcframework).
module.exports = {
  dependency: {
    platforms: {
      android: {
        sourceDir: './native-android',
        packageImportPath: 'import org.openmobileauth.oma.reactnative.OneginiSdkPackage;',
        packageInstance: 'new OneginiSdkPackage()',
      },
      ios: {
        podspecPath: require('path').join(__dirname, 'OneginiSdk.podspec'),
      },
    },
  },
};
