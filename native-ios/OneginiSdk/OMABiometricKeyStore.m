#import "OMABiometricKeyStore.h"
#import "OMAKeychainStorage.h"
#import <LocalAuthentication/LocalAuthentication.h>
#import <Security/Security.h>

NSString *const OMAUVFailed = @"UV_FAILED";
NSString *const OMAUVCanceled = @"UV_CANCELED";
NSString *const OMAUVLockout = @"UV_LOCKOUT";
NSString *const OMAUVKeyInvalidated = @"UV_KEY_INVALIDATED";
NSString *const OMAUVNotAvailable = @"UV_NOT_AVAILABLE";

static NSString *const OMABiometricErrorDomain = @"org.openmobileauth.oma.biometric";

/// An error whose description starts with code (a UV code) or "biometric:" (anything else).
static NSError *OMAUVError(NSString *_Nullable code, NSString *detail, NSError *_Nullable cause) {
  NSString *msg = code ? [NSString stringWithFormat:@"%@: %@", code, detail] : [NSString stringWithFormat:@"biometric: %@", detail];
  NSMutableDictionary *info = [@{NSLocalizedDescriptionKey : msg} mutableCopy];
  if (cause != nil) info[NSUnderlyingErrorKey] = cause;
  return [NSError errorWithDomain:OMABiometricErrorDomain code:(cause ? cause.code : -1) userInfo:info];
}

@implementation OMABiometricKeyStore {
  NSString *_prefix;
  id<OMABridgeSecureStorage> _storage;
  NSHashTable<LAContext *> *_open; // contexts of prompts still running
  BOOL _closed;
}

- (instancetype)init {
  return [self initWithTagPrefix:@"org.openmobileauth.oma.uvkey."
                         storage:[[OMAKeychainStorage alloc] initWithService:@"org.openmobileauth.oma.uvkey"]];
}

- (instancetype)initWithTagPrefix:(NSString *)prefix storage:(id<OMABridgeSecureStorage>)storage {
  if ((self = [super init])) {
    _prefix = [prefix copy];
    _storage = storage;
    _open = [NSHashTable weakObjectsHashTable];
  }
  return self;
}

+ (NSString *)uvCodeForError:(NSError *)error {
  if (error == nil) return nil;
  if ([error.domain isEqualToString:LAErrorDomain]) {
    switch (error.code) {
    case LAErrorBiometryLockout:
      return OMAUVLockout;
    case LAErrorUserCancel:
    case LAErrorSystemCancel:
    case LAErrorAppCancel:
    case LAErrorUserFallback:
      return OMAUVCanceled;
    case LAErrorAuthenticationFailed:
      return OMAUVFailed;
    case LAErrorBiometryNotAvailable:
    case LAErrorBiometryNotEnrolled:
    case LAErrorPasscodeNotSet:
      return OMAUVNotAvailable;
    default:
      return nil;
    }
  }
  if ([error.domain isEqualToString:NSOSStatusErrorDomain]) {
    switch (error.code) {
    case errSecUserCanceled:
      return OMAUVCanceled;
    case errSecAuthFailed:
      return OMAUVFailed;
    case errSecItemNotFound:
      return OMAUVKeyInvalidated;
    default:
      return nil;
    }
  }
  // Security wraps LocalAuthentication's error: map the cause.
  NSError *under = error.userInfo[NSUnderlyingErrorKey];
  return under != error ? [self uvCodeForError:under] : nil;
}

- (NSData *)tagFor:(NSString *)alias {
  return [[_prefix stringByAppendingString:alias ?: @""] dataUsingEncoding:NSUTF8StringEncoding];
}

- (NSString *)domainStateKey:(NSString *)alias {
  return [@"domain-state." stringByAppendingString:alias ?: @""];
}

- (NSString *)biometricAvailable {
  LAContext *ctx = [[LAContext alloc] init];
  NSError *err = nil;
  if ([ctx canEvaluatePolicy:LAPolicyDeviceOwnerAuthenticationWithBiometrics error:&err]) return @"";
  return [[OMABiometricKeyStore uvCodeForError:err] isEqualToString:OMAUVLockout] ? OMAUVLockout : OMAUVNotAvailable;
}

- (NSData *_Nullable)generateUserVerifiedKey:(NSString *_Nullable)alias error:(NSError *_Nullable *_Nullable)error {
  LAContext *ctx = [[LAContext alloc] init];
  NSError *laError = nil;
  if (![ctx canEvaluatePolicy:LAPolicyDeviceOwnerAuthenticationWithBiometrics error:&laError]) {
    if (error) *error = OMAUVError(OMAUVNotAvailable, @"no strong biometric can be used on this device", laError);
    return nil;
  }
  NSData *domainState = ctx.evaluatedPolicyDomainState;
  [self deleteUserVerifiedKey:alias error:NULL];
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
  // No Secure Enclave: a software Keychain key behind the same biometry.
  SecAccessControlCreateFlags flags = kSecAccessControlBiometryCurrentSet;
#else
  SecAccessControlCreateFlags flags = kSecAccessControlPrivateKeyUsage | kSecAccessControlBiometryCurrentSet;
  attrs[(__bridge id)kSecAttrTokenID] = (__bridge id)kSecAttrTokenIDSecureEnclave;
#endif
  SecAccessControlRef access =
      SecAccessControlCreateWithFlags(kCFAllocatorDefault, kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly, flags, &cfError);
  if (access == NULL) {
    if (error) *error = OMAUVError(nil, @"access control", (__bridge_transfer NSError *)cfError);
    return nil;
  }
  privateAttrs[(__bridge id)kSecAttrAccessControl] = (__bridge_transfer id)access;
  attrs[(__bridge id)kSecPrivateKeyAttrs] = privateAttrs;
  SecKeyRef key = SecKeyCreateRandomKey((__bridge CFDictionaryRef)attrs, &cfError);
  if (key == NULL) {
    if (error) *error = OMAUVError(nil, @"key generation failed", (__bridge_transfer NSError *)cfError);
    return nil;
  }
  SecKeyRef pub = SecKeyCopyPublicKey(key);
  CFRelease(key);
  if (pub == NULL) {
    if (error) *error = OMAUVError(nil, @"no public key", nil);
    return nil;
  }
  CFDataRef raw = SecKeyCopyExternalRepresentation(pub, &cfError); // 04 || X || Y (X9.63)
  CFRelease(pub);
  if (raw == NULL) {
    if (error) *error = OMAUVError(nil, @"public key export failed", (__bridge_transfer NSError *)cfError);
    return nil;
  }
  if (domainState != nil && ![_storage set:[self domainStateKey:alias] value:domainState error:error]) return nil;
  return (__bridge_transfer NSData *)raw;
}

- (NSData *_Nullable)signWithUserVerification:(NSString *_Nullable)alias
                                       digest:(NSData *_Nullable)digest
                                       prompt:(NSString *_Nullable)prompt
                                        error:(NSError *_Nullable *_Nullable)error {
  if (digest.length != 32) {
    if (error) *error = OMAUVError(nil, @"digest must be 32 bytes (SHA-256)", nil);
    return nil;
  }
  if ([NSThread isMainThread]) {
    // The sheet needs the main thread free; the core never calls from it.
    if (error) *error = OMAUVError(nil, @"called on the main thread", nil);
    return nil;
  }
  LAContext *ctx = [[LAContext alloc] init];
  ctx.localizedReason = prompt.length > 0 ? prompt : @" ";
  ctx.localizedFallbackTitle = @""; // biometry only: no "Enter Password" button
  NSError *laError = nil;
  BOOL usable = [ctx canEvaluatePolicy:LAPolicyDeviceOwnerAuthenticationWithBiometrics error:&laError];
  NSData *saved = [_storage get:[self domainStateKey:alias] error:NULL];
  if (usable && saved.length > 0 && ctx.evaluatedPolicyDomainState != nil && ![saved isEqualToData:ctx.evaluatedPolicyDomainState]) {
    if (error) *error = OMAUVError(OMAUVKeyInvalidated, @"the enrolled biometrics changed since the key was made", nil);
    return nil;
  }
  if (!usable) {
    NSString *code = [OMABiometricKeyStore uvCodeForError:laError];
    if (error) *error = OMAUVError(code ?: OMAUVNotAvailable, @"no strong biometric can be used now", laError);
    return nil;
  }
  @synchronized(self) {
    if (_closed) {
      if (error) *error = OMAUVError(OMAUVCanceled, @"the SDK is stopping", nil);
      return nil;
    }
    [_open addObject:ctx];
  }
  NSData *sig = [self sign:alias digest:digest context:ctx error:error];
  @synchronized(self) {
    [_open removeObject:ctx];
  }
  return sig;
}

- (NSData *_Nullable)sign:(NSString *)alias digest:(NSData *)digest context:(LAContext *)ctx error:(NSError *_Nullable *_Nullable)error {
  NSDictionary *q = @{
    (__bridge id)kSecClass : (__bridge id)kSecClassKey,
    (__bridge id)kSecAttrApplicationTag : [self tagFor:alias],
    (__bridge id)kSecAttrKeyType : (__bridge id)kSecAttrKeyTypeECSECPrimeRandom,
    (__bridge id)kSecReturnRef : @(YES),
    (__bridge id)kSecUseAuthenticationContext : ctx,
  };
  CFTypeRef found = NULL;
  OSStatus status = SecItemCopyMatching((__bridge CFDictionaryRef)q, &found);
  if (status == errSecItemNotFound) {
    // BiometryCurrentSet: a key whose biometric set changed may be gone altogether.
    if (error) *error = OMAUVError(OMAUVKeyInvalidated, @"the biometric key is gone", nil);
    return nil;
  }
  if (status != errSecSuccess || found == NULL) {
    NSError *cause = [NSError errorWithDomain:NSOSStatusErrorDomain code:status userInfo:nil];
    NSString *code = [OMABiometricKeyStore uvCodeForError:cause];
    if (error) *error = OMAUVError(code, [NSString stringWithFormat:@"key lookup failed (%d)", (int)status], cause);
    return nil;
  }
  SecKeyRef key = (SecKeyRef)found;
  CFErrorRef cfError = NULL;
  // Shows the biometric sheet (ctx.localizedReason) and blocks until it ends.
  CFDataRef sig = SecKeyCreateSignature(key, kSecKeyAlgorithmECDSASignatureDigestX962SHA256, (__bridge CFDataRef)digest, &cfError);
  CFRelease(key);
  if (sig == NULL) {
    NSError *cause = (__bridge_transfer NSError *)cfError;
    NSString *code = [OMABiometricKeyStore uvCodeForError:cause];
    if ([code isEqualToString:OMAUVKeyInvalidated] == NO && [self enrollmentChanged:alias]) code = OMAUVKeyInvalidated;
    if (error) *error = OMAUVError(code, @"signing failed", cause);
    return nil;
  }
  return (__bridge_transfer NSData *)sig; // DER (X9.62) ECDSA signature
}

/// Whether the enrolled biometrics differ from those the key was made with.
- (BOOL)enrollmentChanged:(NSString *)alias {
  NSData *saved = [_storage get:[self domainStateKey:alias] error:NULL];
  LAContext *ctx = [[LAContext alloc] init];
  if (saved.length == 0 || ![ctx canEvaluatePolicy:LAPolicyDeviceOwnerAuthenticationWithBiometrics error:NULL]) return NO;
  return ctx.evaluatedPolicyDomainState != nil && ![saved isEqualToData:ctx.evaluatedPolicyDomainState];
}

- (BOOL)deleteUserVerifiedKey:(NSString *_Nullable)alias error:(NSError *_Nullable *_Nullable)error {
  NSDictionary *q = @{
    (__bridge id)kSecClass : (__bridge id)kSecClassKey,
    (__bridge id)kSecAttrApplicationTag : [self tagFor:alias],
  };
  OSStatus status = SecItemDelete((__bridge CFDictionaryRef)q);
  [_storage delete:[self domainStateKey:alias] error:NULL];
  if (status != errSecSuccess && status != errSecItemNotFound) {
    if (error) *error = OMAUVError(nil, [NSString stringWithFormat:@"delete failed (%d)", (int)status], nil);
    return NO;
  }
  return YES;
}

- (void)close {
  NSArray<LAContext *> *open;
  @synchronized(self) {
    _closed = YES;
    open = _open.allObjects;
  }
  // The sheet ends with LAErrorAppCancel: the waiting call answers UV_CANCELED.
  for (LAContext *ctx in open) [ctx invalidate];
}
@end
