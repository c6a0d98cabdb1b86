package main

import (
	"encoding/json"
	"strings"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/device"
)

// The fingerprint authenticator on the terminal phone (issue 15, DESIGN §14):
// the core's pure-Go biometric stands in for the sensor and plays the
// outcomes --biometric scripts. `phone biometric` registers it (after the
// PIN) and makes it the preferred authenticator; then accepting a request
// whose type requires user verification asks for the fingerprint instead
// of the PIN (DESIGN §13), and --biometric pin falls back to the PIN.

// biometricFallback is the --biometric value that falls back to the PIN.
const biometricFallback = "pin"

// biometricScript checks --biometric and returns the outcomes the core's
// biometric plays ("" for none, and for the PIN fallback).
func biometricScript(v string) (string, error) {
	if v == "" || v == biometricFallback {
		return "", nil
	}
	for _, o := range strings.Split(v, ",") {
		if !device.IsSoftBiometricOutcome(o) {
			return "", usageError{"--biometric: comma-separated outcomes (success, fail, cancel, lockout, changed), or pin"}
		}
	}
	return v, nil
}

// registerBiometric: authenticate with the PIN (the core keeps no session
// between runs), register the fingerprint authenticator (the core asks for
// the PIN again: the server registers it only with a PIN login) and prefer it.
func (p *phone) registerBiometric([]string) error {
	id, err := p.authenticate()
	if err != nil {
		return err
	}
	err = p.c.flow(api.MethodRegisterFingerprintAuthenticator, map[string]any{"profileId": id}, p.o.timeout, nil, func(ev event) error {
		if ev.Type == api.EventPinAuthentication {
			return p.enterPin(ev)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := p.c.callSync(api.MethodSetPreferredAuthenticator, map[string]any{"authenticatorId": api.AuthenticatorIDAndroidFingerprint}, nil); err != nil {
		return err
	}
	p.printf("Fingerprint authenticator registered and preferred: profile %s\n", id)
	return nil
}

// fingerprint answers the fingerprint events of a request's user
// verification: accept (the scripted sensor decides) or, with --biometric
// pin, fall back to the PIN.
func (p *phone) fingerprint(ev event) error {
	var e struct {
		Action string `json:"action"`
	}
	if err := json.Unmarshal(ev.Raw, &e); err != nil {
		return err
	}
	switch e.Action {
	case api.ActionStartAuthentication:
		if p.o.biometric == biometricFallback {
			p.printf("Fingerprint asked: using the PIN instead.\n")
			return p.c.deliver(api.MethodSubmitFingerprintFallbackToPin, nil)
		}
		p.printf("Fingerprint asked: touch the sensor (scripted: %s).\n", orDefault(p.o.biometric, device.OutcomeSuccess))
		return p.c.deliver(api.MethodSubmitFingerprintAcceptAuthenticationRequest, nil)
	case api.ActionOnNextAuthenticationAttempt:
		p.printf("Fingerprint not recognised; try again.\n")
	case api.ActionOnFingerprintCaptured:
		p.printf("Fingerprint recognised.\n")
	}
	return nil
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}
