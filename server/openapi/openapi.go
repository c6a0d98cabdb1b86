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
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusMethodNotAllowed)
			_, _ = w.Write([]byte(`{"error":"invalid_request","error_code":1003,"error_description":"method not allowed"}` + "\n"))
			return
		}
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(Document)
	})
}
