// Package keys adapts the device KeyStore capability to Go's crypto.Signer by
// key alias, so the core can create PKCS#10 CSRs with crypto/x509 and sign DPoP
// proofs and mobile-authentication answers with keys whose private half never
// leaves the key store. It also names the aliases the core uses: AliasClient for
// the app instance's client key and MobileAuthAlias(profileID) for a profile's
// mobile-authentication enrollment key.
package keys
