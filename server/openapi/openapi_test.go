package openapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/openapi"
	"github.com/openmobileauth/oma/server/rp"
)

// The document names every path and error string the server implements.
func TestDocumentCoversTheAPI(t *testing.T) {
	doc := string(openapi.Document)
	if !strings.HasPrefix(doc, "openapi: 3.") {
		t.Fatal("not an OpenAPI 3 document")
	}
	if strings.Contains(doc, "\t") {
		t.Fatal("YAML must not contain tabs")
	}
	for _, p := range []string{protocol.PathClients, protocol.PathToken, protocol.PathLogout, protocol.PathDeregister, protocol.PathUserInfo,
		protocol.PathEnroll, protocol.PathClaim, protocol.PathAnswer, protocol.PathAuthorize, protocol.PathOpenAPI,
		protocol.PathPushRegister, protocol.PathPushPending, protocol.PathPushRequest + "{id}", protocol.PathPushClaim,
		rp.PathCreate, rp.PathTransaction + "{id}", rp.PathTransaction + "{id}/events"} {
		if !strings.Contains(doc, "\n  "+p+":\n") {
			t.Errorf("path %s missing", p)
		}
	}
	for _, e := range protocol.ErrorStrings() {
		if !strings.Contains(doc, e) {
			t.Errorf("error %s missing", e)
		}
	}
	for _, f := range []string{"client_key", "code_verifier", "remaining_attempts", "message_hash", "nonce", "time_to_live", "not_authenticated_reason", "X-OMA-Signature"} {
		if !strings.Contains(doc, f) {
			t.Errorf("field %s missing", f)
		}
	}
}

func TestHandler(t *testing.T) {
	rec := httptest.NewRecorder()
	openapi.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.yaml", nil))
	b, _ := io.ReadAll(rec.Body)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/yaml" || string(b) != string(openapi.Document) {
		t.Fatalf("GET: %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	rec = httptest.NewRecorder()
	openapi.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/openapi.yaml", nil))
	if rec.Code != 405 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("POST: %d", rec.Code)
	}
}
