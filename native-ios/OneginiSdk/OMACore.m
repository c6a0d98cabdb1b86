#import "OMACore.h"
#import "OMABiometricKeyStore.h"
#import "OMAKeychainStorage.h"
#import "OMASecureEnclaveKeyStore.h"

const long OMACodeNotStarted = 8020;
NSString *const OMAAppConfigResource = @"oma-config";

/// Forwards the core's events to the attached listener.
@interface OMACoreCallback : NSObject <OMABridgeCallback>
@property (nonatomic, weak) id<OMACoreListener> listener;
@end

@implementation OMACoreCallback
- (void)onEvent:(NSString *_Nullable)eventJSON {
  id<OMACoreListener> l = self.listener;
  if (eventJSON != nil && l != nil) [l coreDidEmitEvent:eventJSON];
}
@end

@implementation OMACore {
  dispatch_queue_t _queue;
  OMACoreCallback *_callback;
  OMABiometricKeyStore *_biometric; // the running core's (closed when it stops)
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

- (NSString *)configJSON {
  NSString *support = NSSearchPathForDirectoriesInDomains(NSApplicationSupportDirectory, NSUserDomainMask, YES).firstObject;
  NSString *dataDir = [support stringByAppendingPathComponent:@"oma"];
  [[NSFileManager defaultManager] createDirectoryAtPath:dataDir withIntermediateDirectories:YES attributes:nil error:NULL];
  NSData *data = [NSJSONSerialization dataWithJSONObject:@{@"platform" : @"ios", @"dataDir" : dataDir, @"logLevel" : @"warn"}
                                                 options:0
                                                   error:NULL];
  NSString *base = [[NSString alloc] initWithData:data encoding:NSUTF8StringEncoding];
  // The app's configuration goes in verbatim under "app"; the core checks it (8001 naming the field).
  NSString *path = [[NSBundle mainBundle] pathForResource:OMAAppConfigResource ofType:@"json"];
  NSString *app = path ? [NSString stringWithContentsOfFile:path encoding:NSUTF8StringEncoding error:NULL] : nil;
  app = [app stringByTrimmingCharactersInSet:[NSCharacterSet whitespaceAndNewlineCharacterSet]];
  if (app.length == 0) return base;
  return [NSString stringWithFormat:@"%@,\"app\":%@}", [base substringToIndex:base.length - 1], app];
}

- (void)invoke:(NSString *)requestJSON reply:(id<OMABridgeReply>)reply {
  if (!OMABridgeIsStarted()) {
    NSError *error = nil;
    OMABiometricKeyStore *biometric = [[OMABiometricKeyStore alloc] init];
    @synchronized(self) {
      _biometric = biometric;
    }
    if (!OMABridgeStart([self configJSON], _callback, [[OMAKeychainStorage alloc] init],
                        [[OMASecureEnclaveKeyStore alloc] init], biometric, &error)) {
      NSLog(@"OneginiSdk: core start failed: %@", error.localizedDescription);
    }
  }
  OMABridgeInvoke(requestJSON, reply);
}

+ (NSString *)errorJSONWithCode:(long)code message:(NSString *)message {
  NSDictionary *o = @{@"code" : @(code), @"message" : message ?: @"", @"data" : @{@"domain" : @"sdk"}};
  NSData *data = [NSJSONSerialization dataWithJSONObject:o options:0 error:NULL];
  return [[NSString alloc] initWithData:data encoding:NSUTF8StringEncoding];
}

- (void)shutdownListener:(id<OMACoreListener>)listener {
  if (_callback.listener == listener) _callback.listener = nil;
  // An open Face ID / Touch ID sheet ends first (its call answers UV_CANCELED),
  // so the close never waits for the user.
  OMABiometricKeyStore *biometric;
  @synchronized(self) {
    biometric = _biometric;
  }
  [biometric close];
  dispatch_async(_queue, ^{
    @synchronized(self) {
      [self->_biometric close];
      self->_biometric = nil;
    }
    OMABridgeClose();
  });
}
@end
