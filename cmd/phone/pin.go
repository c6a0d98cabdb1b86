package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
)

// createPin answers the PIN-create events of a registration: on "open" it
// submits --pin or asks for a new PIN twice; on "pinNotAllowed" it asks again
// (interactive) or cancels and fails (with --pin).
func (p *phone) createPin(ev event) error {
	var e api.PinCreateEvent
	if err := json.Unmarshal(ev.Raw, &e); err != nil {
		return err
	}
	switch e.Action {
	case api.ActionOpen:
		return p.submitNewPin(e.PinLength)
	case api.ActionPinNotAllowed:
		msg := e.ErrorMsg
		if msg == "" {
			msg = "the PIN is not allowed"
		}
		if p.o.pin != "" {
			_ = p.c.callSync(api.MethodCancelPinCreation, nil, nil)
			code := e.ErrorCode
			if code == 0 {
				code = int(dispatch.CodePinNotAllowed)
			}
			return &sdkError{Code: code, Message: msg}
		}
		p.printf("%s\n", msg)
		return p.submitNewPin(e.PinLength)
	}
	return nil
}

func (p *phone) submitNewPin(length int) error {
	for {
		pin := p.o.pin
		if pin == "" {
			q := "Choose a PIN: "
			if length > 0 {
				q = fmt.Sprintf("Choose a PIN of %d digits: ", length)
			}
			a, err := p.ask.secret(q)
			if err != nil {
				return p.cancelCreate(err)
			}
			b, err := p.ask.secret("Repeat the PIN: ")
			if err != nil {
				return p.cancelCreate(err)
			}
			if a != b {
				p.printf("The PINs differ; try again.\n")
				continue
			}
			pin = a
		}
		err := p.c.deliver(api.MethodSubmitPin, map[string]any{"flow": api.FlowCreate, "pin": pin})
		if err == nil {
			return nil
		}
		if c := codeOf(err); (c == int(dispatch.CodePinNotAllowed) || c == int(dispatch.CodeBadParameters)) && p.o.pin == "" {
			var se *sdkError
			if errors.As(err, &se) {
				p.printf("%s\n", se.Message)
			}
			continue
		}
		return p.cancelCreate(err)
	}
}

func (p *phone) cancelCreate(err error) error {
	_ = p.c.callSync(api.MethodCancelPinCreation, nil, nil)
	return err
}

// enterPin answers the PIN-authentication events: on "open" it submits --pin
// or asks for it; on "incorrectPin" it asks again (interactive) or cancels
// and fails with 8004 and the remaining attempts (with --pin).
func (p *phone) enterPin(ev event) error {
	var e api.PinAuthenticationEvent
	if err := json.Unmarshal(ev.Raw, &e); err != nil {
		return err
	}
	switch e.Action {
	case api.ActionOpen:
		return p.submitPin()
	case api.ActionIncorrectPin:
		left := -1
		if e.RemainingFailureCount != nil {
			left = *e.RemainingFailureCount
		}
		if p.o.pin != "" {
			_ = p.c.callSync(api.MethodCancelPinAuthentication, nil, nil)
			se := &sdkError{Code: int(dispatch.CodeWrongPin), Message: "wrong PIN"}
			if left >= 0 {
				se.Data = map[string]any{"remainingFailureCount": left}
			}
			return se
		}
		if left >= 0 {
			p.printf("Wrong PIN. Attempts left: %d\n", left)
		} else {
			p.printf("Wrong PIN.\n")
		}
		return p.submitPin()
	}
	return nil
}

func (p *phone) submitPin() error {
	for {
		pin := p.o.pin
		if pin == "" {
			a, err := p.ask.secret("PIN: ")
			if err != nil {
				_ = p.c.callSync(api.MethodCancelPinAuthentication, nil, nil)
				return err
			}
			pin = a
		}
		err := p.c.deliver(api.MethodSubmitPin, map[string]any{"flow": api.FlowAuthentication, "pin": pin})
		if err == nil || codeOf(err) == int(dispatch.CodeWrongPin) {
			return nil
		}
		if codeOf(err) == int(dispatch.CodeBadParameters) && p.o.pin == "" {
			var se *sdkError
			if errors.As(err, &se) {
				p.printf("%s\n", se.Message)
			}
			continue
		}
		_ = p.c.callSync(api.MethodCancelPinAuthentication, nil, nil)
		return err
	}
}
