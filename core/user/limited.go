package user

import (
	"context"
	"strings"
	"sync"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
)

// Limited tokens (issue 17): the implicit token of a profile
// (authenticateUserImplicitly) and the device token of the app client
// (authenticateDeviceForResource). Both are DPoP-bound to the client key like
// every token of this SDK, kept in memory only (the official SDKs ask for
// them again after a restart) and never refreshed: when one expires the app
// authenticates again (9026 / 10012 from resourceRequest).
type limitedTokens struct {
	mu       sync.Mutex
	implicit limitedToken
	device   limitedToken
}

type limitedToken struct {
	profileID string
	token     string
	expires   int64 // unix seconds
}

func (u *Users) limitedGrant(ctx context.Context, grant, profileID string, scopes []string) (limitedToken, error) {
	for _, s := range scopes {
		if s == "" || strings.ContainsAny(s, " \t\r\n\"\\") {
			return limitedToken{}, dispatch.Errorf(dispatch.CodeBadParameters, `parameter "scopes" must hold scope names without spaces`)
		}
	}
	var tr protocol.TokenResponse
	err := u.c.Call(ctx, "POST", protocol.PathToken, protocol.TokenRequest{GrantType: grant, ProfileID: profileID, Scope: strings.Join(scopes, " ")}, "", &tr)
	if err != nil {
		return limitedToken{}, err
	}
	if tr.AccessToken == "" || tr.ExpiresIn <= 0 {
		return limitedToken{}, dispatch.Errorf(dispatch.CodeGeneral, "the server's token answer is incomplete")
	}
	return limitedToken{profileID: profileID, token: tr.AccessToken, expires: u.c.Now().Unix() + int64(tr.ExpiresIn)}, nil
}

func (u *Users) authenticateUserImplicitly(ctx context.Context, p api.ImplicitAuthParams) (api.None, error) {
	if err := u.c.Started(); err != nil {
		return api.None{}, err
	}
	if _, err := u.profile(p.ProfileID); err != nil {
		return api.None{}, err
	}
	t, err := u.limitedGrant(ctx, protocol.GrantImplicit, p.ProfileID, p.Scopes)
	if dispatch.CodeOf(err) == dispatch.CodeUserDeregistered {
		_ = u.forgetProfile(p.ProfileID)
	}
	if err != nil {
		return api.None{}, err
	}
	u.lim.mu.Lock()
	u.lim.implicit = t
	u.lim.mu.Unlock()
	return api.None{}, nil
}

func (u *Users) authenticateDeviceForResource(ctx context.Context, p api.ScopesParams) (api.None, error) {
	if err := u.c.Started(); err != nil {
		return api.None{}, err
	}
	t, err := u.limitedGrant(ctx, protocol.GrantClientCredentials, "", p.Scopes)
	if err != nil {
		return api.None{}, err
	}
	u.lim.mu.Lock()
	u.lim.device = t
	u.lim.mu.Unlock()
	return api.None{}, nil
}

// limitedToken returns the valid implicit or device token (9026 / 10012 when none).
func (u *Users) limitedToken(implicit bool) (limitedToken, error) {
	u.lim.mu.Lock()
	defer u.lim.mu.Unlock()
	t, code, what := u.lim.device, dispatch.CodeDeviceNotAuthenticated, "the device is not authenticated for resources; call authenticateDeviceForResource"
	if implicit {
		t, code, what = u.lim.implicit, dispatch.CodeNotAuthenticatedImplicitly, "no user is authenticated implicitly; call authenticateUserImplicitly"
	}
	if t.token == "" || t.expires-refreshMargin <= u.c.Now().Unix() {
		return limitedToken{}, dispatch.Errorf(code, "%s", what)
	}
	return t, nil
}

// forgetLimited drops a limited token the server refused.
func (u *Users) forgetLimited(implicit bool, token string) {
	u.lim.mu.Lock()
	defer u.lim.mu.Unlock()
	if implicit && u.lim.implicit.token == token {
		u.lim.implicit = limitedToken{}
	} else if !implicit && u.lim.device.token == token {
		u.lim.device = limitedToken{}
	}
}

func (u *Users) getImplicitlyAuthenticatedUserProfile(_ context.Context, _ api.None) (api.UserProfile, error) {
	if err := u.c.Started(); err != nil {
		return api.UserProfile{}, err
	}
	t, err := u.limitedToken(true)
	return api.UserProfile{ID: t.profileID}, err
}

func (u *Users) getResourceBaseURL(_ context.Context, _ api.None) (string, error) {
	base, err := u.c.BaseURL()
	if err != nil {
		return "", err
	}
	return base + strings.TrimSuffix(protocol.PathResources, "/"), nil
}

// resourcePath turns resourceRequest's path into a path of the configured
// server: a path as it is, an absolute URL only when it lies under the
// resource base URL (same scheme, host and port, path under /resources).
// A relative reference ("devices", "user-id?x=1": no scheme, no leading
// slash), as the official example app writes its resource paths, resolves
// under the resource base URL and is checked like the absolute form.
// Anything else is refused before a token is attached (8005).
func (u *Users) resourcePath(raw string) (string, error) {
	if strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//") {
		return raw, nil
	}
	resBase, err := u.getResourceBaseURL(context.Background(), api.None{})
	if err != nil {
		return "", err
	}
	if raw != "" && !strings.HasPrefix(raw, "/") && !strings.Contains(strings.SplitN(strings.SplitN(raw, "/", 2)[0], "?", 2)[0], ":") {
		raw = resBase + "/" + raw
	}
	base := strings.TrimSuffix(resBase, strings.TrimSuffix(protocol.PathResources, "/"))
	rest, ok := strings.CutPrefix(raw, resBase)
	if !ok || (rest != "" && rest[0] != '/' && rest[0] != '?') {
		return "", dispatch.Errorf(dispatch.CodeResourceCallError, "the resource URL is outside the resource base URL %s; nothing was sent", resBase)
	}
	for _, seg := range strings.Split(strings.SplitN(rest, "?", 2)[0], "/") {
		if seg == ".." || seg == "." || strings.Contains(strings.ToLower(seg), "%2e") || strings.Contains(strings.ToLower(seg), "%2f") {
			return "", dispatch.Errorf(dispatch.CodeResourceCallError, "the resource URL may not leave the resource base URL with dot segments; nothing was sent")
		}
	}
	return raw[len(base):], nil
}
