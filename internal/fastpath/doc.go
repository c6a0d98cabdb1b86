// Package fastpath keeps hand-written fast paths honest in tests: Earn
// measures each against the general code it replaces, side by side
// (alternating short rounds, medians), and fails the test when one is no
// longer clearly faster or lighter, so that it gets deleted in favour of
// that code. It runs only when OMA_FASTPATH_BENCH=1 and not under the race
// detector (scripts/test-go.sh runs it in a step of its own). It depends on
// the standard library only.
package fastpath
