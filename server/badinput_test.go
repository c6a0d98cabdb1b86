package server_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

var badBodies = map[string]string{
	"empty":             "",
	"not json":          "hello",
	"truncated":         `{"otp":`,
	"array":             `[]`,
	"string":            `"x"`,
	"null":              `null`,
	"wrong types":       `{"otp":5,"profile_id":true,"grant_type":1,"csr":[],"transaction_id":{},"decision":2,"time":"now","client_key":7}`,
	"unknown field":     `{"surprise":"x"}`,
	"trailing data":     `{} {}`,
	"invalid utf8":      "{\"otp\":\"\xff\xfe\"}",
	"deep nesting":      strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
	"huge":              `{"otp":"` + strings.Repeat("A", 70<<10) + `"}`,
	"huge number":       `{"time":1e999}`,
	"duplicate keys":    `{"otp":"a","otp":"b","profile_id":"x"}`,
	"nul bytes":         "{\"otp\":\"\u0000\"}",
	"answer empty sig":  `{"transaction_id":"x","profile_id":"p","decision":"accept","message_hash":"h","nonce":"n","time":1,"signature":""}`,
	"bad grant":         `{"grant_type":"password"}`,
	"refresh garbage":   `{"grant_type":"refresh_token","refresh_token":"zzz"}`,
	"code missing bits": `{"grant_type":"authorization_code","code":"c"}`,
}

func checkJSONError(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	servertest.CheckJSONError(t, what, resp)
}

func TestBadInputDeviceAPI(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
	endpoints := []struct {
		path  string
		token bool
	}{
		{protocol.PathClients, false}, {protocol.PathToken, false}, {protocol.PathDeregister, false},
		{protocol.PathEnroll, true}, {protocol.PathClaim, false}, {protocol.PathAnswer, false},
	}
	send := func(method, path, ctype, proof, token string, body []byte) *http.Response {
		req, _ := http.NewRequest(method, ts.URL+path, bytes.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if proof != "" {
			req.Header.Set(protocol.HeaderDPoP, proof)
		}
		if token != "" {
			req.Header.Set("Authorization", "DPoP "+token)
		}
		resp, err := d.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for _, ep := range endpoints {
		token := ""
		if ep.token {
			token = d.Access
		}
		proofFor := func(method string) string {
			if ep.path == protocol.PathClients {
				saved := d.ClientID
				d.ClientID = ""
				defer func() { d.ClientID = saved }()
			}
			return d.Proof(method, ep.path, token, nil)
		}
		for name, body := range badBodies {
			checkJSONError(t, ep.path+" "+name, send("POST", ep.path, "application/json", proofFor("POST"), token, []byte(body)))
		}
		checkJSONError(t, ep.path+" text/plain", send("POST", ep.path, "text/plain", proofFor("POST"), token, []byte(`{}`)))
		checkJSONError(t, ep.path+" bad content type", send("POST", ep.path, "application/json; charset", proofFor("POST"), token, []byte(`{}`)))
		checkJSONError(t, ep.path+" no proof", send("POST", ep.path, "application/json", "", token, []byte(`{}`)))
		checkJSONError(t, ep.path+" two proofs", func() *http.Response {
			req, _ := http.NewRequest("POST", ts.URL+ep.path, strings.NewReader(`{}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Add(protocol.HeaderDPoP, proofFor("POST"))
			req.Header.Add(protocol.HeaderDPoP, proofFor("POST"))
			resp, _ := d.HTTP.Do(req)
			return resp
		}())
		checkJSONError(t, ep.path+" GET", send("GET", ep.path, "", proofFor("GET"), token, nil))
		checkJSONError(t, ep.path+" bad auth scheme", send("POST", ep.path, "application/json", proofFor("POST"), "", []byte(`{}`)))
	}
	// Token endpoints that take no body still refuse bad auth.
	for _, p := range []struct{ method, path string }{{"POST", protocol.PathLogout}, {"GET", protocol.PathUserInfo}} {
		checkJSONError(t, p.path+" no token", send(p.method, p.path, "", d.Proof(p.method, p.path, "", nil), "", nil))
		checkJSONError(t, p.path+" wrong method", send("PUT", p.path, "", d.Proof("PUT", p.path, d.Access, nil), d.Access, nil))
		req, _ := http.NewRequest(p.method, ts.URL+p.path, nil)
		req.Header.Set(protocol.HeaderDPoP, d.Proof(p.method, p.path, d.Access, nil))
		req.Header.Set("Authorization", "Basic "+d.Access)
		resp, _ := d.HTTP.Do(req)
		checkJSONError(t, p.path+" basic scheme", resp)
	}
}

func TestBadInputRelyingPartyAPI(t *testing.T) {
	ts := servertest.Start(t, servertest.Options{})
	send := func(method, path, ctype string, body []byte, auth bool) *http.Response {
		req, _ := http.NewRequest(method, ts.URL+path, bytes.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if auth {
			req.SetBasicAuth(ts.APIClientID, ts.APIClientSecret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	form := "application/x-www-form-urlencoded"
	for name, c := range map[string]struct{ ctype, body string }{
		"malformed form":    {form, "type=%zz&message=hi"},
		"repeated param":    {form, "type=demo&type=demo&message=hi"},
		"unknown param":     {form, "type=demo&message=hi&amount=5"},
		"invalid utf8 form": {form, "type=demo&message=%ff%fe"},
		"control chars":     {form, "type=demo&message=a%00b"},
		"huge form":         {form, "type=demo&message=" + strings.Repeat("x", 20<<10)},
		"no content type":   {"", "type=demo&message=hi"},
		"text/plain":        {"text/plain", "type=demo&message=hi"},
		"json wrong types":  {"application/json", `{"type":1,"message":["x"]}`},
		"json unknown":      {"application/json", `{"type":"demo","message":"hi","amount":5}`},
		"json array":        {"application/json", `[]`},
		"json truncated":    {"application/json", `{"type":"demo"`},
		"json trailing":     {"application/json", `{"type":"demo","message":"hi"}x`},
		"json nulls":        {"application/json", `{"type":null,"message":null}`},
		"huge json":         {"application/json", `{"type":"demo","message":"` + strings.Repeat("x", 20<<10) + `"}`},
		"long type":         {form, "type=" + strings.Repeat("t", 100) + "&message=hi"},
		"long user id":      {form, "type=demo&message=hi&user_id=" + strings.Repeat("u", 200)},
		"bad language":      {form, "type=demo&message=hi&language_code=" + strings.Repeat("l", 40)},
	} {
		checkJSONError(t, "create "+name, send("POST", rp.PathCreate, c.ctype, []byte(c.body), true))
	}
	checkJSONError(t, "create GET", send("GET", rp.PathCreate, "", nil, true))
	checkJSONError(t, "fetch POST", send("POST", rp.PathTransaction+"x", form, nil, true))
	checkJSONError(t, "events POST", send("POST", rp.PathTransaction+"x/events", form, nil, true))
	checkJSONError(t, "fetch long id", send("GET", rp.PathTransaction+strings.Repeat("i", 300), "", nil, true))
	checkJSONError(t, "fetch odd id", send("GET", rp.PathTransaction+url.PathEscape("a\x00b"), "", nil, true))
	checkJSONError(t, "fetch negative wait", send("GET", rp.PathTransaction+"x?wait=-1", "", nil, true))
	checkJSONError(t, "unknown path", send("GET", "/no/such/path", "", nil, false))
	checkJSONError(t, "openapi POST", send("POST", "/openapi.yaml", "", nil, false))
}
