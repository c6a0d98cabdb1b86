// Syntax-check shim (Linux has no LocalAuthentication.framework): exactly the
// LAContext API and error codes the biometric key store uses, with the
// declarations, types and values of Apple's SDK (LAContext.h, LAError.h,
// LAPublicDefines.h).
#pragma once
#import <Foundation/Foundation.h>

typedef NS_ENUM(NSInteger, LAPolicy) {
  LAPolicyDeviceOwnerAuthenticationWithBiometrics = 1,
  LAPolicyDeviceOwnerAuthentication = 2,
};

FOUNDATION_EXPORT NSString *const LAErrorDomain;

typedef NS_ENUM(NSInteger, LAError) {
  LAErrorAuthenticationFailed = -1,
  LAErrorUserCancel = -2,
  LAErrorUserFallback = -3,
  LAErrorSystemCancel = -4,
  LAErrorPasscodeNotSet = -5,
  LAErrorBiometryNotAvailable = -6,
  LAErrorBiometryNotEnrolled = -7,
  LAErrorBiometryLockout = -8,
  LAErrorAppCancel = -9,
  LAErrorInvalidContext = -10,
  LAErrorNotInteractive = -1004,
};

@interface LAContext : NSObject
- (BOOL)canEvaluatePolicy:(LAPolicy)policy error:(NSError *__autoreleasing *)error;
- (void)evaluatePolicy:(LAPolicy)policy
       localizedReason:(NSString *)localizedReason
                 reply:(void (^)(BOOL success, NSError *__nullable error))reply;
- (void)invalidate;
@property (nonatomic, nullable, copy) NSString *localizedFallbackTitle;
@property (nonatomic, nullable, copy) NSString *localizedCancelTitle;
@property (nonatomic, copy) NSString *localizedReason;
@property (nonatomic, nullable, readonly) NSData *evaluatedPolicyDomainState;
@end
