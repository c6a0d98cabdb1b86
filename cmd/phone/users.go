package main

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/store"
)

// The SDK knows a registered user by profile id only; the phone remembers the
// user name it logged in with (register --user or the name typed) in
// phone.json, to show "alice (profile X)" instead of the bare id. After a
// registration done in a browser (--browser) it takes the user id the
// server named in the token answer, which the core keeps with the profile
// (the built-in identity provider's user id is the user name).

// userOfProfile returns the user id the core stored for profile id ("" when
// it cannot tell).
func (p *phone) userOfProfile(id string) string {
	fs, err := device.NewFileStorage(filepath.Join(p.o.data, "sdk"))
	if err != nil {
		return ""
	}
	pr, err := store.New(fs).Profile(id)
	if err != nil || pr == nil {
		return ""
	}
	return pr.UserID
}

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
