package bridge_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/openmobileauth/oma/bridge"
	"github.com/openmobileauth/oma/core/dispatch"
)

// junkParams are parameter objects of wrong shapes for every method: bad input
// from JS must get a clear coded error, never a crash, an 8000 or silence.
var junkParams = []string{
	`{}`,
	`null`,
	`{"profileId":5,"otp":[1],"pin":{},"uri":true,"config":"x","identityProviderId":7,"scopes":"s","flow":9,"authenticatorId":[],"url":1,"method":{},"headers":3,"body":[]}`,
	`{"profileId":"","otp":"","pin":"","uri":"","identityProviderId":"","flow":"","authenticatorId":""}`,
	`{"profileId":"p\u0000\u2028","otp":"` + "\xe2\x80\xa8" + `","pin":"1234567890123456789012345678901234567890","uri":"javascript:alert(1)","flow":"Create","scopes":[1,2],"config":{"serverUrl":7}}`,
	`{"config":{"serverUrl":"ftp://127.0.0.1:1/","clientId":{},"allowInsecureHttp":"yes"}}`,
	`[1,2]`,
}

// TestEveryMethodRejectsJunk sends every junk parameter object to every method
// the core registers (the real feature packages included), asynchronously, and
// checks that each call is answered exactly once, well-formed, with a code of
// the table that is not 8000 — by the time Close returns at the latest (flows
// that legitimately wait for the user are settled by Close).
func TestEveryMethodRejectsJunk(t *testing.T) {
	r := newRecorder()
	if err := bridge.Start(`{"logLevel":"disabled"}`, r, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	methods := bridge.DispatcherForTest().Methods()
	if len(methods) < 3 {
		t.Fatalf("only %d methods registered", len(methods))
	}
	want := map[string]string{} // id -> method and params, for messages
	n := 0
	for _, m := range methods {
		for _, p := range junkParams {
			id := fmt.Sprintf(`"j%d"`, n)
			n++
			want[id] = m + " " + p
			r.invoke(`{"jsonrpc":"2.0","id":` + id + `,"method":"` + m + `","params":` + p + `}`)
		}
	}
	// Give the calls that answer at once their chance, then settle the rest.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && countAnswers(t, r.snapshot()) < n {
		time.Sleep(10 * time.Millisecond)
	}
	bridge.Close()
	seen := map[string]int{}
	for _, msg := range r.snapshot() {
		e := decode(t, msg)
		if e.Method == "event" {
			continue
		}
		id := idOf(e)
		seen[id]++
		if e.Error != nil {
			code := dispatch.Code(e.Error.Code)
			if code.Info().Code != code {
				t.Errorf("%s: code %d is not in the table", want[id], code)
			}
			if code == dispatch.CodeInternal {
				t.Errorf("%s: internal error %s", want[id], msg)
			}
		}
	}
	for id, call := range want {
		if seen[id] != 1 {
			t.Errorf("%s (id %s) answered %d times", call, id, seen[id])
		}
	}
}

func countAnswers(t *testing.T, msgs []string) int {
	n := 0
	for _, m := range msgs {
		if decode(t, m).Method != "event" {
			n++
		}
	}
	return n
}
