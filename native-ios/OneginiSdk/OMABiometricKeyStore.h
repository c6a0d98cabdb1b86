// The biometric authenticator's key store (issue 15): the core's
// user-verified key store on iOS. P-256 keys in the Secure Enclave under the
// access control WhenPasscodeSetThisDeviceOnly + PrivateKeyUsage +
// BiometryCurrentSet (any change of the enrolled fingers or face makes the key
// unusable for good); signing (kSecKeyAlgorithmECDSASignatureDigestX962SHA256
// over the core's SHA-256 digest, DER signature) goes through an LAContext
// whose localizedReason is the core's prompt, passed as
// kSecUseAuthenticationContext: SecKeyCreateSignature shows the system's Face
// ID / Touch ID sheet and blocks the calling thread (the core's Go thread,
// never the main thread: a call on the main thread is refused) until it ends.
// Public keys are the 65-byte X9.63 point.
//
// Outcomes reach the core as NSErrors whose localizedDescription starts with a
// UV code (gobind hands it to Go as the error's message):
//   key missing, or the enrolled biometrics changed since it was made → UV_KEY_INVALIDATED
//   LAErrorBiometryLockout → UV_LOCKOUT
//   LAErrorUserCancel, LAErrorSystemCancel, LAErrorAppCancel, LAErrorUserFallback,
//     errSecUserCanceled → UV_CANCELED
//   LAErrorAuthenticationFailed, errSecAuthFailed (the sheet gave up after its own
//     retries) → UV_FAILED (the core may prompt again, at most 5 times)
//   LAErrorBiometryNotAvailable, LAErrorBiometryNotEnrolled, LAErrorPasscodeNotSet → UV_NOT_AVAILABLE
// A changed enrollment is told apart from a refused finger by the biometric
// domain state (LAContext.evaluatedPolicyDomainState) saved with the key.
//
// On the simulator (no Secure Enclave) the key is a software Keychain key under
// BiometryCurrentSet alone.
#import <Foundation/Foundation.h>
#import <OmaBridge/OMABridge.objc.h>

NS_ASSUME_NONNULL_BEGIN

/// The UV codes of the core's user-verified key store contract.
FOUNDATION_EXPORT NSString *const OMAUVFailed;         // UV_FAILED
FOUNDATION_EXPORT NSString *const OMAUVCanceled;       // UV_CANCELED
FOUNDATION_EXPORT NSString *const OMAUVLockout;        // UV_LOCKOUT
FOUNDATION_EXPORT NSString *const OMAUVKeyInvalidated; // UV_KEY_INVALIDATED
FOUNDATION_EXPORT NSString *const OMAUVNotAvailable;   // UV_NOT_AVAILABLE

@interface OMABiometricKeyStore : NSObject <OMABridgeUserVerifiedKeyStore>
- (instancetype)init;
/// prefix: the Keychain application tag prefix of the keys; storage keeps each
/// key's biometric domain state.
- (instancetype)initWithTagPrefix:(NSString *)prefix storage:(id<OMABridgeSecureStorage>)storage NS_DESIGNATED_INITIALIZER;
/// The UV code an LocalAuthentication or Security error of a prompt maps to, or
/// nil when the error is none of them (the core then answers 9030).
+ (nullable NSString *)uvCodeForError:(nullable NSError *)error;
/// Ends every open prompt (their calls answer UV_CANCELED) and refuses new
/// ones: the core is stopping.
- (void)close;
@end

NS_ASSUME_NONNULL_END
