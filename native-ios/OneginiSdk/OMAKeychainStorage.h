// The secure storage capability on the iOS Keychain: one generic-password item
// per key, readable only on this device after the first unlock.
#import <Foundation/Foundation.h>
#import <OmaBridge/OMABridge.objc.h>

NS_ASSUME_NONNULL_BEGIN

@interface OMAKeychainStorage : NSObject <OMABridgeSecureStorage>
- (instancetype)init;
- (instancetype)initWithService:(NSString *)service NS_DESIGNATED_INITIALIZER;
@end

NS_ASSUME_NONNULL_END
