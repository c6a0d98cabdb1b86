package main

import (
	"errors"
	"strings"

	"github.com/openmobileauth/oma/core/api"
)

// chooseProfile returns --profile, or the only registered profile.
func (p *phone) chooseProfile() (string, error) {
	var profiles []api.UserProfile
	if err := p.c.callSync(api.MethodGetUserProfiles, nil, &profiles); err != nil {
		return "", err
	}
	if p.o.profile != "" {
		for _, pr := range profiles {
			if pr.ID == p.o.profile {
				return pr.ID, nil
			}
		}
		return "", errors.New("no registered profile " + p.o.profile + " on this phone (see phone status)")
	}
	switch len(profiles) {
	case 0:
		return "", errors.New("no registered user on this phone: run phone register first")
	case 1:
		return profiles[0].ID, nil
	}
	ids := make([]string, len(profiles))
	for i, pr := range profiles {
		ids[i] = pr.ID
	}
	return "", usageError{"several users are registered on this phone; choose one with --profile (" + strings.Join(ids, ", ") + ")"}
}

// authenticate runs authenticateUser with the PIN.
func (p *phone) authenticate() (string, error) {
	id, err := p.chooseProfile()
	if err != nil {
		return "", err
	}
	var res struct {
		UserProfile api.UserProfile `json:"userProfile"`
	}
	params := map[string]any{"profileId": id, "authenticatorId": nil}
	err = p.c.flow(api.MethodAuthenticateUser, params, p.o.timeout, &res, func(ev event) error {
		if ev.Type == api.EventPinAuthentication {
			return p.enterPin(ev)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

func (p *phone) login([]string) error {
	id, err := p.authenticate()
	if err != nil {
		return err
	}
	p.printf("Authenticated: profile %s\n", id)
	return nil
}

// enroll authenticates (the core keeps no session between runs of the
// terminal phone) and enrolls for mobile authentication.
func (p *phone) enroll([]string) error {
	id, err := p.authenticate()
	if err != nil {
		return err
	}
	if err := p.c.callSync(api.MethodEnrollMobileAuthentication, nil, nil); err != nil {
		return err
	}
	p.printf("Enrolled for mobile authentication: profile %s\n", id)
	return nil
}
