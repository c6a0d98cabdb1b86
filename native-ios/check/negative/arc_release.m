// Negative control: must FAIL the syntax check (ARC forbids -release).
// expect-error: 'release' is unavailable
#import "OneginiSdk.h"

static void OMAReleaseByHand(void) {
  OMAEnvelope *e = [OMAEnvelope envelopeWithJSON:@"{}"];
  [e release];
}
