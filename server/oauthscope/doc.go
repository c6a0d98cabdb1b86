// Package oauthscope holds the OAuth scopes the Token Server knows by name
// (OpenID, the defaults a configuration falls back to) and the checks of a
// space-separated scope list: whether a request asks only for allowed
// scopes (Allowed) and whether a granted list holds one (Has).
package oauthscope
