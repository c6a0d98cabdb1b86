package user

import (
	"context"
	"net/url"
	"strings"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/protocol"
)

// startSingleSignOn asks the server for an app-to-web single sign-on URL
// for the target p.URL (core/protocol sso.go) with the authenticated user's
// access token. Without an authenticated user it answers 9010, as the
// official SDK does for this call; a target the application does not list is
// 10023. The server's answer is accepted only when its URL is the sign-on
// endpoint of the configured server carrying the token it names: the app
// opens that URL in a browser.
func (u *Users) startSingleSignOn(ctx context.Context, p api.SingleSignOnParams) (api.SingleSignOnData, error) {
	if err := u.c.Started(); err != nil {
		return api.SingleSignOnData{}, err
	}
	t, err := url.Parse(p.URL)
	if err != nil || len(p.URL) > protocol.MaxSSOTargetLen || (t.Scheme != "https" && t.Scheme != "http") || t.Host == "" ||
		strings.ContainsAny(p.URL, " \t\r\n") {
		return api.SingleSignOnData{}, dispatch.Errorf(dispatch.CodeBadParameters, `parameter "url" must be an absolute http(s) URL of at most %d bytes`, protocol.MaxSSOTargetLen)
	}
	var resp protocol.SSOResponse
	err = u.WithToken(ctx, func(pid, tok string) error {
		err := u.c.Call(ctx, "POST", protocol.PathSSO, protocol.SSORequest{TargetURI: p.URL}, tok, &resp)
		if dispatch.CodeOf(err) == dispatch.CodeUserDeregistered {
			_ = u.forgetProfile(pid)
		}
		return err
	})
	if dispatch.CodeOf(err) == dispatch.CodeNoProfileAuthenticated {
		return api.SingleSignOnData{}, dispatch.Errorf(dispatch.CodeNotAuthenticated, "no user is authenticated; authenticate a user before single sign-on")
	}
	if err != nil {
		return api.SingleSignOnData{}, err
	}
	base, err := u.c.BaseURL()
	if err != nil {
		return api.SingleSignOnData{}, err
	}
	got, perr := url.Parse(resp.URL)
	if perr != nil || resp.Token == "" || !strings.HasPrefix(resp.URL, base+protocol.PathSSORedeem+"?") || got.Query().Get("token") != resp.Token {
		return api.SingleSignOnData{}, dispatch.Errorf(dispatch.CodeGeneral, "the server's single sign-on answer is not a sign-on URL of the configured server")
	}
	return api.SingleSignOnData{URL: resp.URL, Token: resp.Token}, nil
}
