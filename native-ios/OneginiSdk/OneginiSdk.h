// The React Native module `OneginiSdk`: forwards JSON-RPC request strings to the
// Go core, settles the JS promise from the response with the same id, and emits
// event envelopes as `OneginiSdkEvent` with body {message: <params JSON text>}.
#import <Foundation/Foundation.h>
#import <React/RCTBridgeModule.h>
#import <React/RCTEventEmitter.h>
#import "OMACore.h"

@interface OneginiSdk : RCTEventEmitter <RCTBridgeModule, OMACoreListener>
@end
