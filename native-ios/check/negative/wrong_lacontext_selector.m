// Negative control: must FAIL the syntax check: LAContext has no
// -canEvaluatePolicy: without error: (the LocalAuthentication shim declares
// Apple's API exactly, so a misspelt call cannot pass).
// expect-error: no visible @interface for 'LAContext' declares the selector 'canEvaluatePolicy:'
#import <LocalAuthentication/LocalAuthentication.h>

BOOL OMANegativeAvailable(void) {
  LAContext *ctx = [[LAContext alloc] init];
  return [ctx canEvaluatePolicy:LAPolicyDeviceOwnerAuthenticationWithBiometrics];
}
