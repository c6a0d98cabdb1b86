package bridge_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/openmobileauth/oma/bridge"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/internal/weblogin"
	"github.com/openmobileauth/oma/server/servertest"
)

// nativeBiometric behaves as the Android and iOS user-verified key stores do
// across gobind: outcomes come back as plain errors whose message starts with
// a UV_* code (what a thrown exception's or NSError's message becomes), never
// as the core's own error values.
type nativeBiometric struct {
	keys *device.SoftKeyStore

	mu        sync.Mutex
	available string
	outcomes  []string // the next prompts' errors ("" = the user passes)
	calls     []string
}

func newNativeBiometric() *nativeBiometric {
	return &nativeBiometric{keys: device.NewSoftKeyStore(device.NewMemStorage())}
}

func (b *nativeBiometric) record(c string) {
	b.mu.Lock()
	b.calls = append(b.calls, c)
	b.mu.Unlock()
}

func (b *nativeBiometric) BiometricAvailable() string {
	b.record("available")
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.available
}

func (b *nativeBiometric) GenerateUserVerifiedKey(alias string) ([]byte, error) {
	b.record("generate")
	return b.keys.GenerateKey(alias)
}

func (b *nativeBiometric) SignWithUserVerification(alias string, digest []byte, prompt string) ([]byte, error) {
	b.record("sign " + prompt)
	b.mu.Lock()
	out := ""
	if len(b.outcomes) > 0 {
		out, b.outcomes = b.outcomes[0], b.outcomes[1:]
	}
	b.mu.Unlock()
	if out != "" {
		return nil, errors.New(out)
	}
	return b.keys.Sign(alias, digest)
}

func (b *nativeBiometric) DeleteUserVerifiedKey(alias string) error {
	b.record("delete")
	return b.keys.DeleteKey(alias)
}

func (b *nativeBiometric) script(outcomes ...string) {
	b.mu.Lock()
	b.outcomes = append(b.outcomes, outcomes...)
	b.mu.Unlock()
}

func (b *nativeBiometric) callLog() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.calls...)
}

// bioSession drives the core through bridge.Invoke, as a native module does.
type bioSession struct {
	t    *testing.T
	r    *recorder
	id   int
	seen int // events before this index were consumed
}

// call invokes method and returns a function that waits for its answer.
func (s *bioSession) call(method string, params any) func() envelope {
	s.t.Helper()
	s.id++
	id := s.id
	p, _ := json.Marshal(params)
	s.r.invoke(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, id, method, p))
	return func() envelope {
		s.t.Helper()
		deadline := time.After(20 * time.Second)
		for {
			for _, m := range s.r.snapshot() {
				if e := decode(s.t, m); e.Method == "" && idOf(e) == fmt.Sprint(id) {
					return e
				}
			}
			select {
			case <-s.r.notify:
			case <-deadline:
				s.t.Fatalf("%s (id %d) not answered: %q", method, id, s.r.snapshot())
			}
		}
	}
}

func (s *bioSession) do(method string, params any) gjson.Result {
	s.t.Helper()
	e := s.call(method, params)()
	if e.Error != nil {
		s.t.Fatalf("%s: error %d %s", method, e.Error.Code, e.Error.Message)
	}
	if e.Result == nil { // a null result
		return gjson.Result{}
	}
	return gjson.ParseBytes(*e.Result)
}

func (s *bioSession) fails(code dispatch.Code, method string, params any) {
	s.t.Helper()
	e := s.call(method, params)()
	if e.Error == nil || e.Error.Code != int(code) {
		s.t.Fatalf("%s: want error %d, got %+v", method, code, e)
	}
}

// event waits for the next event of typ (and action, if not "") and returns its params.
func (s *bioSession) event(typ, action string) gjson.Result {
	s.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		msgs := s.r.snapshot()
		for i := s.seen; i < len(msgs); i++ {
			p := gjson.Get(msgs[i], "params")
			if gjson.Get(msgs[i], "method").Str == "event" && p.Get("type").Str == typ && (action == "" || p.Get("action").Str == action) {
				s.seen = i + 1
				return p
			}
		}
		select {
		case <-s.r.notify:
		case <-deadline:
			s.t.Fatalf("no %s %s event: %q", typ, action, msgs[s.seen:])
		}
	}
}

// register registers the demo user and returns the profile id and PIN.
func (s *bioSession) register(ts *servertest.TestServer) (string, string) {
	s.t.Helper()
	s.do("startClient", map[string]any{"serverUrl": ts.URL, "appId": "oma-app", "redirectUri": "oma-app://registration/callback"})
	answer := s.call("registerUser", map[string]any{"identityProviderId": nil})
	loginURL := s.event("ONEWELCOME_REGISTRATION_NOTIFICATION", "").Get("url").Str
	loc, err := weblogin.Login(context.Background(), http.DefaultClient, loginURL, ts.DemoUser, ts.DemoPassword)
	if err != nil {
		s.t.Fatalf("login: %v", err)
	}
	s.do("handleRegistrationCallback", map[string]any{"uri": loc.String()})
	n := int(s.event("ONEWELCOME_PIN_CREATE_NOTIFICATION", "open").Get("pinLength").Int())
	pin := "2468097531"[:n]
	s.do("submitPin", map[string]any{"flow": "Create", "pin": pin})
	e := answer()
	if e.Error != nil {
		s.t.Fatalf("registerUser: %+v", e.Error)
	}
	return gjson.GetBytes(*e.Result, "userProfile.id").Str, pin
}

func authenticatorIDs(all gjson.Result) []string {
	var ids []string
	for _, a := range all.Array() {
		ids = append(ids, fmt.Sprintf("%s registered=%v", a.Get("id").Str, a.Get("isRegistered").Bool()))
	}
	return ids
}

// A native user-verified key store given to Start is the one the core uses:
// registration makes its key, authentication asks it to sign under the
// prompt, and its outcomes arrive as UV_* messages through gobind's plain
// errors and become the SDK's codes (cancel 9006, lockout 9017 with the PIN
// still usable, a changed biometric set removes the authenticator).
func TestStartWithNativeBiometric(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	r := newRecorder()
	r.t = t
	bio := newNativeBiometric()
	if err := bridge.Start(`{"logLevel":"disabled","platform":"android"}`, r, nil, nil, bio); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bridge.Close)
	s := &bioSession{t: t, r: r}
	pid, pin := s.register(ts)

	reg := s.call("registerFingerprintAuthenticator", map[string]any{"profileId": pid})
	s.event("ONEWELCOME_PIN_AUTHENTICATION_NOTIFICATION", "open")
	s.do("submitPin", map[string]any{"flow": "Authentication", "pin": pin})
	if e := reg(); e.Error != nil {
		t.Fatalf("registerFingerprintAuthenticator: %+v", e.Error)
	}
	fingerprint := func() func() envelope {
		c := s.call("authenticateUser", map[string]any{"profileId": pid, "authenticatorId": "fingerprint"})
		s.event("ONEWELCOME_FINGERPRINT_NOTIFICATION", "startAuthentication")
		s.do("submitFingerprintAcceptAuthenticationRequest", nil)
		return c
	}
	if e := fingerprint()(); e.Error != nil {
		t.Fatalf("fingerprint authentication: %+v", e.Error)
	}
	bio.script("UV_FAILED: not recognised", "") // one miss, then the user passes
	if e := fingerprint()(); e.Error != nil {
		t.Fatalf("fingerprint authentication after a miss: %+v", e.Error)
	}
	s.event("ONEWELCOME_FINGERPRINT_NOTIFICATION", "onNextAuthenticationAttempt")

	bio.script("UV_CANCELED: the user canceled")
	if e := fingerprint()(); e.Error == nil || e.Error.Code != int(dispatch.CodeCancelled) {
		t.Fatalf("canceled prompt: %+v", e)
	}
	bio.script("UV_LOCKOUT: too many attempts")
	if e := fingerprint()(); e.Error == nil || e.Error.Code != int(dispatch.CodeBiometricFailure) {
		t.Fatalf("lockout: %+v", e)
	}
	bio.script("UV_KEY_INVALIDATED: key permanently invalidated")
	if e := fingerprint()(); e.Error == nil || e.Error.Code != int(dispatch.CodeAuthenticatorDeregistered) {
		t.Fatalf("changed biometrics: %+v", e)
	}
	all := s.do("getAllAuthenticators", map[string]any{"profileId": pid})
	if got := strings.Join(authenticatorIDs(all), ","); got != "PIN registered=true,fingerprint registered=false" {
		t.Fatalf("after the key was invalidated: %s", got)
	}
	var signs int
	for _, c := range bio.callLog() {
		if c == "sign Log in" {
			signs++
		}
	}
	if signs != 6 {
		t.Fatalf("native prompts %d, calls %q", signs, bio.callLog())
	}
}

// With a native key store and no biometric capability (a nil one), the device
// offers no biometric authenticator.
func TestStartWithoutBiometricOffersNone(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	r := newRecorder()
	r.t = t
	keys := device.NewSoftKeyStore(device.NewMemStorage())
	if err := bridge.Start(`{"logLevel":"disabled","platform":"android"}`, r, device.NewMemStorage(), nativeKeyStore{keys}, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bridge.Close)
	s := &bioSession{t: t, r: r}
	pid, _ := s.register(ts)
	all := s.do("getAllAuthenticators", map[string]any{"profileId": pid})
	if got := strings.Join(authenticatorIDs(all), ","); got != "PIN registered=true" {
		t.Fatalf("getAllAuthenticators without a biometric capability: %s", got)
	}
	s.fails(dispatch.CodeAuthenticatorNotRegistered, "authenticateUser", map[string]any{"profileId": pid, "authenticatorId": "fingerprint"})
}

// nativeKeyStore wraps the soft key store as a native bridge.KeyStore.
type nativeKeyStore struct{ k *device.SoftKeyStore }

func (n nativeKeyStore) GenerateKey(a string) ([]byte, error)    { return n.k.GenerateKey(a) }
func (n nativeKeyStore) PublicKey(a string) ([]byte, error)      { return n.k.PublicKey(a) }
func (n nativeKeyStore) Sign(a string, d []byte) ([]byte, error) { return n.k.Sign(a, d) }
func (n nativeKeyStore) DeleteKey(a string) error                { return n.k.DeleteKey(a) }
