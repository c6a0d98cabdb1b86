#import "OneginiSdkPlugin.h"
#import <OmaBridge/OMABridge.objc.h>

@implementation OneginiSdkPlugin {
  NSMutableDictionary<NSString *, NSString *> *_pending; // id key -> callbackId
  NSLock *_lock;
  NSString *_listenCallbackId;
}

- (void)pluginInitialize {
  _pending = [NSMutableDictionary dictionary];
  _lock = [[NSLock alloc] init];
}

static NSDictionary *OMAErrorObject(NSInteger code, NSString *message, NSDictionary *data) {
  NSMutableDictionary *o = [data mutableCopy] ?: [NSMutableDictionary dictionary];
  o[@"code"] = @(code);
  o[@"message"] = message ?: @"";
  if (o[@"domain"] == nil) o[@"domain"] = @"sdk";
  return o;
}

- (void)sendError:(NSDictionary *)error to:(NSString *)callbackId {
  CDVPluginResult *r = [CDVPluginResult resultWithStatus:CDVCommandStatus_ERROR messageAsDictionary:error];
  [self.commandDelegate sendPluginResult:r callbackId:callbackId];
}

- (NSString *)takePending:(NSString *)key {
  [_lock lock];
  NSString *callbackId = _pending[key];
  [_pending removeObjectForKey:key];
  [_lock unlock];
  return callbackId;
}

- (void)invoke:(CDVInvokedUrlCommand *)command {
  id arg = command.arguments.count > 0 ? command.arguments[0] : nil;
  NSString *requestJson = [arg isKindOfClass:[NSString class]] ? arg : @"";
  NSString *key = [OMAEnvelope envelopeWithJSON:requestJson].idKey;
  if (key == nil) {
    [self sendError:OMAErrorObject(OMACodeBadParameters, @"request must be a JSON-RPC object with an id", @{}) to:command.callbackId];
    return;
  }
  [_lock lock];
  BOOL duplicate = _pending[key] != nil;
  if (!duplicate) _pending[key] = command.callbackId;
  [_lock unlock];
  if (duplicate) {
    [self sendError:OMAErrorObject(OMACodeBadParameters, @"a request with this id is already pending", @{}) to:command.callbackId];
    return;
  }
  OMACore *core = [OMACore shared];
  [core attachListener:self];
  __weak OneginiSdkPlugin *weakSelf = self;
  [core submit:^{
    NSDictionary *startError = [core ensureStarted];
    if (startError == nil) {
      OMABridgeCall(requestJson);
      return;
    }
    NSString *callbackId = [weakSelf takePending:key];
    if (callbackId != nil) {
      [weakSelf sendError:OMAErrorObject([startError[@"code"] integerValue], startError[@"message"],
                                         @{@"domain" : startError[@"domain"] ?: @"sdk"})
                       to:callbackId];
    }
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
- (void)coreDidSendMessage:(NSString *)message {
  OMAEnvelope *env = [OMAEnvelope envelopeWithJSON:message];
  if (env == nil) return;
  NSString *key = env.idKey;
  if (key != nil) {
    NSString *callbackId = [self takePending:key];
    if (callbackId == nil) return;
    if (env.isError) {
      [self sendError:OMAErrorObject(env.errorCode, env.errorMessage, env.errorData) to:callbackId];
    } else {
      CDVPluginResult *r = [CDVPluginResult resultWithStatus:CDVCommandStatus_OK messageAsString:env.resultJSON];
      [self.commandDelegate sendPluginResult:r callbackId:callbackId];
    }
  } else if (env.isEvent) {
    NSString *listen = _listenCallbackId;
    if (listen == nil) return;
    CDVPluginResult *r = [CDVPluginResult resultWithStatus:CDVCommandStatus_OK messageAsString:env.paramsJSON];
    [r setKeepCallbackAsBool:YES];
    [self.commandDelegate sendPluginResult:r callbackId:listen];
  }
}

// The page is reloading: answer what is pending and stop the core.
- (void)onReset {
  [[OMACore shared] shutdownListener:self];
  _listenCallbackId = nil;
  [_lock lock];
  NSArray<NSString *> *ids = [_pending allValues];
  [_pending removeAllObjects];
  [_lock unlock];
  for (NSString *callbackId in ids) {
    [self sendError:OMAErrorObject(OMACodeNotStarted, @"page reloaded", @{}) to:callbackId];
  }
}

- (void)dispose {
  [self onReset];
}
@end
