// Syntax-check shim (Linux has neither Security.framework nor CoreFoundation):
// exactly the Keychain / SecKey declarations the capability sources use, with
// the signatures and types of Apple's SDK (CF types as opaque struct pointers,
// so ARC's __bridge casts are checked as on Apple platforms).
#pragma once
#include <stdint.h>
typedef const void *CFTypeRef;
typedef const struct __CFString *CFStringRef;
typedef const struct __CFDictionary *CFDictionaryRef;
typedef const struct __CFData *CFDataRef;
typedef struct __CFError *CFErrorRef;
typedef const struct __CFAllocator *CFAllocatorRef;
typedef unsigned long CFOptionFlags;
typedef int32_t OSStatus;
extern const CFAllocatorRef kCFAllocatorDefault;
void CFRelease(CFTypeRef cf);
#ifndef CF_RETURNS_RETAINED
#define CF_RETURNS_RETAINED __attribute__((cf_returns_retained))
#endif

typedef struct __SecKey *SecKeyRef;
typedef struct __SecAccessControl *SecAccessControlRef;
typedef CFStringRef SecKeyAlgorithm;
typedef CFOptionFlags SecAccessControlCreateFlags;
enum {
  errSecSuccess = 0,
  errSecUserCanceled = -128,
  errSecAuthFailed = -25293,
  errSecItemNotFound = -25300,
};
enum {
  kSecAccessControlBiometryCurrentSet = 1u << 3,
  kSecAccessControlPrivateKeyUsage = 1u << 30,
};

extern const CFStringRef kSecClass;
extern const CFStringRef kSecClassGenericPassword;
extern const CFStringRef kSecClassKey;
extern const CFStringRef kSecAttrService;
extern const CFStringRef kSecAttrAccount;
extern const CFStringRef kSecAttrAccessible;
extern const CFStringRef kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly;
extern const CFStringRef kSecAttrAccessibleWhenUnlockedThisDeviceOnly;
extern const CFStringRef kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly;
extern const CFStringRef kSecAttrAccessControl;
extern const CFStringRef kSecAttrApplicationTag;
extern const CFStringRef kSecAttrKeyType;
extern const CFStringRef kSecAttrKeyTypeECSECPrimeRandom;
extern const CFStringRef kSecAttrKeySizeInBits;
extern const CFStringRef kSecAttrIsPermanent;
extern const CFStringRef kSecAttrTokenID;
extern const CFStringRef kSecAttrTokenIDSecureEnclave;
extern const CFStringRef kSecPrivateKeyAttrs;
extern const CFStringRef kSecReturnData;
extern const CFStringRef kSecReturnRef;
extern const CFStringRef kSecMatchLimit;
extern const CFStringRef kSecMatchLimitOne;
extern const CFStringRef kSecValueData;
extern const CFStringRef kSecUseAuthenticationContext;
extern const SecKeyAlgorithm kSecKeyAlgorithmECDSASignatureDigestX962SHA256;

OSStatus SecItemCopyMatching(CFDictionaryRef query, CFTypeRef *result);
OSStatus SecItemAdd(CFDictionaryRef attributes, CFTypeRef *result);
OSStatus SecItemUpdate(CFDictionaryRef query, CFDictionaryRef attributesToUpdate);
OSStatus SecItemDelete(CFDictionaryRef query);
SecAccessControlRef SecAccessControlCreateWithFlags(CFAllocatorRef allocator, CFTypeRef protection,
                                                    SecAccessControlCreateFlags flags, CFErrorRef *error);
SecKeyRef SecKeyCreateRandomKey(CFDictionaryRef parameters, CFErrorRef *error);
SecKeyRef SecKeyCopyPublicKey(SecKeyRef key);
CFDataRef SecKeyCopyExternalRepresentation(SecKeyRef key, CFErrorRef *error);
CFDataRef SecKeyCreateSignature(SecKeyRef key, SecKeyAlgorithm algorithm, CFDataRef dataToSign, CFErrorRef *error);
