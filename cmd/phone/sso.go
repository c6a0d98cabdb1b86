package main

import (
	"github.com/openmobileauth/oma/core/api"
)

// App-to-web single sign-on on the terminal phone (issue 17): `phone sso
// URL` authenticates with the PIN (the core keeps no session between runs)
// and prints the one-time address that signs a browser in as the user and
// lands on URL, which the operator must have allow-listed for the app
// (tokenserver app update --id oma-app --sso-target URL).
func (p *phone) sso(pos []string) error {
	if _, err := p.authenticate(); err != nil {
		return err
	}
	var res api.SingleSignOnData
	if err := p.c.callSync(api.MethodStartSingleSignOn, map[string]any{"url": pos[0]}, &res); err != nil {
		return err
	}
	p.printf("Open this address in the browser (once, within a minute) to be signed in at %s:\n%s\n", pos[0], res.URL)
	return nil
}
