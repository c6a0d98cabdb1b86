// OMACore: the one Go core of the process, shared by the React Native module and
// the Cordova plugin. It starts the core on first use with the SDK configuration
// (platform "ios", data directory, log level, and the app's configuration from
// the bundle resource oma-config.json), routes every event the core emits (from
// Go threads) to the attached listener, and runs start/invoke/close on one serial
// background queue (never the main thread), so they stay ordered.
//
// Each call is answered by the core through its own reply object, exactly once;
// no table of pending calls is kept. Ordering: the core answers a call's reply
// only after the callback returned for every event the call emitted before its
// result, and listeners and replies hand their value to JavaScript synchronously
// on that Go thread (React Native's event emitter and promise blocks, Cordova's
// command delegate, all queue in call order), so an event emitted before a
// result reaches JavaScript before that result.
#import <Foundation/Foundation.h>
#import <OmaBridge/OMABridge.objc.h>

NS_ASSUME_NONNULL_BEGIN

/// Codes the native layer itself answers with.
FOUNDATION_EXPORT const long OMACodeNotStarted; // 8020

/// The bundle resource holding the app's configuration (oma-config.json).
FOUNDATION_EXPORT NSString *const OMAAppConfigResource;

/// Receives the core's events (called on Go threads).
@protocol OMACoreListener <NSObject>
/// eventJSON is the event's params object {"type": ..., ...payload}.
- (void)coreDidEmitEvent:(NSString *)eventJSON;
@end

@interface OMACore : NSObject
+ (instancetype)shared;
/// Makes listener the receiver of the core's events (weakly held).
- (void)attachListener:(id<OMACoreListener>)listener;
/// Runs block on the bridge queue.
- (void)submit:(dispatch_block_t)block;
/// On the bridge queue: starts the core unless it runs, then hands requestJSON
/// to it; reply is answered exactly once. A failed start needs no handling: the
/// core answers the call with the start's error (8001 for a bad configuration).
- (void)invoke:(NSString *)requestJSON reply:(id<OMABridgeReply>)reply;
/// The SDK configuration JSON passed to Start.
- (NSString *)configJSON;
/// The JSON error object {code, message, data: {domain}} of an error the native layer answers itself.
+ (NSString *)errorJSONWithCode:(long)code message:(NSString *)message;
/// Detaches listener (if still attached) and closes the core on the bridge
/// queue; the core answers every call still running (9006) before it stops.
/// An open biometric prompt is ended first.
- (void)shutdownListener:(id<OMACoreListener>)listener;
@end

NS_ASSUME_NONNULL_END
