package mobileauth

import (
	"context"
	"slices"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/flow"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
	"github.com/openmobileauth/oma/core/user"
)

// handleOTP runs one OTP flow; see the package documentation.
func (m *MobileAuth) handleOTP(ctx context.Context, params api.OtpParams) (api.None, error) {
	none := api.None{}
	if err := m.c.Started(); err != nil {
		return none, err
	}
	otp, ok := protocol.NormalizeOTP(params.Otp)
	if !ok {
		return none, dispatch.Errorf(dispatch.CodeNotHandleable, "the OTP is malformed")
	}
	f, err := m.slot.Begin(m.Timeout)
	if err != nil {
		return none, err
	}
	defer f.End()
	p, err := m.claimingProfile()
	if err != nil {
		return none, err
	}
	signer, err := keys.Load(m.c.Keys(), p.Enrollment.KeyAlias)
	if err != nil {
		m.dropEnrollment(p.ID)
		return none, dispatch.Errorf(dispatch.CodeNotEnrolled, "the enrollment key is gone; enroll again")
	}

	// Round trip 1: claim the OTP.
	var tx protocol.ClaimResponse
	if err := m.c.Call(ctx, "POST", protocol.PathClaim, protocol.ClaimRequest{OTP: otp, ProfileID: p.ID}, "", &tx); err != nil {
		switch dispatch.CodeOf(err) {
		case dispatch.CodeUserDisenrolled, dispatch.CodeNotEnrolled:
			m.dropEnrollment(p.ID)
		}
		return none, err
	}
	return m.confirm(ctx, f, p, signer, &tx)
}

// confirm runs the part of a flow after the claim, the same for an OTP and
// a push request: the message check, the start event, the user's accept or
// deny, the signed answer over the message shown, the finish event.
func (m *MobileAuth) confirm(ctx context.Context, f *flow.Flow, p *store.Profile, signer *keys.Signer, tx *protocol.ClaimResponse) (api.None, error) {
	none := api.None{}
	if tx.TransactionID == "" || tx.Nonce == "" {
		return none, dispatch.Errorf(dispatch.CodeGeneral, "the server's claim answer is incomplete")
	}
	// Defence in depth (DESIGN §5): a message that could mislead the user
	// (line breaks, bidi controls, invisible characters, ...) is never shown,
	// whatever the server let through. The server applies the same rule.
	if err := protocol.CheckDisplayText(tx.Message); err != nil {
		return none, dispatch.Errorf(dispatch.CodeNotHandleable, "the request's message cannot be shown safely: %v", err)
	}
	// DESIGN §13: details under the same rule; number matching needs
	// three distinct candidates.
	if err := protocol.CheckDetails(tx.Details); err != nil {
		return none, dispatch.Errorf(dispatch.CodeNotHandleable, "the request's details cannot be shown safely: %v", err)
	}
	if !candidatesOK(tx.MatchCandidates) {
		return none, dispatch.Errorf(dispatch.CodeNotHandleable, "the request's number-matching candidates are malformed")
	}
	req := api.MobileAuthenticationRequest{
		Message: tx.Message, Type: tx.Type, TransactionID: tx.TransactionID, UserProfile: api.UserProfile{ID: p.ID},
		SigningData:     tx.Message, // what the answer's message_hash covers
		MatchCandidates: tx.MatchCandidates, UserVerification: tx.UserVerification,
	}
	for _, d := range tx.Details {
		req.Details = append(req.Details, api.TransactionDetail{Label: d.Label, Value: d.Value})
	}
	f.Expect(inAccept, inDeny)
	api.MobileAuthStartEvent.Emit(m.emit, api.MobileAuthStart{MobileAuthenticationRequest: req})
	finish := func() {
		f.Expect()
		api.MobileAuthFinishEvent.Emit(m.emit, api.MobileAuthFinish{MobileAuthenticationRequest: req})
	}

	var in flow.Input
	for {
		var err error
		if in, err = f.Await(ctx, inAccept, inDeny); err != nil {
			finish()
			return none, err
		}
		// An accept of a number-matching request needs one of the
		// candidates; a deny's reason is not_me or nothing. Otherwise the
		// call is refused (8009) and the request stays shown.
		if in.Kind == inAccept && len(tx.MatchCandidates) != 0 && !slices.Contains(tx.MatchCandidates, in.Value) {
			in.Reply(dispatch.Errorf(dispatch.CodeBadParameters, "matchCode: pick one of the request's matchCandidates"))
			continue
		}
		if in.Kind == inAccept && len(tx.MatchCandidates) == 0 && in.Value != "" {
			in.Reply(dispatch.Errorf(dispatch.CodeBadParameters, "matchCode: this request has no number matching"))
			continue
		}
		if in.Kind == inDeny && in.Value != "" && in.Value != protocol.ReasonNotMe {
			in.Reply(dispatch.Errorf(dispatch.CodeBadParameters, "reason must be not_me"))
			continue
		}
		break
	}
	f.Expect()
	in.Reply(nil)
	a := answer{decision: protocol.DecisionAccept, matchPick: in.Value}
	if in.Kind == inDeny {
		a = answer{decision: protocol.DecisionDeny, reason: in.Value}
	}

	// Round trip 2: the signed answer over the message (and details, pick)
	// that was shown. With user verification required the accept carries
	// the PIN (PIN authentication events; a wrong PIN asks again, the
	// server counts it) or, when it is the preferred authenticator, the
	// biometric key's signature (fingerprint events): user.VerifyUser.
	send := func(v user.Verification) error {
		ans, err := buildAnswer(signer, p.ID, tx, a, v, m.c.Now().Unix())
		if err != nil {
			return err
		}
		var ar protocol.AnswerResponse
		if err := m.c.Call(ctx, "POST", protocol.PathAnswer, ans, "", &ar); err != nil {
			return err
		}
		if ar.Status == "denied" && a.decision == protocol.DecisionAccept {
			return dispatch.Errorf(dispatch.CodeCancelled, "the number picked was not the one shown: the request was denied")
		}
		return nil
	}
	var err error
	if a.decision == protocol.DecisionAccept && tx.UserVerification == protocol.UserVerificationRequired {
		err = m.u.VerifyUser(ctx, p.ID, send)
	} else {
		err = send(user.Verification{})
	}
	finish()
	if err != nil {
		return none, err
	}
	if a.decision == protocol.DecisionDeny {
		return none, dispatch.Errorf(dispatch.CodeCancelled, "the mobile authentication was denied")
	}
	return none, nil
}

// answer is the user's decision with what DESIGN §13 adds to it.
type answer struct {
	decision  string
	matchPick string
	reason    string
}

// candidatesOK: no number matching, or protocol.MatchCandidates distinct candidates.
func candidatesOK(cs []string) bool {
	return len(cs) == 0 || len(cs) == protocol.MatchCandidates && distinct(cs)
}

func distinct(xs []string) bool {
	seen := map[string]bool{}
	for _, x := range xs {
		if seen[x] {
			return false
		}
		seen[x] = true
	}
	return true
}

// buildAnswer makes the signed answer to tx.
// With a biometric verification the user-verified key signs first (the
// prompt); its failure ends the answer before the device key signs.
func buildAnswer(signer *keys.Signer, pid string, tx *protocol.ClaimResponse, ans answer, v user.Verification, now int64) (*protocol.AnswerRequest, error) {
	a := &protocol.AnswerRequest{
		TransactionID: tx.TransactionID, ProfileID: pid, Decision: ans.decision,
		MessageHash: protocol.MessageHash(tx.Message), Nonce: tx.Nonce, Time: now,
		DetailsHash: protocol.DetailsHash(tx.Details), MatchPick: ans.matchPick, Reason: ans.reason,
	}
	switch v.Method {
	case protocol.VerificationPIN:
		a.VerificationMethod, a.Pin = protocol.VerificationPIN, v.Pin
	case protocol.VerificationBiometric:
		a.VerificationMethod = protocol.VerificationBiometric
		if err := protocol.SignUV(v.SignUV, a); err != nil {
			return nil, dispatch.Wrap(dispatch.CodeBiometricFailure, err, "the biometric verification did not sign")
		}
	}
	if err := protocol.SignAnswer(signer.SignDigest, a); err != nil {
		return nil, dispatch.Wrap(dispatch.CodeGeneral, err, "signing the answer failed")
	}
	return a, nil
}

// claimingProfile picks the profile that claims an OTP: the authenticated
// profile when it is enrolled, else the only enrolled profile, else 9021.
func (m *MobileAuth) claimingProfile() (*store.Profile, error) {
	if pid, err := m.u.AuthenticatedProfile(); err == nil {
		if p, err := m.st.Profile(pid); err == nil && p != nil && p.Enrollment != nil {
			return p, nil
		}
	}
	ps, err := m.st.Profiles()
	if err != nil {
		return nil, dispatch.Wrap(dispatch.CodeInternal, err, "local storage failed")
	}
	var enrolled []store.Profile
	for _, p := range ps {
		if p.Enrollment != nil {
			enrolled = append(enrolled, p)
		}
	}
	if len(enrolled) == 1 {
		return &enrolled[0], nil
	}
	if len(enrolled) == 0 {
		return nil, dispatch.Errorf(dispatch.CodeNotEnrolled, "no profile on this device is enrolled for mobile authentication")
	}
	return nil, dispatch.Errorf(dispatch.CodeNotEnrolled, "several profiles are enrolled; authenticate the one that should answer")
}
