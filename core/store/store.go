package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/openmobileauth/oma/core/device"
)

// Storage keys. Every key the core writes starts with "oma.".
const (
	keyClient   = "oma.client"
	keyProfiles = "oma.profiles"
	keySession  = "oma.session"
	keyTokens   = "oma.tokens."
)

// Client is the app instance's registration with a server.
type Client struct {
	ServerURL   string `json:"serverUrl"`
	ClientID    string `json:"clientId"`
	PinLength   int    `json:"pinLength"`
	AppID       string `json:"appId"`
	AppVersion  string `json:"appVersion"`
	RedirectURI string `json:"redirectUri"`
	KeyAlias    string `json:"keyAlias"`
}

// Enrollment is a profile's mobile-authentication enrollment on this device.
type Enrollment struct {
	ID          string `json:"id"`
	Certificate string `json:"certificate"` // base64url X.509 DER as the server issued it
	KeyAlias    string `json:"keyAlias"`
	EnrolledAt  int64  `json:"enrolledAt"` // unix seconds
	// PushProvider is the provider of the push target registered from this
	// device ("" when none): fcm, apns or webpush.
	PushProvider string `json:"pushProvider,omitempty"`
}

// Profile is a registered user on this device.
type Profile struct {
	ID         string      `json:"id"`
	UserID     string      `json:"userId"`
	Enrollment *Enrollment `json:"enrollment,omitempty"`
	// Biometric: the profile's biometric authenticator is registered (its
	// key is keys.BiometricAlias(ID) in the UserVerifiedKeyStore).
	Biometric bool `json:"biometric,omitempty"`
	// Preferred is the authenticator authenticateUser(profileId, null) uses
	// ("" or "PIN": the PIN).
	Preferred string `json:"preferred,omitempty"`
}

// Tokens are a profile's DPoP-bound tokens.
type Tokens struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken,omitempty"`
	ExpiresAt    int64  `json:"expiresAt"` // unix seconds
	Scope        string `json:"scope,omitempty"`
}

// Session names the authenticated profile.
type Session struct {
	ProfileID string `json:"profileId"`
}

// Store is typed state over a device.Storage. It is safe for concurrent use;
// read-modify-write of the profile list is serialised.
type Store struct {
	mu sync.Mutex
	s  device.Storage
}

// New returns a Store over s.
func New(s device.Storage) *Store { return &Store{s: s} }

func (st *Store) get(key string, v any) (bool, error) {
	b, err := st.s.Get(key)
	if err != nil {
		return false, fmt.Errorf("store: reading %s: %w", key, err)
	}
	if len(b) == 0 {
		return false, nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("store: %s is corrupt: %w", key, err)
	}
	return true, nil
}

func (st *Store) put(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := st.s.Set(key, b); err != nil {
		return fmt.Errorf("store: writing %s: %w", key, err)
	}
	return nil
}

func (st *Store) del(key string) error {
	if err := st.s.Delete(key); err != nil {
		return fmt.Errorf("store: deleting %s: %w", key, err)
	}
	return nil
}

// Client returns the stored client registration, or nil when there is none.
func (st *Store) Client() (*Client, error) {
	var c Client
	ok, err := st.get(keyClient, &c)
	if !ok || err != nil {
		return nil, err
	}
	return &c, nil
}

// SetClient stores the client registration.
func (st *Store) SetClient(c Client) error { return st.put(keyClient, c) }

// Profiles returns every stored profile, ordered by id.
func (st *Store) Profiles() ([]Profile, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.profiles()
}

func (st *Store) profiles() ([]Profile, error) {
	var ps []Profile
	if _, err := st.get(keyProfiles, &ps); err != nil {
		return nil, err
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
	return ps, nil
}

// Profile returns the profile id, or nil when it does not exist.
func (st *Store) Profile(id string) (*Profile, error) {
	ps, err := st.Profiles()
	if err != nil {
		return nil, err
	}
	for i := range ps {
		if ps[i].ID == id {
			return &ps[i], nil
		}
	}
	return nil, nil
}

// PutProfile adds p or replaces the profile with p's id.
func (st *Store) PutProfile(p Profile) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	ps, err := st.profiles()
	if err != nil {
		return err
	}
	replaced := false
	for i := range ps {
		if ps[i].ID == p.ID {
			ps[i], replaced = p, true
		}
	}
	if !replaced {
		ps = append(ps, p)
	}
	return st.put(keyProfiles, ps)
}

// UpdateProfile applies f to the stored profile id under the store's lock; it
// reports false when the profile does not exist.
func (st *Store) UpdateProfile(id string, f func(p *Profile)) (bool, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	ps, err := st.profiles()
	if err != nil {
		return false, err
	}
	for i := range ps {
		if ps[i].ID == id {
			f(&ps[i])
			return true, st.put(keyProfiles, ps)
		}
	}
	return false, nil
}

// DeleteProfile removes the profile id, its tokens and, when it is the
// authenticated one, the session.
func (st *Store) DeleteProfile(id string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	ps, err := st.profiles()
	if err != nil {
		return err
	}
	out := ps[:0]
	for _, p := range ps {
		if p.ID != id {
			out = append(out, p)
		}
	}
	if err := st.put(keyProfiles, out); err != nil {
		return err
	}
	if err := st.del(keyTokens + id); err != nil {
		return err
	}
	var s Session
	if ok, err := st.get(keySession, &s); err == nil && ok && s.ProfileID == id {
		return st.del(keySession)
	}
	return nil
}

// Tokens returns the tokens of profile id, or nil.
func (st *Store) Tokens(id string) (*Tokens, error) {
	var t Tokens
	ok, err := st.get(keyTokens+id, &t)
	if !ok || err != nil {
		return nil, err
	}
	return &t, nil
}

// SetTokens stores the tokens of profile id.
func (st *Store) SetTokens(id string, t Tokens) error { return st.put(keyTokens+id, t) }

// DeleteTokens removes the tokens of profile id.
func (st *Store) DeleteTokens(id string) error { return st.del(keyTokens + id) }

// Session returns the authenticated session, or nil.
func (st *Store) Session() (*Session, error) {
	var s Session
	ok, err := st.get(keySession, &s)
	if !ok || err != nil {
		return nil, err
	}
	return &s, nil
}

// SetSession stores the authenticated session.
func (st *Store) SetSession(s Session) error { return st.put(keySession, s) }

// ClearSession removes the authenticated session.
func (st *Store) ClearSession() error { return st.del(keySession) }

// Reset removes everything the core stored: client, profiles, tokens, session.
// It returns the profiles that existed so the caller can delete their keys.
func (st *Store) Reset() ([]Profile, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	ps, err := st.profiles()
	if err != nil {
		ps = nil // a corrupt list is removed too
	}
	for _, p := range ps {
		if err := st.del(keyTokens + p.ID); err != nil {
			return ps, err
		}
	}
	for _, k := range []string{keyProfiles, keySession, keyClient} {
		if err := st.del(k); err != nil {
			return ps, err
		}
	}
	return ps, nil
}
