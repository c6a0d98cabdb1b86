// A Cordova app's use of the `onegini` global, typed from the package.
type Onegini = typeof import('@openmobileauth/react-native-sdk/cordova');

export function scan(api: Onegini, otp: string): Promise<void> {
  return api.mobileAuth.otp
    .handleRequest({ otp })
    .onConfirmationRequest((actions, request) => {
      void (request.message.length > 0 ? actions.accept() : actions.deny());
    })
    .onError((err) => console.error(err.code, err.description))
    .then(() => undefined);
}
