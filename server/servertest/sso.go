package servertest

import (
	"context"
	"net/http"

	"github.com/openmobileauth/oma/core/protocol"
)

// SSO asks for an app-to-web single sign-on URL for target with the device's
// access token.
func (d *Device) SSO(target string) (protocol.SSOResponse, error) {
	var resp protocol.SSOResponse
	err := d.Call(http.MethodPost, protocol.PathSSO, true, protocol.SSORequest{TargetURI: target}, &resp)
	return resp, err
}

// SetSSOTargets replaces application appID's single sign-on targets.
func (ts *TestServer) SetSSOTargets(appID string, targets ...string) {
	if targets == nil {
		targets = []string{}
	}
	if err := ts.Server.Admin().SetApplicationSSOTargets(context.Background(), appID, targets); err != nil {
		ts.t.Fatalf("servertest: SetSSOTargets: %v", err)
	}
}
