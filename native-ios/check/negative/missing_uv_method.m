// Negative control: must FAIL the syntax check (-Werror): a user-verified key
// store that does not implement the gobind protocol's signing method.
// expect-error: method 'signWithUserVerification:digest:prompt:error:' in protocol 'OMABridgeUserVerifiedKeyStore' not implemented
#import <OmaBridge/OMABridge.objc.h>

@interface OMAIncompleteBiometricKeyStore : NSObject <OMABridgeUserVerifiedKeyStore>
@end

@implementation OMAIncompleteBiometricKeyStore
- (NSString *)biometricAvailable { return @""; }
- (NSData *)generateUserVerifiedKey:(NSString *)alias error:(NSError **)error { return nil; }
- (BOOL)deleteUserVerifiedKey:(NSString *)alias error:(NSError **)error { return YES; }
@end
