// The hardware key store capability: P-256 keys in the Secure Enclave (a
// software Keychain key on the simulator, which has no Secure Enclave). Public
// keys are returned as the 65-byte X9.63 point; signatures are DER ECDSA over the
// SHA-256 digest the core hands in (kSecKeyAlgorithmECDSASignatureDigestX962SHA256).
#import <Foundation/Foundation.h>
#import <OmaBridge/OMABridge.objc.h>

NS_ASSUME_NONNULL_BEGIN

@interface OMASecureEnclaveKeyStore : NSObject <OMABridgeKeyStore>
- (instancetype)init;
- (instancetype)initWithTagPrefix:(NSString *)prefix NS_DESIGNATED_INITIALIZER;
@end

NS_ASSUME_NONNULL_END
