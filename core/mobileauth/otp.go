package mobileauth

import (
	"context"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/flow"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
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
	f.Expect(inAccept, inDeny)
	req := api.MobileAuthenticationRequest{
		Message: tx.Message, Type: tx.Type, TransactionID: tx.TransactionID, UserProfile: api.UserProfile{ID: p.ID},
		SigningData: tx.Message, // what the answer's message_hash covers
	}
	api.MobileAuthStartEvent.Emit(m.emit, api.MobileAuthStart{MobileAuthenticationRequest: req})
	finish := func() {
		f.Expect()
		api.MobileAuthFinishEvent.Emit(m.emit, api.MobileAuthFinish{MobileAuthenticationRequest: req})
	}

	in, err := f.Await(ctx, inAccept, inDeny)
	if err != nil {
		finish()
		return none, err
	}
	f.Expect()
	in.Reply(nil)
	decision := protocol.DecisionAccept
	if in.Kind == inDeny {
		decision = protocol.DecisionDeny
	}

	// Round trip 2: the signed answer over the message that was shown.
	ans, err := buildAnswer(signer, p.ID, tx, decision, m.c.Now().Unix())
	if err != nil {
		finish()
		return none, err
	}
	var ar protocol.AnswerResponse
	err = m.c.Call(ctx, "POST", protocol.PathAnswer, ans, "", &ar)
	finish()
	if err != nil {
		return none, err
	}
	if decision == protocol.DecisionDeny {
		return none, dispatch.Errorf(dispatch.CodeCancelled, "the mobile authentication was denied")
	}
	return none, nil
}

// buildAnswer makes the signed answer to tx.
func buildAnswer(signer *keys.Signer, pid string, tx *protocol.ClaimResponse, decision string, now int64) (*protocol.AnswerRequest, error) {
	a := &protocol.AnswerRequest{
		TransactionID: tx.TransactionID, ProfileID: pid, Decision: decision,
		MessageHash: protocol.MessageHash(tx.Message), Nonce: tx.Nonce, Time: now,
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
