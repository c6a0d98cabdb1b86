package main

import (
	"encoding/json"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
)

// scan handles a mobile authentication OTP (typed, pasted, or read from a QR
// image): the core fetches the request, the phone shows its message and
// accepts or denies (--accept/--deny, or asks), and the core sends the signed
// answer.
func (p *phone) scan(args []string) error {
	var otp string
	if p.o.qr != "" {
		if len(args) > 0 {
			return usageError{"give the OTP or --qr FILE, not both"}
		}
		t, err := decodeQRFile(p.o.qr)
		if err != nil {
			return err
		}
		p.printf("Read the OTP from the QR code in %s.\n", p.o.qr)
		otp = t
	} else {
		otp = args[0]
	}
	if !p.o.accept && !p.o.deny && p.ask.tty == nil {
		// Piped answers are fine, but say what is asked.
		p.printf("(no --accept/--deny: reading the answer from standard input)\n")
	}
	return p.confirm(api.MethodHandleMobileAuthWithOtp, map[string]any{"otp": otp})
}

// confirm runs one SDK flow that shows a mobile authentication request (an
// OTP's or a push request's: the same events): it prints the message,
// accepts or denies (--accept/--deny, or asks), and reports the outcome.
func (p *phone) confirm(method string, params any) error {
	decided, accepted := false, false
	err := p.c.flow(method, params, p.o.timeout, nil, func(ev event) error {
		if ev.Type != api.EventMobileAuthOtp {
			return nil
		}
		var e api.MobileAuthOtpEvent
		if err := json.Unmarshal(ev.Raw, &e); err != nil {
			return err
		}
		if e.Action != api.ActionStartAuthentication || e.MobileAuthenticationRequest == nil {
			return nil
		}
		r := e.MobileAuthenticationRequest
		p.printf("\nMobile authentication request for %s:\n\n    %s\n\n", p.who(r.UserProfile.ID), terminalText(r.Message))
		switch {
		case p.o.accept:
			accepted = true
		case p.o.deny:
			accepted = false
		default:
			a, err := p.ask.yesNo("Accept? [y/n] ")
			if err != nil {
				_ = p.c.callSync(api.MethodDenyMobileAuthConfirmation, nil, nil)
				return err
			}
			accepted = a
		}
		decided = true
		if accepted {
			return p.c.deliver(api.MethodAcceptMobileAuthConfirmation, nil)
		}
		return p.c.deliver(api.MethodDenyMobileAuthConfirmation, nil)
	})
	switch {
	case err == nil && decided && accepted:
		p.printf("Accepted.\n")
		return nil
	case decided && !accepted && (err == nil || codeOf(err) == int(dispatch.CodeCancelled)):
		p.printf("Denied.\n")
		return nil
	case err == nil:
		p.printf("Done.\n")
		return nil
	}
	return err
}
