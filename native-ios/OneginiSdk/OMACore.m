#import "OMACore.h"
#import "OMAKeychainStorage.h"
#import "OMASecureEnclaveKeyStore.h"
#import <OmaBridge/OMABridge.objc.h>

const NSInteger OMACodeInternal = 8000;
const NSInteger OMACodeBadParameters = 8009;
const NSInteger OMACodeNotStarted = 8020;

@implementation OMAEnvelope {
  NSDictionary<NSString *, id> *_o;
}

+ (nullable instancetype)envelopeWithJSON:(NSString *)json {
  NSData *data = [json dataUsingEncoding:NSUTF8StringEncoding];
  if (data == nil) return nil;
  id o = [NSJSONSerialization JSONObjectWithData:data options:0 error:NULL];
  if (![o isKindOfClass:[NSDictionary class]]) return nil;
  OMAEnvelope *e = [[OMAEnvelope alloc] init];
  e->_o = o;
  return e;
}

// JSON text of any JSON value (scalars too): serialised inside an array, whose
// brackets are then dropped.
static NSString *OMAJSONText(id _Nullable v) {
  if (v == nil || v == (id)[NSNull null]) return @"null";
  NSData *d = [NSJSONSerialization dataWithJSONObject:@[ v ] options:0 error:NULL];
  NSString *s = d ? [[NSString alloc] initWithData:d encoding:NSUTF8StringEncoding] : nil;
  if (s.length < 2) return @"null";
  return [s substringWithRange:NSMakeRange(1, s.length - 2)];
}

- (nullable NSString *)idKey {
  id v = _o[@"id"];
  if ([v isKindOfClass:[NSString class]]) return OMAJSONText(v);
  if ([v isKindOfClass:[NSNumber class]]) return [NSString stringWithFormat:@"%lld", [v longLongValue]];
  return nil;
}

- (BOOL)isEvent {
  return self.idKey == nil && [_o[@"method"] isEqual:@"event"];
}

- (NSDictionary *)errorObject {
  id e = _o[@"error"];
  return [e isKindOfClass:[NSDictionary class]] ? e : nil;
}

- (BOOL)isError {
  return [self errorObject] != nil;
}

- (NSString *)resultJSON {
  return OMAJSONText(_o[@"result"]);
}

- (NSString *)paramsJSON {
  id p = _o[@"params"];
  return [p isKindOfClass:[NSDictionary class]] ? OMAJSONText(p) : @"{}";
}

- (NSInteger)errorCode {
  id c = [self errorObject][@"code"];
  return [c isKindOfClass:[NSNumber class]] ? [c integerValue] : OMACodeInternal;
}

- (NSString *)errorMessage {
  id m = [self errorObject][@"message"];
  return [m isKindOfClass:[NSString class]] ? m : @"";
}

- (NSDictionary<NSString *, id> *)errorData {
  id d = [self errorObject][@"data"];
  return [d isKindOfClass:[NSDictionary class]] ? d : @{};
}
@end

/// Forwards the core's messages to the attached listener.
@interface OMACoreCallback : NSObject <OMABridgeCallback>
@property (nonatomic, weak) id<OMACoreListener> listener;
@end

@implementation OMACoreCallback
- (void)onMessage:(NSString *_Nullable)message {
  id<OMACoreListener> l = self.listener;
  if (message != nil && l != nil) [l coreDidSendMessage:message];
}
@end

@implementation OMACore {
  dispatch_queue_t _queue;
  OMACoreCallback *_callback;
}

+ (instancetype)shared {
  static OMACore *core;
  static dispatch_once_t once;
  dispatch_once(&once, ^{
    core = [[OMACore alloc] init];
  });
  return core;
}

- (instancetype)init {
  if ((self = [super init])) {
    _queue = dispatch_queue_create("org.openmobileauth.oma.bridge", DISPATCH_QUEUE_SERIAL);
    _callback = [[OMACoreCallback alloc] init];
  }
  return self;
}

- (void)attachListener:(id<OMACoreListener>)listener {
  _callback.listener = listener;
}

- (void)submit:(dispatch_block_t)block {
  dispatch_async(_queue, block);
}

- (nullable NSDictionary<NSString *, id> *)ensureStarted {
  if (OMABridgeIsStarted()) return nil;
  NSString *support = NSSearchPathForDirectoriesInDomains(NSApplicationSupportDirectory, NSUserDomainMask, YES).firstObject;
  NSString *dataDir = [support stringByAppendingPathComponent:@"oma"];
  [[NSFileManager defaultManager] createDirectoryAtPath:dataDir withIntermediateDirectories:YES attributes:nil error:NULL];
  NSData *config = [NSJSONSerialization dataWithJSONObject:@{@"dataDir" : dataDir, @"logLevel" : @"warn"} options:0 error:NULL];
  NSError *error = nil;
  BOOL ok = OMABridgeStart([[NSString alloc] initWithData:config encoding:NSUTF8StringEncoding], _callback,
                           [[OMAKeychainStorage alloc] init], [[OMASecureEnclaveKeyStore alloc] init], &error);
  if (ok) return nil;
  // Start's error message is the JSON object {code, domain, message}.
  NSData *msg = [error.localizedDescription dataUsingEncoding:NSUTF8StringEncoding];
  id parsed = msg ? [NSJSONSerialization JSONObjectWithData:msg options:0 error:NULL] : nil;
  if ([parsed isKindOfClass:[NSDictionary class]]) return parsed;
  return @{@"code" : @(OMACodeInternal), @"domain" : @"sdk", @"message" : @"start failed"};
}

- (void)shutdownListener:(id<OMACoreListener>)listener {
  if (_callback.listener == listener) _callback.listener = nil;
  dispatch_async(_queue, ^{
    OMABridgeClose();
  });
}
@end
