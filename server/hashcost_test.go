package server_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/servertest"
)

// loginStatus runs a login and returns the HTTP status of the form post
// (302 for a success).
func loginStatus(d *servertest.Device, user, password string) int {
	_, _, err := d.Login(user, password)
	if err == nil {
		return 302
	}
	var ae *servertest.APIError
	if !errors.As(err, &ae) {
		return -1
	}
	return ae.Status
}

// Issue 11, item 3: password spraying from one address is limited across
// user names (default limits): of 60 user names tried in a burst at most the
// burst (20) plus its refill is checked, every check costs one argon2
// computation whether the user exists or not, and the rest is refused before
// any hashing.
func TestLoginSprayingLimitedPerIP(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.NewDevice()
	before := ts.Server.HashStats().Hashes
	checked, limited := 0, 0
	for i := 0; i < 60; i++ {
		user := fmt.Sprintf("sprayed%02d", i)
		if i%10 == 0 {
			user = ts.DemoUser // existing users are in the list too
		}
		switch st := loginStatus(d, user, "Summer2026!"); st {
		case 200:
			checked++
		case 429:
			limited++
		default:
			t.Fatalf("login %d: HTTP %d", i, st)
		}
	}
	hashes := ts.Server.HashStats().Hashes - before
	if checked > 25 || limited < 35 {
		t.Fatalf("60 user names from one IP: %d checked, %d limited; want at most ~20 checked", checked, limited)
	}
	if hashes != int64(checked) {
		t.Fatalf("%d argon2 computations for %d checked logins (unknown users must cost one too, refused ones none)", hashes, checked)
	}
}

// The code grant checks the code before hashing the new PIN: an anonymous
// client with a made-up or mismatching code makes the server do no argon2 work.
func TestCodeGrantChecksCodeBeforeHashing(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.NewDevice()
	before := ts.Server.HashStats().Hashes
	for i := 0; i < 10; i++ {
		wantErr(t, d.ExchangeCode(protocol.RandomToken(32), "verifier-verifier-verifier-verifier-verifier", "13579"), protocol.ErrInvalidGrant)
	}
	code, _, err := d.Login(ts.DemoUser, ts.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	afterLogin := ts.Server.HashStats().Hashes
	if afterLogin-before != 1 {
		t.Fatalf("made-up codes and one login ran %d argon2 computations, want 1 (the login)", afterLogin-before)
	}
	wantErr(t, d.ExchangeCode(code, "wrong-verifier-wrong-verifier-wrong-verifier", "13579"), protocol.ErrInvalidGrant)
	if n := ts.Server.HashStats().Hashes - afterLogin; n != 0 {
		t.Fatalf("a code with the wrong verifier ran %d argon2 computations", n)
	}
	// A good code with a good PIN hashes once.
	if err := d.RegisterUser(ts.DemoUser, ts.DemoPassword, "13579"); err != nil {
		t.Fatal(err)
	}
	if n := ts.Server.HashStats().Hashes - afterLogin; n != 2 {
		t.Fatalf("login + registration ran %d argon2 computations, want 2", n)
	}
}

// Concurrent argon2 work is bounded by HashConcurrency; the overflow is
// answered at once with 503 (login page) instead of queueing.
func TestHashConcurrencyBounded(t *testing.T) {
	off := ratelimit.Limit{Rate: -1}
	ts := servertest.Start(t, servertest.Options{Config: func(c *server.Config) {
		c.Limits.LoginPerIP, c.Limits.LoginPerUser = off, off
		c.HashConcurrency = 2
		c.Argon2 = server.Argon2Params{Time: 4, MemoryKiB: 8 * 1024, Threads: 1}
	}})
	d := ts.NewDevice()
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < 24; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			st := loginStatus(d, fmt.Sprintf("nobody%d", i), "whatever-password")
			mu.Lock()
			counts[st]++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	st := ts.Server.HashStats()
	if st.MaxRunning > 2 {
		t.Fatalf("%d argon2 computations ran at once, bound 2", st.MaxRunning)
	}
	if counts[503] == 0 || counts[200] == 0 || counts[200]+counts[503] != 24 {
		t.Fatalf("statuses %v: want wrong-password pages and 503s only", counts)
	}
	if int64(counts[503]) != st.Refused {
		t.Fatalf("503s %d, gate refusals %d", counts[503], st.Refused)
	}
}

// Issue 11, item 11: failed logins and wrong PINs are audit records (audit
// marker, event, peer IP, user) that never carry the password or the PIN.
func TestAuditRecordsForFailures(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	if st := loginStatus(d, ts.DemoUser, "Wrong-Password-777"); st != 200 {
		t.Fatalf("wrong password: HTTP %d", st)
	}
	if st := loginStatus(d, "no-such-user", "Other-Password-888"); st != 200 {
		t.Fatalf("unknown user: HTTP %d", st)
	}
	wantErr(t, d.Authenticate("97531"), protocol.ErrInvalidPin)
	logs := ts.Logs.String()
	for _, secret := range []string{"Wrong-Password-777", "Other-Password-888", "97531", "13579", ts.DemoPassword} {
		if strings.Contains(logs, secret) {
			t.Fatalf("a password or PIN reached the log")
		}
	}
	type rec struct {
		Audit     bool   `json:"audit"`
		Event     string `json:"event"`
		IP        string `json:"ip"`
		User      string `json:"user"`
		UserID    string `json:"user_id"`
		ProfileID string `json:"profile_id"`
	}
	var got []rec
	sc := bufio.NewScanner(strings.NewReader(logs))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r rec
		// Only the failure records: normal operation (login_succeeded,
		// enrolled, ...) is audited too.
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Audit && strings.HasSuffix(r.Event, "_failed") {
			got = append(got, r)
		}
	}
	want := []rec{
		{Audit: true, Event: "login_failed", IP: "127.0.0.1", User: ts.DemoUser},
		{Audit: true, Event: "login_failed", IP: "127.0.0.1", User: "no-such-user"},
		{Audit: true, Event: "pin_failed", IP: "127.0.0.1", UserID: ts.DemoUserID, ProfileID: d.ProfileID},
	}
	if len(got) != len(want) {
		t.Fatalf("audit records %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("audit record %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
