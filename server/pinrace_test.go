package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// Issue 11, item 2: a correct PIN sent concurrently with wrong ones, and
// enrollments sent with the profile's tokens meanwhile, never outlive the
// removal of the registration. With 6 wrong PINs and the counter at 3 every
// ordering ends with the profile removed (a correct PIN in the middle resets
// the counter, but at least 4 wrong ones remain after it), so after each trial
// no token of the profile works, no enrollment remains, no request got a 5xx,
// and the real user registers and enrolls again (policy single: a left-over
// enrollment would refuse that with enrolled_on_another_device).
func TestPinRaceRemovesEverything(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		off := ratelimit.Limit{Rate: -1}
		o.Config = func(c *server.Config) {
			c.Limits.PinPerProfile, c.Limits.LoginPerUser, c.Limits.LoginPerIP = off, off, off
			c.HashConcurrency = 64
		}
		ts := servertest.Start(t, o)
		const trials, wrong = 15, 6
		for trial := 0; trial < trials; trial++ {
			user := fmt.Sprintf("racer%d", trial)
			ts.CreateUser(user, "racer-password-1")
			d := ts.NewDevice()
			if err := d.RegisterUser(user, "racer-password-1", "13579"); err != nil {
				t.Fatal(err)
			}
			pinRaceTrial(t, ts, d, wrong)
			// The real user comes back: a new registration and enrollment work.
			again := ts.NewDevice()
			if err := again.RegisterUser(user, "racer-password-1", "24680"); err != nil {
				t.Fatalf("trial %d: re-registration: %v", trial, err)
			}
			if err := again.Enroll(); err != nil {
				t.Fatalf("trial %d: re-enrollment: %v", trial, err)
			}
		}
	})
}

type raceResult struct {
	what   string
	status int
	body   []byte
}

func pinRaceTrial(t *testing.T, ts *servertest.TestServer, d *servertest.Device, wrong int) {
	t.Helper()
	pinReq := func(pin string) (string, protocol.TokenRequest) {
		return d.Proof(http.MethodPost, protocol.PathToken, "", nil), protocol.TokenRequest{GrantType: protocol.GrantPin, ProfileID: d.ProfileID, Pin: pin}
	}
	enroll := func(token string) (int, []byte, error) {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		return d.Raw(http.MethodPost, protocol.PathEnroll, d.Proof(http.MethodPost, protocol.PathEnroll, token, nil), token,
			protocol.EnrollRequest{CSR: servertest.NewCSR(k)})
	}
	var (
		mu      sync.Mutex
		results []raceResult
		tokens  = []string{d.Access, d.Refresh}
		start   = make(chan struct{})
		wg      sync.WaitGroup
	)
	record := func(what string, status int, body []byte, err error) {
		if err != nil {
			t.Errorf("%s: %v", what, err)
			return
		}
		mu.Lock()
		results = append(results, raceResult{what, status, body})
		mu.Unlock()
	}
	for i := 0; i < wrong; i++ {
		proof, body := pinReq(fmt.Sprintf("9%04d", i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			s, b, err := d.Raw(http.MethodPost, protocol.PathToken, proof, "", body)
			record("wrong PIN", s, b, err)
		}()
	}
	proof, body := pinReq("13579")
	wg.Add(2)
	go func() { // the correct PIN, then an enrollment with its access token
		defer wg.Done()
		<-start
		s, b, err := d.Raw(http.MethodPost, protocol.PathToken, proof, "", body)
		record("correct PIN", s, b, err)
		if err != nil || s != http.StatusOK {
			return
		}
		var tr protocol.TokenResponse
		if err := json.Unmarshal(b, &tr); err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		tokens = append(tokens, tr.AccessToken, tr.RefreshToken)
		mu.Unlock()
		s, b, err = enroll(tr.AccessToken)
		record("enroll with the new token", s, b, err)
	}()
	access := d.Access
	go func() { // an enrollment with the registration's first token
		defer wg.Done()
		<-start
		s, b, err := enroll(access)
		record("enroll with the first token", s, b, err)
	}()
	close(start)
	wg.Wait()

	for _, r := range results {
		if r.status >= 500 {
			t.Errorf("%s: HTTP %d %s", r.what, r.status, r.body)
		}
		if r.what == "wrong PIN" && r.status == http.StatusOK {
			t.Errorf("wrong PIN accepted")
		}
	}
	ctx := context.Background()
	err := ts.Server.Store().View(ctx, func(tx store.Tx) error {
		if _, err := tx.GetProfile(ctx, d.ProfileID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("profile still there after %d concurrent wrong PINs (err %v)", wrong, err)
		}
		es, err := tx.EnrollmentsOfUser(ctx, d.UserID)
		if err != nil {
			return err
		}
		if len(es) != 0 {
			t.Errorf("%d enrollment(s) outlived the removal: %+v", len(es), es)
		}
		for _, tok := range tokens {
			if _, err := tx.GetToken(ctx, secrethash.Token(tok)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("a token of the removed profile is still stored (err %v)", err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, tok := range tokens {
		if i%2 == 1 {
			continue // refresh tokens
		}
		s, b, err := d.Raw(http.MethodGet, protocol.PathUserInfo, d.Proof(http.MethodGet, protocol.PathUserInfo, tok, nil), tok, nil)
		if err != nil || s != http.StatusUnauthorized {
			t.Errorf("access token after removal: HTTP %d %s %v", s, b, err)
		}
	}
	if t.Failed() {
		for _, r := range results {
			t.Logf("%s: HTTP %d %s", r.what, r.status, r.body)
		}
		t.FailNow()
	}
}
