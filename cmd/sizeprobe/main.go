// Command sizeprobe links the gomobile-facing bridge package into a minimal
// program so that scripts/size-report.sh can measure what the bridge adds to an
// app per platform (android/arm64, android/arm, darwin/arm64) with the same
// flags gomobile bind uses (-trimpath -ldflags='-s -w'). It is a measuring
// tool, not something to run: it only prints the core version.
package main

import (
	"fmt"

	"github.com/openmobileauth/oma/bridge"
)

func main() {
	// Referencing the exported entry points keeps the linker from dropping them,
	// as the gobind glue does in the real library.
	fmt.Println(bridge.Version(), bridge.IsStarted())
	_ = bridge.Start
	_ = bridge.Invoke
	_ = bridge.CallSync
	_ = bridge.Close
}
