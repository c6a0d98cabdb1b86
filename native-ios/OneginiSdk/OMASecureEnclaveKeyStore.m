#import "OMASecureEnclaveKeyStore.h"
#import <Security/Security.h>

static NSError *OMAKeyError(NSString *what, CFErrorRef _Nullable cf) {
  NSError *cause = (__bridge_transfer NSError *)cf;
  NSString *msg = [NSString stringWithFormat:@"keystore: %@", what];
  NSMutableDictionary *info = [@{NSLocalizedDescriptionKey : msg} mutableCopy];
  if (cause != nil) info[NSUnderlyingErrorKey] = cause;
  return [NSError errorWithDomain:@"org.openmobileauth.oma.keystore" code:(cause ? cause.code : -1) userInfo:info];
}

@implementation OMASecureEnclaveKeyStore {
  NSString *_prefix;
}

- (instancetype)init {
  return [self initWithTagPrefix:@"org.openmobileauth.oma.key."];
}

- (instancetype)initWithTagPrefix:(NSString *)prefix {
  if ((self = [super init])) {
    _prefix = [prefix copy];
  }
  return self;
}

- (NSData *)tagFor:(NSString *)alias {
  return [[_prefix stringByAppendingString:alias ?: @""] dataUsingEncoding:NSUTF8StringEncoding];
}

- (NSDictionary *)keyQuery:(NSString *)alias {
  return @{
    (__bridge id)kSecClass : (__bridge id)kSecClassKey,
    (__bridge id)kSecAttrApplicationTag : [self tagFor:alias],
    (__bridge id)kSecAttrKeyType : (__bridge id)kSecAttrKeyTypeECSECPrimeRandom,
    (__bridge id)kSecReturnRef : @(YES),
  };
}

- (SecKeyRef _Nullable)copyPrivateKey:(NSString *)alias CF_RETURNS_RETAINED {
  CFTypeRef key = NULL;
  if (SecItemCopyMatching((__bridge CFDictionaryRef)[self keyQuery:alias], &key) != errSecSuccess) return NULL;
  return (SecKeyRef)key;
}

- (NSData *_Nullable)generateKey:(NSString *_Nullable)alias error:(NSError *_Nullable *_Nullable)error {
  [self deleteKey:alias error:NULL];
  CFErrorRef cfError = NULL;
  NSMutableDictionary *privateAttrs = [@{
    (__bridge id)kSecAttrIsPermanent : @(YES),
    (__bridge id)kSecAttrApplicationTag : [self tagFor:alias],
  } mutableCopy];
  NSMutableDictionary *attrs = [@{
    (__bridge id)kSecAttrKeyType : (__bridge id)kSecAttrKeyTypeECSECPrimeRandom,
    (__bridge id)kSecAttrKeySizeInBits : @256,
  } mutableCopy];
#if TARGET_OS_SIMULATOR
  // No Secure Enclave: a software key in the Keychain.
  privateAttrs[(__bridge id)kSecAttrAccessible] = (__bridge id)kSecAttrAccessibleWhenUnlockedThisDeviceOnly;
#else
  SecAccessControlRef access = SecAccessControlCreateWithFlags(
      kCFAllocatorDefault, kSecAttrAccessibleWhenUnlockedThisDeviceOnly, kSecAccessControlPrivateKeyUsage, &cfError);
  if (access == NULL) {
    if (error) *error = OMAKeyError(@"access control", cfError);
    return nil;
  }
  privateAttrs[(__bridge id)kSecAttrAccessControl] = (__bridge_transfer id)access;
  attrs[(__bridge id)kSecAttrTokenID] = (__bridge id)kSecAttrTokenIDSecureEnclave;
#endif
  attrs[(__bridge id)kSecPrivateKeyAttrs] = privateAttrs;
  SecKeyRef key = SecKeyCreateRandomKey((__bridge CFDictionaryRef)attrs, &cfError);
  if (key == NULL) {
    if (error) *error = OMAKeyError(@"key generation failed", cfError);
    return nil;
  }
  NSData *pub = [self exportPublic:key error:error];
  CFRelease(key);
  return pub;
}

- (NSData *_Nullable)exportPublic:(SecKeyRef)privateKey error:(NSError *_Nullable *_Nullable)error {
  SecKeyRef pub = SecKeyCopyPublicKey(privateKey);
  if (pub == NULL) {
    if (error) *error = OMAKeyError(@"no public key", NULL);
    return nil;
  }
  CFErrorRef cfError = NULL;
  CFDataRef raw = SecKeyCopyExternalRepresentation(pub, &cfError); // 04 || X || Y (X9.63)
  CFRelease(pub);
  if (raw == NULL) {
    if (error) *error = OMAKeyError(@"public key export failed", cfError);
    return nil;
  }
  return (__bridge_transfer NSData *)raw;
}

- (NSData *_Nullable)publicKey:(NSString *_Nullable)alias error:(NSError *_Nullable *_Nullable)error {
  SecKeyRef key = [self copyPrivateKey:alias];
  if (key == NULL) {
    if (error) *error = OMAKeyError(@"no key for this alias", NULL);
    return nil;
  }
  NSData *pub = [self exportPublic:key error:error];
  CFRelease(key);
  return pub;
}

- (NSData *_Nullable)sign:(NSString *_Nullable)alias digest:(NSData *_Nullable)digest error:(NSError *_Nullable *_Nullable)error {
  if (digest.length != 32) {
    if (error) *error = OMAKeyError(@"digest must be 32 bytes (SHA-256)", NULL);
    return nil;
  }
  SecKeyRef key = [self copyPrivateKey:alias];
  if (key == NULL) {
    if (error) *error = OMAKeyError(@"no key for this alias", NULL);
    return nil;
  }
  CFErrorRef cfError = NULL;
  CFDataRef sig = SecKeyCreateSignature(key, kSecKeyAlgorithmECDSASignatureDigestX962SHA256, (__bridge CFDataRef)digest, &cfError);
  CFRelease(key);
  if (sig == NULL) {
    if (error) *error = OMAKeyError(@"signing failed", cfError);
    return nil;
  }
  return (__bridge_transfer NSData *)sig; // DER (X9.62) ECDSA signature
}

- (BOOL)deleteKey:(NSString *_Nullable)alias error:(NSError *_Nullable *_Nullable)error {
  NSDictionary *q = @{
    (__bridge id)kSecClass : (__bridge id)kSecClassKey,
    (__bridge id)kSecAttrApplicationTag : [self tagFor:alias],
  };
  OSStatus status = SecItemDelete((__bridge CFDictionaryRef)q);
  if (status != errSecSuccess && status != errSecItemNotFound) {
    if (error) *error = OMAKeyError([NSString stringWithFormat:@"delete failed (%d)", (int)status], NULL);
    return NO;
  }
  return YES;
}
@end
