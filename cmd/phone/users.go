package main

import (
	"encoding/json"
	"os"
)

// The SDK knows a registered user by profile id only; the phone remembers the
// user name it logged in with (register --user or the name typed) in
// phone.json, to show "alice (profile X)" instead of the bare id. A
// registration done in a browser (--browser) has no name the phone saw.

func (p *phone) loadSettings() settings {
	var s settings
	if b, err := os.ReadFile(p.settingsPath()); err == nil {
		_ = json.Unmarshal(b, &s)
	}
	return s
}

func (p *phone) saveSettings(s settings) error {
	b, _ := json.MarshalIndent(s, "", "  ")
	return os.WriteFile(p.settingsPath(), append(b, '\n'), 0o600)
}

// rememberUser records (or with name "" forgets) the user name of profile id.
func (p *phone) rememberUser(id, name string) error {
	s := p.loadSettings()
	if name == "" {
		if _, ok := s.Users[id]; !ok {
			return nil
		}
		delete(s.Users, id)
	} else {
		if s.Users == nil {
			s.Users = map[string]string{}
		}
		s.Users[id] = name
	}
	return p.saveSettings(s)
}

// who names profile id for the terminal: "alice (profile X)", or
// "profile X" when the phone does not know the user name.
func (p *phone) who(id string) string {
	if name := p.loadSettings().Users[id]; name != "" {
		return terminalText(name) + " (profile " + terminalText(id) + ")"
	}
	return "profile " + terminalText(id)
}
