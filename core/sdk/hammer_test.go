package sdk_test

import (
	"fmt"
	"math/rand"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/tidwall/gjson"
)

// hammer fires random sequences of valid method calls at p from several
// goroutines (seeded, so a failure replays), then closes the core and checks
// that every call was answered with a code from the table (never 8000) and
// that no goroutine outlives the core.
func hammer(t *testing.T, p *phone, seed int64, workers, callsPerWorker int, profileIDs []string, otps func() string) map[string]int {
	t.Helper()
	var mu sync.Mutex
	seen := map[string]int{} // "method code" → count
	record := func(m string, r gjson.Result) {
		checkAnswer(t, r, m)
		mu.Lock()
		seen[fmt.Sprintf("%s %d", m, r.Get("error.code").Int())]++
		mu.Unlock()
	}
	var pending []*pendingCall
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(r *rand.Rand) {
			defer wg.Done()
			for i := 0; i < callsPerWorker; i++ {
				m, params := randomCall(r, p, profileIDs, otps)
				c := p.call(m, params)
				switch m {
				case api.MethodRegisterUser, api.MethodAuthenticateUser, api.MethodHandleMobileAuthWithOtp:
					mu.Lock()
					pending = append(pending, c) // may wait for the app: settled by Close at the latest
					mu.Unlock()
				default:
					record(m, c.wait())
				}
				if r.Intn(4) == 0 {
					time.Sleep(time.Duration(r.Intn(3)) * time.Millisecond)
				}
			}
		}(rand.New(rand.NewSource(seed + int64(w))))
	}
	wg.Wait()
	p.core.Close()
	for _, c := range pending {
		record(c.method, c.wait())
	}
	// After Close every call answers 8020 and nothing hangs.
	if got := p.errCode(api.MethodGetUserProfiles, nil); got != dispatch.CodeNotStarted {
		t.Errorf("call after Close: want 8020, got %d", got)
	}
	return seen
}

func checkAnswer(t *testing.T, r gjson.Result, method string) {
	t.Helper()
	if r.Get("result").Exists() {
		return
	}
	code := dispatch.Code(r.Get("error.code").Int())
	if code == 0 || code == dispatch.CodeInternal || code.Info().Code != code {
		t.Errorf("%s answered %s", method, r.Raw)
	}
}

func randomCall(r *rand.Rand, p *phone, profileIDs []string, otps func() string) (string, map[string]any) {
	pid := "unknown-profile"
	if len(profileIDs) > 0 && r.Intn(5) != 0 {
		pid = profileIDs[r.Intn(len(profileIDs))]
	}
	pins := []string{"13579", goodPin, goodPin, goodPin, goodPin, "11111", "12345", "1", "97531"}
	flows := []string{api.FlowCreate, api.FlowAuthentication}
	switch r.Intn(20) {
	case 19:
		return api.MethodStartClient, map[string]any{"serverUrl": p.url}
	case 0:
		return api.MethodRegisterUser, map[string]any{"identityProviderId": nil, "scopes": []string{"openid"}}
	case 1:
		uri := "oma-app://registration/callback?code=x&state=y"
		p.mu.Lock()
		for i := len(p.events) - 1; i >= 0; i-- {
			if u := p.events[i].Get("url").Str; u != "" {
				uri = "oma-app://registration/callback?code=c&state=" + mustQueryNoT(u, "state")
				break
			}
		}
		p.mu.Unlock()
		return api.MethodHandleRegistrationCallback, map[string]any{"uri": uri}
	case 2:
		return api.MethodCancelBrowserRegistration, nil
	case 3, 4:
		return api.MethodSubmitPin, map[string]any{"flow": flows[r.Intn(2)], "pin": pins[r.Intn(len(pins))]}
	case 5:
		return api.MethodCancelPinCreation, nil
	case 6:
		return api.MethodCancelPinAuthentication, nil
	case 7:
		return api.MethodAuthenticateUser, map[string]any{"profileId": pid, "authenticatorId": nil}
	case 8:
		return api.MethodLogout, nil
	case 9:
		return api.MethodGetUserProfiles, nil
	case 10:
		return api.MethodGetAuthenticatedUserProfile, nil
	case 11:
		return api.MethodEnrollMobileAuthentication, nil
	case 12:
		return api.MethodIsUserEnrolledForMobileAuth, map[string]any{"profileId": pid}
	case 13:
		otp := protocol.NewOTP()
		if otps != nil && r.Intn(2) == 0 {
			otp = otps()
		} else if r.Intn(4) == 0 {
			otp = "garbage"
		}
		return api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp}
	case 14:
		return api.MethodAcceptMobileAuthConfirmation, nil
	case 15:
		return api.MethodDenyMobileAuthConfirmation, nil
	case 16:
		return api.MethodGetAccessToken, nil
	case 17:
		return api.MethodResourceRequest, map[string]any{"method": "GET", "path": protocol.PathUserInfo}
	default:
		return api.MethodPing, nil
	}
}

func mustQueryNoT(raw, key string) string {
	i := strings.Index(raw, key+"=")
	if i < 0 {
		return ""
	}
	v := raw[i+len(key)+1:]
	if j := strings.IndexByte(v, '&'); j >= 0 {
		v = v[:j]
	}
	return v
}

// waitGoroutines waits until the goroutine count is back to at most base.
func waitGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		// The tests' own HTTP clients (browser login, relying-party calls) keep
		// idle connections in the default transport; those are not the core's.
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		n := runtime.NumGoroutine()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("goroutines: %d after close, baseline %d\n%s", n, base, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestHammerWithoutServer hammers a started core whose server is down: every
// network step fails (9001) while flows start, wait, cancel and collide.
func TestHammerWithoutServer(t *testing.T) {
	base := baseline()
	srv := "http://" + closedAddr(t)
	p := storedDevice(t, srv)
	hammer(t, p, 1, 4, 150, nil, nil)
	waitGoroutines(t, base)
}

// baseline is the goroutine count with the default transport's idle
// connections closed.
func baseline() int {
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	time.Sleep(10 * time.Millisecond)
	return runtime.NumGoroutine()
}
