// Package store is the SDK core's typed persistent state over the device's
// secure Storage capability: the client registration (server URL, client id,
// PIN policy), the user profiles with their mobile-authentication enrollments
// (certificate, enrollment id, key alias), the tokens per profile and the
// authenticated session. Values are JSON documents under fixed keys, so the
// state survives a restart of the core. Private keys are never stored here;
// they live in the KeyStore capability.
package store
