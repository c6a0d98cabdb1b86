#import "OneginiSdkPlugin.h"
#import <OmaBridge/OMABridge.objc.h>

/// Answers one `invoke` command; the core calls it exactly once, on a Go thread.
@interface OMACommandReply : NSObject <OMABridgeReply>
- (instancetype)initWithDelegate:(id<CDVCommandDelegate>)delegate callbackId:(NSString *)callbackId;
@end

@implementation OMACommandReply {
  id<CDVCommandDelegate> _delegate;
  NSString *_callbackId;
}

- (instancetype)initWithDelegate:(id<CDVCommandDelegate>)delegate callbackId:(NSString *)callbackId {
  if ((self = [super init])) {
    _delegate = delegate;
    _callbackId = callbackId;
  }
  return self;
}

- (void)onResult:(NSString *_Nullable)resultJSON {
  CDVPluginResult *r = [CDVPluginResult resultWithStatus:CDVCommandStatus_OK messageAsString:resultJSON ?: @"null"];
  [_delegate sendPluginResult:r callbackId:_callbackId];
}

- (void)onError:(long)code message:(NSString *_Nullable)message errorJSON:(NSString *_Nullable)errorJSON {
  NSString *json = errorJSON ?: [OMACore errorJSONWithCode:code message:message ?: @""];
  CDVPluginResult *r = [CDVPluginResult resultWithStatus:CDVCommandStatus_ERROR messageAsString:json];
  [_delegate sendPluginResult:r callbackId:_callbackId];
}
@end

@interface OneginiSdkPlugin ()
/// Counts page resets: a call queued before a reset is not run after it (read on the bridge queue).
@property (atomic, assign) NSUInteger generation;
@end

@implementation OneginiSdkPlugin {
  NSString *_listenCallbackId;
}

- (void)invoke:(CDVInvokedUrlCommand *)command {
  id arg = command.arguments.count > 0 ? command.arguments[0] : nil;
  NSString *requestJson = [arg isKindOfClass:[NSString class]] ? arg : @"";
  OMACommandReply *reply = [[OMACommandReply alloc] initWithDelegate:self.commandDelegate callbackId:command.callbackId];
  OMACore *core = [OMACore shared];
  [core attachListener:self];
  NSUInteger generation = self.generation;
  __weak OneginiSdkPlugin *weakSelf = self;
  [core submit:^{
    OneginiSdkPlugin *strongSelf = weakSelf;
    if (strongSelf == nil || strongSelf.generation != generation) {
      [reply onError:OMACodeNotStarted message:@"page reloaded" errorJSON:nil];
      return;
    }
    [core invoke:requestJson reply:reply];
  }];
}

- (void)listen:(CDVInvokedUrlCommand *)command {
  _listenCallbackId = command.callbackId;
  [[OMACore shared] attachListener:self];
  CDVPluginResult *r = [CDVPluginResult resultWithStatus:CDVCommandStatus_NO_RESULT];
  [r setKeepCallbackAsBool:YES];
  [self.commandDelegate sendPluginResult:r callbackId:command.callbackId];
}

// Called by the core on Go threads.
- (void)coreDidEmitEvent:(NSString *)eventJSON {
  NSString *listen = _listenCallbackId;
  if (listen == nil) return;
  CDVPluginResult *r = [CDVPluginResult resultWithStatus:CDVCommandStatus_OK messageAsString:eventJSON];
  [r setKeepCallbackAsBool:YES];
  [self.commandDelegate sendPluginResult:r callbackId:listen];
}

// The page is reloading: stop the core (it answers the calls still running).
- (void)onReset {
  self.generation = self.generation + 1;
  [[OMACore shared] shutdownListener:self];
  _listenCallbackId = nil;
}

- (void)dispose {
  [self onReset];
}
@end
