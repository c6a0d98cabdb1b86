package protocol

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"errors"
)

// Biometric authenticators (issue 15, DESIGN §14): a second device key that
// the hardware key store releases only after the user's biometric
// (Android Keystore setUserAuthenticationRequired + BiometricPrompt
// BIOMETRIC_STRONG; iOS Secure Enclave .biometryCurrentSet). It is registered
// with an access token from a PIN login and then logs in by signing a fresh,
// single-use server challenge.
const (
	// PathAuthenticators: POST AuthenticatorRegisterRequest (DPoP + an access
	// token of a PIN login) → AuthenticatorRegisterResponse.
	PathAuthenticators = "/device/v1/authenticators"
	// PathAuthenticatorDeregister: POST AuthenticatorDeregisterRequest (DPoP +
	// an access token of the profile) → 204.
	PathAuthenticatorDeregister = "/device/v1/authenticators/deregister"
	// PathAuthenticatorChallenge: POST ChallengeRequest (DPoP, no token) →
	// ChallengeResponse.
	PathAuthenticatorChallenge = "/device/v1/authenticators/challenge"
	// PathChangePin: POST ChangePinRequest (DPoP + an access token of the
	// profile) → 204. The current PIN is verified with the failure counter.
	PathChangePin = "/device/v1/pin"

	// GrantBiometric logs in with a challenge signed by the biometric key
	// (TokenRequest.ProfileID, Challenge, Signature).
	GrantBiometric = "urn:oma:grant-type:biometric"

	// AuthenticatorBiometric is the one authenticator type a profile can
	// register beside its PIN.
	AuthenticatorBiometric = "biometric"

	// AMRPin and AMRBiometric name how the login a token descends from was
	// authenticated. Registering an authenticator and changing the PIN need a
	// PIN login.
	AMRPin       = "pin"
	AMRBiometric = "biometric"

	// ChallengeTTLSeconds is how long a biometric challenge can be used.
	ChallengeTTLSeconds = 60
)

// AuthenticatorRegisterRequest registers the biometric key of a profile.
type AuthenticatorRegisterRequest struct {
	ProfileID string `json:"profile_id"`
	Type      string `json:"type"`       // AuthenticatorBiometric
	PublicKey string `json:"public_key"` // EncodePublicKey of the user-verified P-256 key
}

// AuthenticatorRegisterResponse names the registered authenticator.
type AuthenticatorRegisterResponse struct {
	Type string `json:"type"`
}

// AuthenticatorDeregisterRequest removes a profile's authenticator.
type AuthenticatorDeregisterRequest struct {
	ProfileID string `json:"profile_id"`
	Type      string `json:"type"`
}

// ChallengeRequest asks for a biometric login challenge for a profile.
type ChallengeRequest struct {
	ProfileID string `json:"profile_id"`
}

// ChallengeResponse carries a fresh challenge: at least 128 random bits,
// bound to the profile and the calling client, single use.
type ChallengeResponse struct {
	Challenge string `json:"challenge"`
	ExpiresIn int    `json:"expires_in"` // seconds
}

// ChangePinRequest replaces a profile's PIN after verifying the current one.
type ChangePinRequest struct {
	ProfileID string `json:"profile_id"`
	Pin       string `json:"pin"`     // the current PIN
	NewPin    string `json:"new_pin"` // checked against the PIN policy
}

// challengeDomain separates biometric login signatures from every other signature.
const challengeDomain = "oma-biometric-login/v1"

// ChallengeDigest is SHA-256 of the domain, challenge, profile id and client
// id, one per line: what the biometric key signs to log in.
func ChallengeDigest(challenge, profileID, clientID string) [32]byte {
	b := make([]byte, 0, 128)
	b = append(b, challengeDomain...)
	for _, f := range [...]string{challenge, profileID, clientID} {
		b = append(b, '\n')
		b = append(b, f...)
	}
	return sha256.Sum256(b)
}

// VerifyChallengeSignature checks sig (base64url DER ECDSA) over ChallengeDigest.
func VerifyChallengeSignature(pub *ecdsa.PublicKey, sig, challenge, profileID, clientID string) error {
	raw, err := B64.DecodeString(sig)
	if err != nil || len(raw) > 80 {
		return errors.New("protocol: malformed challenge signature")
	}
	d := ChallengeDigest(challenge, profileID, clientID)
	if !ecdsa.VerifyASN1(pub, d[:], raw) {
		return errors.New("protocol: challenge signature does not verify")
	}
	return nil
}
