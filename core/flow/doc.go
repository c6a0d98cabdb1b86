// Package flow is the small state machine every SDK flow that waits on the app
// is built on (registration, PIN creation, PIN authentication, mobile-auth OTP
// confirmation). A Slot holds at most one running Flow of a kind (a second
// Begin answers 9007). The flow's goroutine — the handler of the call that
// started it — Awaits inputs of named kinds; other calls (submitPin, cancel,
// accept/deny, the registration callback) Deliver inputs and get the flow's
// reply. A Deliver of a kind the flow is not waiting for answers the slot's
// "not in progress" code (8013 or 8014). Await honours a context (the
// dispatcher's, cancelled by Close) and a timeout, so no flow waits forever.
package flow
