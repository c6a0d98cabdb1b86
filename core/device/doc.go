// Package device defines the two device capabilities the SDK core needs from the
// platform — secure key-value storage and a hardware-backed P-256 key store — as
// small interfaces, plus pure-Go implementations for desktops, tests and tools.
// On Android they are backed by the Keystore, on iOS by the Keychain and the
// Secure Enclave; private keys never leave the KeyStore implementation.
package device
