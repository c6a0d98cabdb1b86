// The Cordova plugin (service `OneginiSdk`): `invoke` [requestJson] is answered
// by the core through the call's own reply, with the result's JSON text or the
// error object's JSON text {code, message, data: {domain, ...}}; `listen` keeps
// its callback and receives every event's params JSON text.
#import <Cordova/CDVPlugin.h>
#import "OMACore.h"

@interface OneginiSdkPlugin : CDVPlugin <OMACoreListener>
- (void)invoke:(CDVInvokedUrlCommand *)command;
- (void)listen:(CDVInvokedUrlCommand *)command;
@end
