package rp

import (
	"bytes"
	"encoding/json"
	"net/url"
	"reflect"
	"testing"
)

// referenceParseForm is the form branch of ParseCreate without its fast path.
func referenceParseForm(body string) (CreateParams, bool) {
	f, err := url.ParseQuery(body)
	if err != nil {
		return CreateParams{}, false
	}
	for k, v := range f {
		if !createFields[k] || len(v) != 1 {
			return CreateParams{}, false
		}
	}
	return CreateParams{Type: f.Get("type"), Message: f.Get("message"), CallbackURI: f.Get("callback_uri"), LanguageCode: f.Get("language_code"),
		IPAddress: f.Get("ip_address"), UserAgent: f.Get("user_agent"), UserID: f.Get("user_id")}, true
}

// sameForm fails t unless whatever parseFormFast accepts, the general path
// accepts with the same parameters.
func sameForm(t *testing.T, body string) {
	t.Helper()
	got, ok := parseFormFast(body)
	if !ok {
		return
	}
	want, wantOK := referenceParseForm(body)
	if !wantOK || !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: fast path %+v, general path %+v (%v)", body, got, want, wantOK)
	}
}

var formSeeds = []string{"", "&", "type=demo&message=Log+in%3F&ip_address=2001%3Adb8%3A%3A1&user_id=alice", "type=demo&&message=hi&",
	"type=demo&type=x", "type", "type=", "type=a=b", "tYpe=demo", "ty%70e=demo", "type=%zz", "type=%", "type=a;b", "x=1",
	"message=%E2%82%AC+%2B", "message=+++", "user_agent=Mozilla%2F5.0&callback_uri=https%3A%2F%2Fa%2Fcb&language_code=nl"}

func TestParseFormFastMatchesParseQuery(t *testing.T) {
	for _, s := range formSeeds {
		sameForm(t, s)
	}
	if _, ok := parseFormFast(formSeeds[2]); !ok {
		t.Fatal("plain form refused by the fast path")
	}
}

// FuzzParseFormFast: the fast path of the form parser agrees with
// url.ParseQuery and the checks after it.
func FuzzParseFormFast(f *testing.F) {
	for _, s := range formSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) { sameForm(t, body) })
}

func TestAppendJSONMatchesEncoder(t *testing.T) {
	for _, s := range []string{"", "plain", `q"<&>\`, "ü\u2028\xff", "line\nbreak"} {
		for _, v := range []interface{ AppendJSON([]byte) []byte }{
			CreateResponse{TransactionID: s, AuthMethod: AuthMethod, TimeToLive: 300000, OTP: s},
			CreateResponse{TimeToLive: -1},
			Transaction{TransactionID: s, CallbackURI: s, Timestamp: 1_800_000_000_000, UserID: s, IsAuthenticated: true,
				AuthenticationMethod: s, NotAuthenticatedReason: Reason{Reason: s, Description: s}, Status: s},
			Transaction{},
		} {
			var want bytes.Buffer
			_ = json.NewEncoder(&want).Encode(v)
			if got := string(v.AppendJSON(nil)) + "\n"; got != want.String() {
				t.Errorf("%#v:\n got %q\nwant %q", v, got, want.String())
			}
		}
	}
}
