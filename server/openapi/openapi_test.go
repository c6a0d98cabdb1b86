package openapi_test

import (
	"go.yaml.in/yaml/v3"

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
		protocol.PathPushRegister, protocol.PathPushPending, protocol.PathPushRequest + "{id}", protocol.PathPushClaim, protocol.PathIdentityProviders, protocol.PathCustomRegistrationInit, protocol.PathCustomRegistrationComplete,
		protocol.PathAuthenticators, protocol.PathAuthenticatorDeregister, protocol.PathAuthenticatorChallenge, protocol.PathChangePin,
		protocol.PathResourceProfile, protocol.PathResourceUserID, protocol.PathResourceDevices,
		protocol.PathSSO, protocol.PathSSORedeem, protocol.PathWebSession,
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
	for _, f := range []string{"client_key", "code_verifier", "remaining_attempts", "message_hash", "nonce", "time_to_live", "not_authenticated_reason", "X-OMA-Signature",
		protocol.GrantClientCredentials, protocol.GrantImplicit, protocol.GrantBiometric, "target_uri"} {
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

// The admin document is YAML that names every admin route.
func TestAdminDocument(t *testing.T) {
	var doc map[string]any
	if err := yaml.Unmarshal(openapi.AdminDocument, &doc); err != nil {
		t.Fatal(err)
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, p := range []string{"/admin/v1/api-clients", "/admin/v1/api-clients/{id}/rotate-secret", "/admin/v1/api-clients/{id}/rotate-callback-key",
		"/admin/v1/api-clients/{id}/callback-uris", "/admin/v1/applications", "/admin/v1/applications/{id}", "/admin/v1/applications/{id}/disable",
		"/admin/v1/applications/{id}/enable", "/admin/v1/otp-types", "/admin/v1/otp-types/{name}", "/admin/v1/users", "/admin/v1/users/{id}/enrollments",
		"/admin/v1/users/{id}/reset-devices", "/admin/v1/policy", "/admin/v1/api-clients/{id}/disable", "/admin/v1/api-clients/{id}/enable",
		"/admin/v1/otp-types/{name}/disable", "/admin/v1/otp-types/{name}/enable",
		"/admin/v1/users/{id}/enrollments/{enrollment}", "/admin/v1/users/{id}/suspension", "/admin/v1/suspensions", "/admin/v1/api-clients/{id}",
		"/admin/v1/users/{id}", "/admin/v1/users/{id}/disable", "/admin/v1/users/{id}/enable", "/admin/v1/users/{id}/unlock",
		"/admin/v1/applications/{id}/sso-targets"} {
		if paths[p] == nil {
			t.Errorf("admin path %s missing", p)
		}
	}
}
