package user

import (
	"context"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
)

// refreshMargin: a token expiring within this many seconds is refreshed first.
const refreshMargin = 10

// AccessToken returns the authenticated profile and a valid access token,
// refreshing it with the refresh token when it expired; 9010 when no user is
// authenticated or the session cannot be renewed.
func (u *Users) AccessToken(ctx context.Context) (profileID, token string, err error) {
	return u.accessToken(ctx, "")
}

// WithToken runs fn with the authenticated profile's access token. When the
// server refuses the token (invalid_token: expired or revoked there), the
// token is refreshed once and fn runs again.
func (u *Users) WithToken(ctx context.Context, fn func(profileID, token string) error) error {
	pid, tok, err := u.AccessToken(ctx)
	if err != nil {
		return err
	}
	err = fn(pid, tok)
	if se, ok := client.AsServerError(err); !ok || se.Body.Error != protocol.ErrInvalidToken {
		return err
	}
	pid2, tok2, rerr := u.accessToken(ctx, tok)
	if rerr != nil {
		return rerr
	}
	if pid2 != pid {
		return dispatch.Errorf(dispatch.CodeNotAuthenticated, "the authenticated user changed during the request")
	}
	return fn(pid, tok2)
}

// accessToken returns a valid token; a stored token equal to stale counts as
// expired (the server refused it).
func (u *Users) accessToken(ctx context.Context, stale string) (profileID, token string, err error) {
	if err := u.c.Started(); err != nil {
		return "", "", err
	}
	pid, err := u.AuthenticatedProfile()
	if err != nil {
		return "", "", err
	}
	u.tokMu.Lock()
	defer u.tokMu.Unlock()
	t, err := u.st.Tokens(pid)
	if err != nil {
		return "", "", internal(err)
	}
	if t != nil && t.AccessToken != stale && t.ExpiresAt-refreshMargin > u.c.Now().Unix() {
		return pid, t.AccessToken, nil
	}
	if t == nil || t.RefreshToken == "" {
		u.endSession(pid)
		return "", "", dispatch.Errorf(dispatch.CodeNotAuthenticated, "the session expired; authenticate the user again")
	}
	var tr protocol.TokenResponse
	err = u.c.Call(ctx, "POST", protocol.PathToken, protocol.TokenRequest{
		GrantType: protocol.GrantRefreshToken, RefreshToken: t.RefreshToken, ProfileID: pid,
	}, "", &tr)
	switch c := dispatch.CodeOf(err); {
	case c == dispatch.CodeGeneral || c == dispatch.CodeNotAuthenticated:
		// invalid_grant: the refresh token expired or was revoked (logout elsewhere).
		u.endSession(pid)
		return "", "", dispatch.Errorf(dispatch.CodeNotAuthenticated, "the session expired; authenticate the user again")
	case c == dispatch.CodeUserDeregistered:
		_ = u.forgetProfile(pid)
		return "", "", err
	case err != nil:
		return "", "", err
	}
	if tr.AccessToken == "" {
		return "", "", dispatch.Errorf(dispatch.CodeGeneral, "the server's token answer is incomplete")
	}
	if tr.ProfileID == "" {
		tr.ProfileID = pid
	}
	if tr.RefreshToken == "" {
		tr.RefreshToken = t.RefreshToken
	}
	if err := u.saveTokens(tr); err != nil {
		return "", "", err
	}
	return pid, tr.AccessToken, nil
}

// endSession forgets the session and tokens of pid locally.
func (u *Users) endSession(pid string) {
	if s, _ := u.st.Session(); s != nil && s.ProfileID == pid {
		_ = u.st.ClearSession()
	}
	_ = u.st.DeleteTokens(pid)
}

func (u *Users) getAccessToken(ctx context.Context, _ api.None) (string, error) {
	_, tok, err := u.AccessToken(ctx)
	return tok, err
}

// logout revokes the session on the server (best effort) and forgets it
// locally; 8012 when no profile is authenticated.
func (u *Users) logout(ctx context.Context, _ api.None) (api.None, error) {
	if err := u.c.Started(); err != nil {
		return api.None{}, err
	}
	pid, err := u.AuthenticatedProfile()
	if err != nil {
		return api.None{}, err
	}
	var t *store.Tokens
	t, err = u.st.Tokens(pid)
	if err == nil && t != nil {
		if err := u.c.Call(ctx, "POST", protocol.PathLogout, struct{}{}, t.AccessToken, nil); err != nil {
			u.c.Log().Info().Int("code", int(dispatch.CodeOf(err))).Msg("server logout failed; logged out locally")
		}
	}
	u.endSession(pid)
	return api.None{}, nil
}

// deregisterUser removes the profile's registration on the server, then
// locally (with its tokens and enrollment key). A registration the server no
// longer knows is removed locally too.
func (u *Users) deregisterUser(ctx context.Context, p api.ProfileParams) (api.None, error) {
	if err := u.c.Started(); err != nil {
		return api.None{}, err
	}
	pid := p.ProfileID
	if _, err := u.profile(pid); err != nil {
		return api.None{}, err
	}
	err := u.c.Call(ctx, "POST", protocol.PathDeregister, protocol.DeregisterRequest{ProfileID: pid}, "", nil)
	switch dispatch.CodeOf(err) {
	case 0, dispatch.CodeUserDeregistered, dispatch.CodeRequestNotFound:
	default:
		return api.None{}, err
	}
	return api.None{}, u.forgetProfile(pid)
}
