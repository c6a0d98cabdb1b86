package oauthscope

import "strings"

// Default are the scopes a client may request when the configuration
// names none. OpenID is needed for the user-info endpoint (OpenID
// Connect Core §5.3).
var Default = []string{OpenID, "profile"}

// DefaultLimited are the implicit and device scopes when the
// configuration names none.
var DefaultLimited = []string{"read"}

// OpenID is the scope of the user-info endpoint.
const OpenID = "openid"

// Allowed reports whether every space-separated scope of requested is
// in allowed; bad is the first that is not.
func Allowed(requested string, allowed []string) (ok bool, bad string) {
	for _, s := range strings.Fields(requested) {
		found := false
		for _, a := range allowed {
			if s == a {
				found = true
				break
			}
		}
		if !found {
			return false, s
		}
	}
	return true, ""
}

// Has reports whether the space-separated scope list granted holds want.
func Has(granted, want string) bool {
	for _, s := range strings.Fields(granted) {
		if s == want {
			return true
		}
	}
	return false
}
