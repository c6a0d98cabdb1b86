package main

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

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
		if ev.Type == api.EventPinAuthentication {
			// User verification required: the accept asks for the PIN ...
			return p.enterPin(ev)
		}
		if ev.Type == api.EventFingerprint {
			// ... or the fingerprint, when it is the preferred authenticator.
			return p.fingerprint(ev)
		}
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
		p.printDetails(r.Details)
		if len(r.MatchCandidates) != 0 {
			p.printf("Number matching: which number does the web page show?  %s\n\n", strings.Join(r.MatchCandidates, "   "))
		}
		if r.UserVerification == "required" {
			p.printf("(accepting asks you to verify: your PIN, or your fingerprint when it is registered)\n\n")
		}
		notMe := p.o.notMe
		switch {
		case p.o.accept:
			accepted = true
		case p.o.deny || p.o.notMe:
			accepted = false
		default:
			a, err := p.ask.line("Accept? [y/n] (m: this wasn't me) ")
			for err == nil && !validAnswer(a) {
				a, err = p.ask.line("Please answer y, n or m: ")
			}
			if err != nil {
				_ = p.c.callSync(api.MethodDenyMobileAuthConfirmation, nil, nil)
				return err
			}
			a = strings.ToLower(a)
			accepted = a == "y" || a == "yes"
			notMe = a == "m"
		}
		decided = true
		if !accepted {
			if notMe {
				p.printf("Reporting \"this wasn't me\".\n")
				return p.c.deliver(api.MethodDenyMobileAuthConfirmation, map[string]any{"reason": "not_me"})
			}
			return p.c.deliver(api.MethodDenyMobileAuthConfirmation, nil)
		}
		if len(r.MatchCandidates) == 0 {
			return p.c.deliver(api.MethodAcceptMobileAuthConfirmation, nil)
		}
		pick := p.o.match
		if pick == "" {
			if p.o.accept {
				_ = p.c.callSync(api.MethodDenyMobileAuthConfirmation, nil, nil)
				return usageError{"this request uses number matching: give --match NN (the number the web page shows) with --accept"}
			}
			for {
				a, err := p.ask.line("Number shown on the web page: ")
				if err != nil {
					_ = p.c.callSync(api.MethodDenyMobileAuthConfirmation, nil, nil)
					return err
				}
				if slices.Contains(r.MatchCandidates, strings.TrimSpace(a)) {
					pick = strings.TrimSpace(a)
					break
				}
				p.printf("Pick one of %s.\n", strings.Join(r.MatchCandidates, ", "))
			}
		}
		return p.c.deliver(api.MethodAcceptMobileAuthConfirmation, map[string]any{"matchCode": pick})
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

func validAnswer(a string) bool {
	switch strings.ToLower(a) {
	case "y", "yes", "n", "no", "m":
		return true
	}
	return false
}

// printDetails prints a request's details (DESIGN §13) as a two-column table.
func (p *phone) printDetails(ds []api.TransactionDetail) {
	if len(ds) == 0 {
		return
	}
	w := 0
	for _, d := range ds {
		w = max(w, utf8.RuneCountInString(terminalText(d.Label)))
	}
	for _, d := range ds {
		l := terminalText(d.Label)
		p.printf("    %s%s  %s\n", l, strings.Repeat(" ", w-utf8.RuneCountInString(l)), terminalText(d.Value))
	}
	p.printf("\n")
}
