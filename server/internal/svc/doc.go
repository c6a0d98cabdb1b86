// Package svc holds what the Token Server's HTTP packages (device, oauth, rp)
// share: the Env of dependencies (store, clocks, logger, limits, CA, password
// hashing, the change hub), strict request decoding and the JSON error
// writers of both APIs.
package svc
