package openapi

import (
	_ "embed"
	"net/http"
)

// AdminDocument is the OpenAPI 3 document of the admin REST API (the admin
// listener).
//
//go:embed admin.yaml
var AdminDocument []byte

// AdminHandler serves AdminDocument as application/yaml.
func AdminHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(AdminDocument)
	})
}
