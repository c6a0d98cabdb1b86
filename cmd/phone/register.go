package main

import (
	"context"
	"encoding/json"
	"time"

	"github.com/openmobileauth/oma/core/api"
)

// register runs registerUser: the login page (logged in by the phone itself
// with --user/--password or the credentials asked on the terminal, or by the
// user in a browser with --browser), then the new PIN.
func (p *phone) register([]string) error {
	var res struct {
		UserProfile api.UserProfile `json:"userProfile"`
	}
	params := map[string]any{"identityProviderId": nil, "scopes": []string{}}
	err := p.c.flow(api.MethodRegisterUser, params, p.o.timeout, &res, func(ev event) error {
		switch ev.Type {
		case api.EventRegistration:
			return p.browserLogin(ev)
		case api.EventPinCreate:
			return p.createPin(ev)
		}
		return nil
	})
	if err != nil {
		return err
	}
	name := p.loginName
	if name == "" {
		// Logged in in a browser (--browser): the phone never saw the name;
		// the server named the user in the registration's token answer.
		name = p.userOfProfile(res.UserProfile.ID)
	}
	if name != "" {
		if err := p.rememberUser(res.UserProfile.ID, name); err != nil {
			return err
		}
	}
	p.printf("Registered: %s\n", p.who(res.UserProfile.ID))
	return nil
}

func (p *phone) browserLogin(ev event) error {
	var e api.RegistrationEvent
	if err := json.Unmarshal(ev.Raw, &e); err != nil {
		return err
	}
	p.printf("Login page: %s\n", e.URL)
	var callback string
	if p.o.browser && p.o.user == "" {
		p.printf("Open it in a browser and log in. The login page then redirects to an oma-app://registration/callback?code=...\n" +
			"address that a desktop browser cannot open: copy it from the developer tools (Network tab, the Location header\n" +
			"of the login form's answer).\n")
		a, err := p.ask.line("Paste that address here: ")
		if err != nil {
			return p.cancelRegistration(err)
		}
		callback = a
	} else {
		user, pass := p.o.user, p.o.password
		if user == "" {
			a, err := p.ask.line("Username: ")
			if err != nil {
				return p.cancelRegistration(err)
			}
			user = a
		}
		if pass == "" {
			a, err := p.ask.secret("Password: ")
			if err != nil {
				return p.cancelRegistration(err)
			}
			pass = a
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cb, err := webLogin(ctx, e.URL, user, pass)
		if err != nil {
			return p.cancelRegistration(err)
		}
		p.printf("Logged in as %s on the login page.\n", terminalText(user))
		p.loginName = user
		callback = cb
	}
	if err := p.c.deliver(api.MethodHandleRegistrationCallback, map[string]any{"uri": callback}); err != nil {
		return p.cancelRegistration(err)
	}
	return nil
}

func (p *phone) cancelRegistration(err error) error {
	_ = p.c.callSync(api.MethodCancelBrowserRegistration, nil, nil)
	return err
}
