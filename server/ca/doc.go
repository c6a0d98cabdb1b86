// Package ca is the Token Server's enrollment certificate authority (DESIGN
// §6.1): its key and self-signed certificate, kept in the store so every
// instance on one store issues under the same CA, the client-authentication
// certificates it issues for enrolled device keys, and the encryption of its
// private key at rest under the operator's master key (AES-256-GCM, DESIGN
// §10; ParseMasterKey reads the key's text forms).
package ca
