// The Cordova plugin (service `OneginiSdk`): `invoke` [requestJson] answers with
// the result's JSON text or an error object {code, message, domain, ...data};
// `listen` keeps its callback and receives every event's params JSON text.
#import <Cordova/CDVPlugin.h>
#import "OMACore.h"

@interface OneginiSdkPlugin : CDVPlugin <OMACoreListener>
- (void)invoke:(CDVInvokedUrlCommand *)command;
- (void)listen:(CDVInvokedUrlCommand *)command;
@end
