package device_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/servertest"
)

// Client registration: the proof carries the registered key as jwk and is
// signed by it; the body's key must be that key.
func TestClientRegistration(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.NewDevice()
	if d.ClientID == "" {
		t.Fatal("no client id")
	}
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	wire, _ := protocol.EncodePublicKey(&k.PublicKey)
	body := protocol.ClientRegistrationRequest{AppID: "app", AppVersion: "1", Platform: "android", ClientKey: wire, RedirectURI: "app://cb"}
	proof := func(key *ecdsa.PrivateKey, kid string, mutate func(*protocol.ProofClaims)) string {
		c := protocol.ProofClaims{JTI: protocol.NewJTI(), HTM: "POST", HTU: ts.URL + protocol.PathClients, IAT: time.Now().Unix()}
		if mutate != nil {
			mutate(&c)
		}
		var pub *ecdsa.PublicKey
		if kid == "" {
			pub = &key.PublicKey
		}
		p, err := protocol.MakeProof(servertest.Signer(key), kid, pub, c)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for name, c := range map[string]struct {
		proof  string
		body   any
		status int
	}{
		"jwk of another key":  {proof(other, "", nil), body, http.StatusUnauthorized},
		"kid instead of jwk":  {proof(k, d.ClientID, nil), body, http.StatusUnauthorized},
		"stale":               {proof(k, "", func(c *protocol.ProofClaims) { c.IAT -= 120 }), body, http.StatusUnauthorized},
		"other url":           {proof(k, "", func(c *protocol.ProofClaims) { c.HTU = ts.URL + protocol.PathToken }), body, http.StatusUnauthorized},
		"no redirect uri":     {proof(k, "", nil), protocol.ClientRegistrationRequest{AppID: "a", ClientKey: wire}, http.StatusBadRequest},
		"relative redirect":   {proof(k, "", nil), protocol.ClientRegistrationRequest{AppID: "a", ClientKey: wire, RedirectURI: "/cb"}, http.StatusBadRequest},
		"no app id":           {proof(k, "", nil), protocol.ClientRegistrationRequest{ClientKey: wire, RedirectURI: "app://cb"}, http.StatusBadRequest},
		"key is not a key":    {proof(k, "", nil), protocol.ClientRegistrationRequest{AppID: "a", ClientKey: "AAAA", RedirectURI: "app://cb"}, http.StatusBadRequest},
		"registered ok (x2)":  {proof(k, "", nil), body, http.StatusOK},
		"registered ok again": {proof(k, "", nil), body, http.StatusOK},
	} {
		st, b, err := d.Raw(http.MethodPost, protocol.PathClients, c.proof, "", c.body)
		if err != nil {
			t.Fatal(err)
		}
		if st != c.status {
			t.Errorf("%s: HTTP %d %s, want %d", name, st, b, c.status)
		}
	}
}
