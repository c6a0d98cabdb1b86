// Negative control: must FAIL the syntax check (-Werror): a per-call reply that
// does not implement the gobind protocol's -onError:message:errorJSON:, so a
// native module could never reject its promise.
// expect-error: method 'onError:message:errorJSON:' in protocol 'OMABridgeReply' not implemented
#import <OmaBridge/OMABridge.objc.h>

@interface OMAResultOnlyReply : NSObject <OMABridgeReply>
@end

@implementation OMAResultOnlyReply
- (void)onResult:(NSString *)resultJSON {
}
@end
