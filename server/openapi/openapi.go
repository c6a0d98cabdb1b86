package openapi

import (
	_ "embed"
	"net/http"
)

// Document is the OpenAPI 3 document of the device and relying-party APIs.
//
//go:embed openapi.yaml
var Document []byte

// Handler serves Document as application/yaml.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, `{"error":"invalid_request","error_description":"method not allowed"}`, http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(Document)
	})
}
