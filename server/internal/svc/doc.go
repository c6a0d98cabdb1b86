// Package svc holds what the Token Server's HTTP packages (device, oauth, rp)
// still share and has not yet moved to a package of its own (issue 12): the
// Env of dependencies (store, clocks, logger, limits). HTTP JSON I/O is
// server/httpio, client addresses server/clientip, the enrollment CA
// server/ca, the request cache server/txcache, secret hashing
// server/secrethash, the wake-up hub server/wakeup, scopes server/oauthscope,
// anti-fatigue state server/antifatigue, audit event names server/audit.
package svc
