// Negative control: must FAIL the syntax check (ARC forbids -release).
// expect-error: 'release' is unavailable
#import "OneginiSdk.h"

static void OMAReleaseByHand(void) {
  OMACore *core = [OMACore shared];
  [core release];
}
