package servertest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/store"
)

// NewBiometricKey makes a software P-256 key standing in for the
// user-verified hardware key.
func NewBiometricKey() *ecdsa.PrivateKey {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	return k
}

// RegisterBiometric registers key's public key as the profile's biometric
// authenticator with the device's access token.
func (d *Device) RegisterBiometric(key *ecdsa.PrivateKey) error {
	wire, err := protocol.EncodePublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	var out protocol.AuthenticatorRegisterResponse
	return d.Call(http.MethodPost, protocol.PathAuthenticators, true,
		protocol.AuthenticatorRegisterRequest{ProfileID: d.ProfileID, Type: protocol.AuthenticatorBiometric, PublicKey: wire}, &out)
}

// DeregisterBiometric removes the profile's biometric authenticator.
func (d *Device) DeregisterBiometric() error {
	return d.Call(http.MethodPost, protocol.PathAuthenticatorDeregister, true,
		protocol.AuthenticatorDeregisterRequest{ProfileID: d.ProfileID, Type: protocol.AuthenticatorBiometric}, nil)
}

// Challenge asks for a biometric login challenge for profileID.
func (d *Device) Challenge(profileID string) (string, error) {
	var out protocol.ChallengeResponse
	err := d.Call(http.MethodPost, protocol.PathAuthenticatorChallenge, false, protocol.ChallengeRequest{ProfileID: profileID}, &out)
	return out.Challenge, err
}

// SignChallenge signs challenge for profileID on this device's client with key.
func (d *Device) SignChallenge(key *ecdsa.PrivateKey, challenge, profileID string) string {
	dg := protocol.ChallengeDigest(challenge, profileID, d.ClientID)
	sig, _ := ecdsa.SignASN1(rand.Reader, key, dg[:])
	return protocol.B64.EncodeToString(sig)
}

// BiometricLogin runs the biometric grant with challenge and signature; on
// success the device holds the new tokens.
func (d *Device) BiometricLogin(profileID, challenge, signature string) error {
	var tr protocol.TokenResponse
	err := d.Call(http.MethodPost, protocol.PathToken, false, protocol.TokenRequest{GrantType: protocol.GrantBiometric, ProfileID: profileID,
		Challenge: challenge, Signature: signature}, &tr)
	if err == nil {
		d.Access, d.Refresh = tr.AccessToken, tr.RefreshToken
	}
	return err
}

// ChangePin replaces the profile's PIN after the server verified pin.
func (d *Device) ChangePin(pin, newPin string) error {
	return d.Call(http.MethodPost, protocol.PathChangePin, true, protocol.ChangePinRequest{ProfileID: d.ProfileID, Pin: pin, NewPin: newPin}, nil)
}

// ProfileAuthenticator reads the profile's biometric authenticator from the
// server's store (store.ErrNotFound when there is none).
func ProfileAuthenticator(ts *TestServer, profileID string) (store.Authenticator, error) {
	var a store.Authenticator
	err := ts.Server.Store().View(context.Background(), func(tx store.Tx) error {
		var err error
		a, err = tx.GetAuthenticator(context.Background(), profileID, protocol.AuthenticatorBiometric)
		return err
	})
	return a, err
}
