#import "OneginiSdk.h"
#import <OmaBridge/OMABridge.objc.h>

static NSString *const OMAEventName = @"OneginiSdkEvent";

/// Settles one call's promise; the core calls it exactly once, on a Go thread.
@interface OMAPromiseReply : NSObject <OMABridgeReply>
- (instancetype)initWithResolve:(RCTPromiseResolveBlock)resolve reject:(RCTPromiseRejectBlock)reject;
@end

@implementation OMAPromiseReply {
  RCTPromiseResolveBlock _resolve;
  RCTPromiseRejectBlock _reject;
}

- (instancetype)initWithResolve:(RCTPromiseResolveBlock)resolve reject:(RCTPromiseRejectBlock)reject {
  if ((self = [super init])) {
    _resolve = resolve;
    _reject = reject;
  }
  return self;
}

- (void)onResult:(NSString *_Nullable)resultJSON {
  _resolve(resultJSON ?: @"null");
}

- (void)onError:(long)code message:(NSString *_Nullable)message errorJSON:(NSString *_Nullable)errorJSON {
  NSString *json = errorJSON ?: [OMACore errorJSONWithCode:code message:message ?: @""];
  NSError *error = [NSError errorWithDomain:@"OneginiSdk" code:code userInfo:@{@"errorJson" : json}];
  _reject([NSString stringWithFormat:@"%ld", code], message ?: @"", error);
}
@end

@interface OneginiSdk ()
/// Set when the React instance goes away; read on the bridge queue too.
@property (atomic, assign) BOOL invalidated;
@end

@implementation OneginiSdk

RCT_EXPORT_MODULE(OneginiSdk)

+ (BOOL)requiresMainQueueSetup {
  return NO;
}

- (NSArray<NSString *> *)supportedEvents {
  return @[ OMAEventName ];
}

RCT_EXPORT_METHOD(invoke:(NSString *)requestJson
                  resolve:(RCTPromiseResolveBlock)resolve
                  reject:(RCTPromiseRejectBlock)reject) {
  OMAPromiseReply *reply = [[OMAPromiseReply alloc] initWithResolve:resolve reject:reject];
  if (self.invalidated) {
    [reply onError:OMACodeNotStarted message:@"React instance destroyed" errorJSON:nil];
    return;
  }
  OMACore *core = [OMACore shared];
  [core attachListener:self];
  __weak OneginiSdk *weakSelf = self;
  [core submit:^{
    OneginiSdk *strongSelf = weakSelf;
    // A call queued before the instance went away must not restart the core.
    if (strongSelf == nil || strongSelf.invalidated) {
      [reply onError:OMACodeNotStarted message:@"React instance destroyed" errorJSON:nil];
      return;
    }
    [core invoke:requestJson ?: @"" reply:reply];
  }];
}

// Called by the core on Go threads.
- (void)coreDidEmitEvent:(NSString *)eventJSON {
  [self sendEventWithName:OMAEventName body:@{@"message" : eventJSON}];
}

// The React instance is going away: the core is closed, which answers every
// call still running (9006); calls still queued are answered 8020.
- (void)invalidate {
  self.invalidated = YES;
  [[OMACore shared] shutdownListener:self];
  [super invalidate];
}

@end
