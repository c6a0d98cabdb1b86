// Negative control: must FAIL the syntax check (CDVCommandDelegate has no
// -sendPluginResult:callback:; the real one is -sendPluginResult:callbackId:).
// expect-error: no known instance method for selector 'sendPluginResult:callback:'
#import "OneginiSdkPlugin.h"

@interface OMAWrongSelector : OneginiSdkPlugin
@end

@implementation OMAWrongSelector
- (void)listen:(CDVInvokedUrlCommand *)command {
  CDVPluginResult *r = [CDVPluginResult resultWithStatus:CDVCommandStatus_OK];
  [self.commandDelegate sendPluginResult:r callback:command.callbackId];
}
@end
