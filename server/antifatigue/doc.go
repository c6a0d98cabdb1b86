// Package antifatigue holds the server side of anti-fatigue and user
// verification (DESIGN §13, issue 14) that the device, relying-party and
// admin code share: what a request carries beyond its message (Extras,
// stored with it and never changed), how it was answered (Outcome), the
// per-user suspension a "this wasn't me" answer or too many wrong number
// picks starts, and the count of wrong picks.
package antifatigue
