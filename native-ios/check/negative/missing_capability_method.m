// Negative control: must FAIL the syntax check (-Werror): a key store that
// does not implement the gobind protocol's -sign:digest:error:.
// expect-error: method 'sign:digest:error:' in protocol 'OMABridgeKeyStore' not implemented
#import <OmaBridge/OMABridge.objc.h>

@interface OMAIncompleteKeyStore : NSObject <OMABridgeKeyStore>
@end

@implementation OMAIncompleteKeyStore
- (BOOL)deleteKey:(NSString *)alias error:(NSError **)error { return YES; }
- (NSData *)generateKey:(NSString *)alias error:(NSError **)error { return nil; }
- (NSData *)publicKey:(NSString *)alias error:(NSError **)error { return nil; }
@end
