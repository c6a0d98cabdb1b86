#import "OMAKeychainStorage.h"
#import <Security/Security.h>

static NSError *OMAKeychainError(OSStatus status, NSString *what) {
  return [NSError errorWithDomain:@"org.openmobileauth.oma.keychain"
                             code:status
                         userInfo:@{NSLocalizedDescriptionKey : [NSString stringWithFormat:@"keychain %@ failed (%d)", what, (int)status]}];
}

@implementation OMAKeychainStorage {
  NSString *_service;
}

- (instancetype)init {
  return [self initWithService:@"org.openmobileauth.oma.storage"];
}

- (instancetype)initWithService:(NSString *)service {
  if ((self = [super init])) {
    _service = [service copy];
  }
  return self;
}

- (NSMutableDictionary *)queryFor:(NSString *)key {
  return [@{
    (__bridge id)kSecClass : (__bridge id)kSecClassGenericPassword,
    (__bridge id)kSecAttrService : _service,
    (__bridge id)kSecAttrAccount : key,
  } mutableCopy];
}

- (NSData *_Nullable)get:(NSString *_Nullable)key error:(NSError *_Nullable *_Nullable)error {
  NSMutableDictionary *q = [self queryFor:key ?: @""];
  q[(__bridge id)kSecReturnData] = @(YES);
  q[(__bridge id)kSecMatchLimit] = (__bridge id)kSecMatchLimitOne;
  CFTypeRef result = NULL;
  OSStatus status = SecItemCopyMatching((__bridge CFDictionaryRef)q, &result);
  if (status == errSecItemNotFound) return nil; // absent: nil and no error
  if (status != errSecSuccess) {
    if (error) *error = OMAKeychainError(status, @"read");
    return nil;
  }
  return (__bridge_transfer NSData *)result;
}

- (BOOL)set:(NSString *_Nullable)key value:(NSData *_Nullable)value error:(NSError *_Nullable *_Nullable)error {
  NSMutableDictionary *q = [self queryFor:key ?: @""];
  NSDictionary *update = @{(__bridge id)kSecValueData : value ?: [NSData data]};
  OSStatus status = SecItemUpdate((__bridge CFDictionaryRef)q, (__bridge CFDictionaryRef)update);
  if (status == errSecItemNotFound) {
    q[(__bridge id)kSecValueData] = value ?: [NSData data];
    q[(__bridge id)kSecAttrAccessible] = (__bridge id)kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly;
    status = SecItemAdd((__bridge CFDictionaryRef)q, NULL);
  }
  if (status != errSecSuccess) {
    if (error) *error = OMAKeychainError(status, @"write");
    return NO;
  }
  return YES;
}

- (BOOL)delete:(NSString *_Nullable)key error:(NSError *_Nullable *_Nullable)error {
  OSStatus status = SecItemDelete((__bridge CFDictionaryRef)[self queryFor:key ?: @""]);
  if (status != errSecSuccess && status != errSecItemNotFound) {
    if (error) *error = OMAKeychainError(status, @"delete");
    return NO;
  }
  return YES;
}
@end
