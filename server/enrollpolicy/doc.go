// Package enrollpolicy is the Token Server's re-enrollment policy (DESIGN
// §6.7: single, override or multiple devices per user), stored as a
// setting with the configured policy as its default, and the mark a
// profile gets when another enrollment or the operator removes its own
// (DisenrolledKey), by which the device learns why its claims fail.
package enrollpolicy
