package svc

import "strings"

// DefaultScopes are the scopes a client may request when the configuration
// names none. ScopeOpenID is needed for the user-info endpoint (OpenID
// Connect Core §5.3).
var DefaultScopes = []string{ScopeOpenID, "profile"}

// DefaultLimitedScopes are the implicit and device scopes when the
// configuration names none.
var DefaultLimitedScopes = []string{"read"}

// ScopeOpenID is the scope of the user-info endpoint.
const ScopeOpenID = "openid"

// ScopesAllowed reports whether every space-separated scope of requested is
// in allowed; bad is the first that is not.
func ScopesAllowed(requested string, allowed []string) (ok bool, bad string) {
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

// HasScope reports whether the space-separated scope list granted holds want.
func HasScope(granted, want string) bool {
	for _, s := range strings.Fields(granted) {
		if s == want {
			return true
		}
	}
	return false
}
