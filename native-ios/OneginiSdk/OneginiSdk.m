#import "OneginiSdk.h"
#import <OmaBridge/OMABridge.objc.h>

static NSString *const OMAEventName = @"OneginiSdkEvent";

@implementation OneginiSdk {
  NSMutableDictionary<NSString *, NSArray *> *_pending; // id key -> @[resolve, reject]
  NSLock *_lock;
  BOOL _invalidated;
}

RCT_EXPORT_MODULE(OneginiSdk)

+ (BOOL)requiresMainQueueSetup {
  return NO;
}

- (instancetype)init {
  if ((self = [super init])) {
    _pending = [NSMutableDictionary dictionary];
    _lock = [[NSLock alloc] init];
  }
  return self;
}

- (NSArray<NSString *> *)supportedEvents {
  return @[ OMAEventName ];
}

static void OMAReject(RCTPromiseRejectBlock reject, NSInteger code, NSString *message, NSDictionary *data) {
  NSMutableDictionary *info = [data mutableCopy] ?: [NSMutableDictionary dictionary];
  if (info[@"domain"] == nil) info[@"domain"] = @"sdk";
  NSError *error = [NSError errorWithDomain:info[@"domain"] code:code userInfo:info];
  reject([NSString stringWithFormat:@"%ld", (long)code], message, error);
}

- (NSArray *)takePending:(NSString *)key {
  [_lock lock];
  NSArray *entry = _pending[key];
  [_pending removeObjectForKey:key];
  [_lock unlock];
  return entry;
}

RCT_EXPORT_METHOD(invoke:(NSString *)requestJson
                  resolve:(RCTPromiseResolveBlock)resolve
                  reject:(RCTPromiseRejectBlock)reject) {
  NSString *key = [OMAEnvelope envelopeWithJSON:requestJson ?: @""].idKey;
  if (key == nil) {
    OMAReject(reject, OMACodeBadParameters, @"request must be a JSON-RPC object with an id", @{});
    return;
  }
  [_lock lock];
  BOOL refused = _invalidated;
  BOOL duplicate = !refused && _pending[key] != nil;
  if (!refused && !duplicate) _pending[key] = @[ resolve, reject ];
  [_lock unlock];
  if (refused) {
    OMAReject(reject, OMACodeNotStarted, @"React instance destroyed", @{});
    return;
  }
  if (duplicate) {
    OMAReject(reject, OMACodeBadParameters, @"a request with this id is already pending", @{});
    return;
  }
  OMACore *core = [OMACore shared];
  [core attachListener:self];
  __weak OneginiSdk *weakSelf = self;
  [core submit:^{
    NSDictionary *startError = [core ensureStarted];
    if (startError == nil) {
      OMABridgeCall(requestJson);
      return;
    }
    NSArray *entry = [weakSelf takePending:key];
    if (entry != nil) {
      OMAReject(entry[1], [startError[@"code"] integerValue], startError[@"message"] ?: @"start failed",
                @{@"domain" : startError[@"domain"] ?: @"sdk"});
    }
  }];
}

// Called by the core on Go threads.
- (void)coreDidSendMessage:(NSString *)message {
  OMAEnvelope *env = [OMAEnvelope envelopeWithJSON:message];
  if (env == nil) return;
  NSString *key = env.idKey;
  if (key != nil) {
    NSArray *entry = [self takePending:key];
    if (entry == nil) return;
    if (env.isError) {
      OMAReject(entry[1], env.errorCode, env.errorMessage, env.errorData);
    } else {
      RCTPromiseResolveBlock resolve = entry[0];
      resolve(env.resultJSON);
    }
  } else if (env.isEvent) {
    [self sendEventWithName:OMAEventName body:@{@"message" : env.paramsJSON}];
  }
}

// The React instance is going away: no promise may be left pending.
- (void)invalidate {
  [[OMACore shared] shutdownListener:self];
  [_lock lock];
  _invalidated = YES;
  NSDictionary<NSString *, NSArray *> *pending = [_pending copy];
  [_pending removeAllObjects];
  [_lock unlock];
  for (NSArray *entry in pending.allValues) {
    OMAReject(entry[1], OMACodeNotStarted, @"React instance destroyed", @{});
  }
  [super invalidate];
}

@end
