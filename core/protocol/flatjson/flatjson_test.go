package flatjson

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
)

func TestInt64(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "-1", "1800000000", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "18446744073709551615", "99999999999999999999", "-", ""} {
		got, ok := Int64([]byte(s))
		want, err := strconv.ParseInt(s, 10, 64)
		if ok != (err == nil) || (ok && got != want) {
			t.Errorf("%q: %d %v, strconv %d %v", s, got, ok, want, err)
		}
	}
}

// agrees fails t unless every object Scan accepts is valid JSON whose
// members encoding/json reads the same (the last of a repeated key wins).
func agrees(t *testing.T, b []byte) {
	t.Helper()
	var out [MaxMembers]Member
	n, ok := Scan(b, &out)
	if !ok {
		return
	}
	if !json.Valid(b) {
		t.Fatalf("%q: accepted, but not valid JSON", b)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var ref map[string]any
	if err := dec.Decode(&ref); err != nil {
		t.Fatalf("%q: accepted, encoding/json: %v", b, err)
	}
	got := map[string]any{}
	for i := range out[:n] {
		m := &out[i]
		if m.Num {
			got[string(m.Key(b))] = json.Number(m.Val(b))
		} else {
			got[string(m.Key(b))] = string(m.Val(b))
		}
	}
	if len(got) != len(ref) {
		t.Fatalf("%q: %v, encoding/json %v", b, got, ref)
	}
	for k, v := range ref {
		if got[k] != v {
			t.Fatalf("%q: %q = %v, encoding/json %v", b, k, got[k], v)
		}
	}
}

var seeds = []string{`{}`, ` {} `, `{"a":"b"}`, `{"a":1}`, `{"a":-0}`, `{"a":01}`, `{"a":1.5}`, `{"a":1e3}`, `{"a":-}`,
	`{"a":"b","a":"c"}`, `{"a":"b",}`, `{"a" : "b" , "c" : 2 }`, `{"a":"\u0062"}`, `{"a":"é"}`, `{"a":null}`, `{"a":true}`,
	`{"a":{}}`, `{"a":[]}`, `{"a":"b"}x`, `{"a":"b"}}`, `{"a":"b"`, `{"a"}`, `{"a":}`, `{a:1}`, `[]`, `"a"`, `1`, ``,
	"{\"a\":\"\x01\"}", "{\"a\":\"\xff\"}", "{\"a\":\"b\"}\n", "\t{\r\n\"a\":2}"}

func TestScanAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range seeds {
		agrees(t, []byte(s))
	}
	var out [MaxMembers]Member
	if n, ok := Scan([]byte(`{"otp":"ABCD-EFGH","profile_id":"p","time":-12}`), &out); !ok || n != 3 || !out[2].Num {
		t.Fatalf("flat object refused: %d %v", n, ok)
	}
	many := []byte(`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17}`)
	if _, ok := Scan(many, &out); ok {
		t.Fatal("more than MaxMembers accepted")
	}
}

// FuzzScan: whatever Scan accepts, encoding/json reads the same way.
func FuzzScan(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { agrees(t, b) })
}
