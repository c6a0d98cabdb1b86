package main

import (
	"encoding/json"

	"github.com/openmobileauth/oma/core/api"
)

// profileStatus is one registered user in the status output.
type profileStatus struct {
	ID       string `json:"id"`
	User     string `json:"user,omitempty"` // the user name register logged in with, when known
	Enrolled bool   `json:"enrolled"`
}

// status prints the server and the registered users with their enrollment.
func (p *phone) status([]string) error {
	server, _ := p.resolveServer()
	var profiles []api.UserProfile
	if err := p.c.callSync(api.MethodGetUserProfiles, nil, &profiles); err != nil {
		return err
	}
	out := struct {
		Server   string          `json:"server"`
		Data     string          `json:"data"`
		Profiles []profileStatus `json:"profiles"`
	}{Server: server, Data: p.o.data, Profiles: []profileStatus{}}
	for _, pr := range profiles {
		var enrolled bool
		if err := p.c.callSync(api.MethodIsUserEnrolledForMobileAuth, map[string]any{"profileId": pr.ID}, &enrolled); err != nil {
			return err
		}
		out.Profiles = append(out.Profiles, profileStatus{ID: pr.ID, User: p.loadSettings().Users[pr.ID], Enrolled: enrolled})
	}
	if p.o.jsonOut {
		b, _ := json.MarshalIndent(out, "", "  ")
		p.printf("%s\n", b)
		return nil
	}
	p.printf("Server: %s\nData:   %s\n", out.Server, out.Data)
	if len(out.Profiles) == 0 {
		p.printf("No registered user (run phone register).\n")
	}
	for _, pr := range out.Profiles {
		state := "not enrolled for mobile authentication"
		if pr.Enrolled {
			state = "enrolled for mobile authentication"
		}
		p.printf("User %s: %s\n", p.who(pr.ID), state)
	}
	return nil
}

// deregister removes the chosen profile from the phone and the server.
func (p *phone) deregister([]string) error {
	id, err := p.chooseProfile()
	if err != nil {
		return err
	}
	if err := p.c.callSync(api.MethodDeregisterUser, map[string]any{"profileId": id}, nil); err != nil {
		return err
	}
	p.printf("Deregistered: %s\n", p.who(id))
	if err := p.rememberUser(id, ""); err != nil {
		return err
	}
	return nil
}
