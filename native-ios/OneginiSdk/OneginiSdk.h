// The React Native module `OneginiSdk`: forwards each JSON-RPC request string to
// the Go core with a reply that settles that call's promise (resolve with the
// result's JSON text; reject with the numeric code as a string, the message and
// userInfo {errorJson: the error object's JSON text}), and emits every event as
// `OneginiSdkEvent` with body {message: <event params JSON text>}.
#import <Foundation/Foundation.h>
#import <React/RCTBridgeModule.h>
#import <React/RCTEventEmitter.h>
#import "OMACore.h"

@interface OneginiSdk : RCTEventEmitter <RCTBridgeModule, OMACoreListener>
@end
