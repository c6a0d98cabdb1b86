package server_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/device"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// wallClock is a settable wall clock (Config.WallClock).
type wallClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *wallClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *wallClock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// wantProofReused asserts a device answer is the replay refusal.
func wantProofReused(t *testing.T, what string, status int, body []byte) {
	t.Helper()
	var e protocol.ErrorResponse
	_ = json.Unmarshal(body, &e)
	if status != http.StatusUnauthorized || e.Error != protocol.ErrInvalidDPoP || !strings.Contains(e.ErrorDescription, "already used") {
		t.Fatalf("%s: HTTP %d %s, want 401 invalid_dpop_proof (proof already used)", what, status, body)
	}
}

// Issue 11 item 6: a proof is spent by every request it authenticates, also
// when that request is refused; the same proof cannot then authenticate a
// request that would have succeeded.
func TestRefusedRequestSpendsProof(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		claimWith := func(proof, otp string) (int, []byte) {
			st, b, err := d.Raw(http.MethodPost, protocol.PathClaim, proof, "", protocol.ClaimRequest{OTP: otp, ProfileID: d.ProfileID})
			if err != nil {
				t.Fatal(err)
			}
			return st, b
		}
		// Refused: an unknown OTP (404), then the same proof with a real one.
		p := d.Proof(http.MethodPost, protocol.PathClaim, "", nil)
		if st, b := claimWith(p, protocol.NewOTP()); st != http.StatusNotFound {
			t.Fatalf("unknown OTP: HTTP %d %s", st, b)
		}
		_, otp := newRequest(t, ts, rp.CreateParams{})
		st, b := claimWith(p, otp)
		wantProofReused(t, "claim with the proof of a refused claim", st, b)
		// Refused: a malformed body (400), then a real claim.
		p = d.Proof(http.MethodPost, protocol.PathClaim, "", nil)
		if st, b, _ := d.Raw(http.MethodPost, protocol.PathClaim, p, "", map[string]any{"otp": 5}); st != http.StatusBadRequest {
			t.Fatalf("malformed claim: HTTP %d %s", st, b)
		}
		st, b = claimWith(p, otp)
		wantProofReused(t, "claim with the proof of a malformed claim", st, b)
		// Refused: a profile of another client, then a real claim.
		p = d.Proof(http.MethodPost, protocol.PathClaim, "", nil)
		if st, b, _ := d.Raw(http.MethodPost, protocol.PathClaim, p, "", protocol.ClaimRequest{OTP: otp, ProfileID: "nobody"}); st < 400 {
			t.Fatalf("claim for an unknown profile: HTTP %d %s", st, b)
		}
		st, b = claimWith(p, otp)
		wantProofReused(t, "claim with the proof of a claim for another profile", st, b)
		// The request is still claimable with a fresh proof.
		c, err := d.Claim(otp)
		if err != nil {
			t.Fatal(err)
		}
		// Answer refused (wrong nonce), then the same proof with a good one.
		good := d.SignedAnswer(c, protocol.DecisionAccept, nil)
		bad := good
		bad.Nonce = protocol.RandomToken(16)
		p = d.Proof(http.MethodPost, protocol.PathAnswer, "", nil)
		if st, b, _ := d.Raw(http.MethodPost, protocol.PathAnswer, p, "", bad); st != http.StatusBadRequest {
			t.Fatalf("forged answer: HTTP %d %s", st, b)
		}
		st, b, _ = d.Raw(http.MethodPost, protocol.PathAnswer, p, "", good)
		wantProofReused(t, "answer with the proof of a refused answer", st, b)
		if _, err := d.Answer(good); err != nil {
			t.Fatalf("the answer with a fresh proof: %v", err)
		}
		// Deregistration refused (malformed body), then the same proof with
		// a good one.
		p = d.Proof(http.MethodPost, protocol.PathDeregister, "", nil)
		if st, b, _ := d.Raw(http.MethodPost, protocol.PathDeregister, p, "", map[string]any{"profile_id": 5}); st != http.StatusBadRequest {
			t.Fatalf("malformed deregistration: HTTP %d %s", st, b)
		}
		st, b, _ = d.Raw(http.MethodPost, protocol.PathDeregister, p, "", protocol.DeregisterRequest{ProfileID: d.ProfileID})
		wantProofReused(t, "deregistration with the proof of a refused one", st, b)
	})
}

// A client registration refused after its proof verified (an unknown
// application) spends the proof too: the same proof cannot then register.
func TestRefusedRegistrationSpendsProof(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		d := ts.NewDevice()
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		d.ClientKey, d.ClientID = k, ""
		wire, _ := protocol.EncodePublicKey(&k.PublicKey)
		req := protocol.ClientRegistrationRequest{AppID: "no-such-app", AppVersion: "1.0.0", Platform: "desktop", ClientKey: wire, RedirectURI: d.RedirectURI}
		p := d.Proof(http.MethodPost, protocol.PathClients, "", nil)
		if st, b, _ := d.Raw(http.MethodPost, protocol.PathClients, p, "", req); st < 400 || st == http.StatusUnauthorized {
			t.Fatalf("registration for an unknown application: HTTP %d %s", st, b)
		}
		req.AppID = d.AppID
		st, b, _ := d.Raw(http.MethodPost, protocol.PathClients, p, "", req)
		wantProofReused(t, "registration with the proof of a refused one", st, b)
		if st, b, _ := d.Raw(http.MethodPost, protocol.PathClients, d.Proof(http.MethodPost, protocol.PathClients, "", nil), "", req); st != http.StatusOK {
			t.Fatalf("registration with a fresh proof: HTTP %d %s", st, b)
		}
	})
}

// Issue 11 item 6: the replay cache outlives the proof's validity. A proof
// with iat = now+60 s is acceptable until now+120 s; it is refused as
// reused at +120 s and +120.9 s after the purge ran at that time (by the
// server's wall clock), and its entry goes only after JTIRetention.
func TestReplayCacheOutlivesProofWindow(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		wall := &wallClock{now: time.Now().Truncate(time.Second)}
		o.Config = func(c *server.Config) { c.WallClock = wall }
		ts := servertest.Start(t, o)
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		t0 := wall.Now()
		future := func(c *protocol.ProofClaims) { c.IAT = t0.Unix() + protocol.ProofMaxAgeSecs }
		var keys []string
		for _, firstUse := range []string{"accepted", "refused"} {
			wall.mu.Lock()
			wall.now = t0
			wall.mu.Unlock()
			p := d.Proof(http.MethodPost, protocol.PathClaim, "", future)
			pp, err := protocol.ParseProof(p)
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, d.ClientID+":"+pp.Claims.JTI)
			otp := protocol.NewOTP()
			if firstUse == "accepted" {
				_, otp = newRequest(t, ts, rp.CreateParams{})
			}
			st, b, _ := d.Raw(http.MethodPost, protocol.PathClaim, p, "", protocol.ClaimRequest{OTP: otp, ProfileID: d.ProfileID})
			if (firstUse == "accepted") != (st == http.StatusOK) {
				t.Fatalf("first use (%s): HTTP %d %s", firstUse, st, b)
			}
			for _, at := range []time.Duration{120 * time.Second, 120*time.Second + 900*time.Millisecond} {
				wall.mu.Lock()
				wall.now = t0.Add(at)
				wall.mu.Unlock()
				if err := ts.Server.Purge(ctx); err != nil {
					t.Fatal(err)
				}
				_, otp2 := newRequest(t, ts, rp.CreateParams{})
				st, b, _ := d.Raw(http.MethodPost, protocol.PathClaim, p, "", protocol.ClaimRequest{OTP: otp2, ProfileID: d.ProfileID})
				wantProofReused(t, firstUse+" proof again at +"+at.String(), st, b)
			}
		}
		// The entries go once no proof of that time can be accepted again.
		wall.Add(device.JTIRetention)
		if err := ts.Server.Purge(ctx); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			var fresh bool
			if err := ts.Server.Store().InTx(ctx, func(tx store.Tx) error {
				var err error
				fresh, err = tx.UseJTI(ctx, k, 0)
				return err
			}); err != nil || !fresh {
				t.Fatalf("replay-cache entry %s after JTIRetention: still there (%v)", k, err)
			}
		}
	})
}
