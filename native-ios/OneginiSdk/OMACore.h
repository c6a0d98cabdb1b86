// OMACore: the one Go core of the process, shared by the React Native module and
// the Cordova plugin. It starts the core on first use, routes every message the
// core sends (from Go threads) to the attached listener, and runs every bridge
// call on one serial background queue (never the main thread), so start, call
// and close stay ordered.
#import <Foundation/Foundation.h>

NS_ASSUME_NONNULL_BEGIN

/// JSON-RPC codes the native layer itself answers with.
FOUNDATION_EXPORT const NSInteger OMACodeInternal;      // 8000
FOUNDATION_EXPORT const NSInteger OMACodeBadParameters; // 8009
FOUNDATION_EXPORT const NSInteger OMACodeNotStarted;    // 8020

/// Receives the core's responses and events (called on Go threads).
@protocol OMACoreListener <NSObject>
- (void)coreDidSendMessage:(NSString *)message;
@end

/// The little of a JSON-RPC 2.0 envelope a native module reads.
@interface OMAEnvelope : NSObject
/// Parses a JSON object; nil when the text is not one.
+ (nullable instancetype)envelopeWithJSON:(NSString *)json;
/// The id as a map key (numbers and strings kept apart), or nil.
@property (nonatomic, readonly, nullable) NSString *idKey;
@property (nonatomic, readonly) BOOL isEvent;
@property (nonatomic, readonly) BOOL isError;
/// JSON text of "result" ("null" when absent).
@property (nonatomic, readonly) NSString *resultJSON;
/// JSON text of an event's "params" ("{}" when absent).
@property (nonatomic, readonly) NSString *paramsJSON;
@property (nonatomic, readonly) NSInteger errorCode;
@property (nonatomic, readonly) NSString *errorMessage;
/// The error's data object (holds "domain"); empty when absent.
@property (nonatomic, readonly) NSDictionary<NSString *, id> *errorData;
@end

@interface OMACore : NSObject
+ (instancetype)shared;
/// Makes listener the receiver of the core's messages (weakly held).
- (void)attachListener:(id<OMACoreListener>)listener;
/// Runs block on the bridge queue.
- (void)submit:(dispatch_block_t)block;
/// On the bridge queue: starts the core unless it runs. Returns nil on success,
/// otherwise the {code, domain, message} object Start reported.
- (nullable NSDictionary<NSString *, id> *)ensureStarted;
/// Detaches listener (if still attached) and closes the core on the bridge queue.
- (void)shutdownListener:(id<OMACoreListener>)listener;
@end

NS_ASSUME_NONNULL_END
