package device_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/servertest"
)

// Invariant 2: every device request carries a fresh proof for its method and
// URL, signed by the client key, bound to the access token it sends.
func TestProofOfPossession(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		other := ts.Enrolled(ts.CreateUser("eve", "eve-password"), "eve-password", "24680")
		path := protocol.PathUserInfo
		get := func(proof, token string) (int, string) {
			st, body, err := d.Raw(http.MethodGet, path, proof, token, nil)
			if err != nil {
				t.Fatal(err)
			}
			return st, string(body)
		}
		ok := d.Proof(http.MethodGet, path, d.Access, nil)
		if st, body := get(ok, d.Access); st != http.StatusOK {
			t.Fatalf("valid proof refused: %d %s", st, body)
		}
		otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		forged, _ := protocol.MakeProof(servertest.Signer(otherKey), d.ClientID, nil, protocol.ProofClaims{
			JTI: protocol.NewJTI(), HTM: "GET", HTU: ts.URL + path, IAT: time.Now().Unix(), ATH: protocol.AccessTokenHash(d.Access)})
		cases := []struct {
			name, proof, token, want string
		}{
			{"reused jti", ok, d.Access, protocol.ErrInvalidDPoP},
			{"stale iat", d.Proof("GET", path, d.Access, func(c *protocol.ProofClaims) { c.IAT -= protocol.ProofMaxAgeSecs + 2 }), d.Access, protocol.ErrInvalidDPoP},
			{"future iat", d.Proof("GET", path, d.Access, func(c *protocol.ProofClaims) { c.IAT += protocol.ProofMaxAgeSecs + 2 }), d.Access, protocol.ErrInvalidDPoP},
			{"wrong method", d.Proof("POST", path, d.Access, nil), d.Access, protocol.ErrInvalidDPoP},
			{"misdirected path", d.Proof("GET", protocol.PathClaim, d.Access, nil), d.Access, protocol.ErrInvalidDPoP},
			{"misdirected host", d.Proof("GET", path, d.Access, func(c *protocol.ProofClaims) { c.HTU = "https://evil.example" + path }), d.Access, protocol.ErrInvalidDPoP},
			{"no ath", d.Proof("GET", path, "", nil), d.Access, protocol.ErrInvalidDPoP},
			{"token of another client", d.Proof("GET", path, other.Access, nil), other.Access, protocol.ErrInvalidToken},
			{"signed by another key", forged, d.Access, protocol.ErrInvalidDPoP},
			{"no proof", "", d.Access, protocol.ErrInvalidDPoP},
			{"garbage proof", "a.b.c", d.Access, protocol.ErrInvalidDPoP},
			{"no token", d.Proof("GET", path, "", nil), "", protocol.ErrInvalidToken},
			{"unknown token", d.Proof("GET", path, "nope", nil), "nope", protocol.ErrInvalidToken},
		}
		for _, c := range cases {
			st, body := get(c.proof, c.token)
			if st != protocol.HTTPStatus(c.want) || !contains(body, `"error":"`+c.want+`"`) {
				t.Errorf("%s: HTTP %d %s, want %s", c.name, st, body, c.want)
			}
		}
		// A proof with the key of another registered client but this kid.
		stolen, _ := protocol.MakeProof(servertest.Signer(other.ClientKey), d.ClientID, nil, protocol.ProofClaims{
			JTI: protocol.NewJTI(), HTM: "GET", HTU: ts.URL + path, IAT: time.Now().Unix(), ATH: protocol.AccessTokenHash(d.Access)})
		if st, _ := get(stolen, d.Access); st != http.StatusUnauthorized {
			t.Errorf("proof by another client's key: HTTP %d", st)
		}
		// Reuse across endpoints: a jti spent on claim cannot be used again.
		p := d.Proof(http.MethodPost, protocol.PathClaim, "", nil)
		if st, _, _ := d.Raw(http.MethodPost, protocol.PathClaim, p, "", protocol.ClaimRequest{OTP: protocol.NewOTP(), ProfileID: d.ProfileID}); st != http.StatusNotFound {
			t.Fatalf("first claim: %d", st)
		}
		// A failed request does not spend the jti, so a replay fails the same way;
		// a successful one does.
		p = d.Proof(http.MethodPost, protocol.PathDeregister, "", nil)
		if st, _, _ := d.Raw(http.MethodPost, protocol.PathDeregister, p, "", protocol.DeregisterRequest{ProfileID: "unknown"}); st != http.StatusOK {
			t.Fatalf("deregister unknown: %d", st)
		}
		if st, body, _ := d.Raw(http.MethodPost, protocol.PathDeregister, p, "", protocol.DeregisterRequest{ProfileID: d.ProfileID}); st != http.StatusUnauthorized {
			t.Fatalf("replayed deregister proof: %d %s", st, body)
		}
		// Registration: the proof must be signed by the key being registered.
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		wire, _ := protocol.EncodePublicKey(&k.PublicKey)
		regProof, _ := protocol.MakeProof(servertest.Signer(otherKey), "", &otherKey.PublicKey, protocol.ProofClaims{JTI: protocol.NewJTI(), HTM: "POST", HTU: ts.URL + protocol.PathClients, IAT: time.Now().Unix()})
		st, body, _ := d.Raw(http.MethodPost, protocol.PathClients, regProof, "", protocol.ClientRegistrationRequest{AppID: "x", ClientKey: wire, RedirectURI: "app://cb"})
		if st != http.StatusUnauthorized || !contains(string(body), protocol.ErrInvalidDPoP) {
			t.Fatalf("registration with a proof by another key: %d %s", st, body)
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// stores runs fn against SQLite and, when OMA_TEST_POSTGRES_URL is set, PostgreSQL.
func stores(t *testing.T, fn func(t *testing.T, o servertest.Options)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, servertest.Options{}) })
	t.Run("postgres", func(t *testing.T) {
		u, ok := servertest.PostgresStoreURL(t)
		if !ok {
			t.Skip("OMA_TEST_POSTGRES_URL not set")
		}
		fn(t, servertest.Options{StoreURL: u})
	})
}
