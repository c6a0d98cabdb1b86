package store

import (
	"path/filepath"
	"testing"

	"github.com/openmobileauth/oma/core/device"
)

func TestStateSurvivesReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	fs, err := device.NewFileStorage(dir)
	if err != nil {
		t.Fatal(err)
	}
	st := New(fs)
	if c, err := st.Client(); c != nil || err != nil {
		t.Fatalf("empty store has client %v %v", c, err)
	}
	must(t, st.SetClient(Client{ServerURL: "http://127.0.0.1:1", ClientID: "c1", PinLength: 5, KeyAlias: "client"}))
	must(t, st.PutProfile(Profile{ID: "p2", UserID: "u2"}))
	must(t, st.PutProfile(Profile{ID: "p1", UserID: "u1"}))
	must(t, st.SetTokens("p1", Tokens{AccessToken: "at", ExpiresAt: 9}))
	must(t, st.SetSession(Session{ProfileID: "p1"}))
	ok, err := st.UpdateProfile("p1", func(p *Profile) { p.Enrollment = &Enrollment{ID: "e1", KeyAlias: "mobileauth/p1"} })
	if !ok || err != nil {
		t.Fatal("update", ok, err)
	}

	fs2, err := device.NewFileStorage(dir) // a restarted core
	if err != nil {
		t.Fatal(err)
	}
	st2 := New(fs2)
	c, err := st2.Client()
	if err != nil || c == nil || c.ClientID != "c1" || c.PinLength != 5 {
		t.Fatalf("client %+v %v", c, err)
	}
	ps, err := st2.Profiles()
	if err != nil || len(ps) != 2 || ps[0].ID != "p1" || ps[1].ID != "p2" {
		t.Fatalf("profiles %+v %v", ps, err)
	}
	if ps[0].Enrollment == nil || ps[0].Enrollment.ID != "e1" {
		t.Fatalf("enrollment lost: %+v", ps[0])
	}
	tok, _ := st2.Tokens("p1")
	if tok == nil || tok.AccessToken != "at" {
		t.Fatalf("tokens %+v", tok)
	}
	s, _ := st2.Session()
	if s == nil || s.ProfileID != "p1" {
		t.Fatalf("session %+v", s)
	}

	must(t, st2.DeleteProfile("p1"))
	if p, _ := st2.Profile("p1"); p != nil {
		t.Fatal("deleted profile still there")
	}
	if tok, _ := st2.Tokens("p1"); tok != nil {
		t.Fatal("tokens of deleted profile kept")
	}
	if s, _ := st2.Session(); s != nil {
		t.Fatal("session of deleted profile kept")
	}
	if ok, _ := st2.UpdateProfile("nope", func(*Profile) {}); ok {
		t.Fatal("update of a missing profile reported success")
	}
	ps, err = st2.Reset()
	if err != nil || len(ps) != 1 || ps[0].ID != "p2" {
		t.Fatalf("reset returned %+v %v", ps, err)
	}
	if c, _ := st2.Client(); c != nil {
		t.Fatal("client survives reset")
	}
}

func TestCorruptValueIsAnError(t *testing.T) {
	m := device.NewMemStorage()
	must(t, m.Set(keyProfiles, []byte("{not json")))
	if _, err := New(m).Profiles(); err == nil {
		t.Fatal("corrupt profiles read without error")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
