package mobileauth

import (
	"context"
	"sync"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/flow"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/store"
	"github.com/openmobileauth/oma/core/user"
)

// MobileAuth is the mobile-authentication feature of one core.
type MobileAuth struct {
	c     *client.Client
	u     *user.Users
	st    *store.Store
	emit  user.Emitter
	slot  *flow.Slot
	enrMu sync.Mutex
	// Timeout bounds the wait for the user's accept or deny.
	Timeout time.Duration
}

// New returns the feature over the client and the user feature.
func New(c *client.Client, u *user.Users, emit user.Emitter) *MobileAuth {
	return &MobileAuth{c: c, u: u, st: c.Store(), emit: emit, Timeout: flow.DefaultTimeout,
		slot: flow.NewSlot("mobile authentication", dispatch.CodeNoMobileAuthInProgress)}
}

// Flow input kinds.
const (
	inAccept = "accept"
	inDeny   = "deny"
)

// Register adds the mobile-authentication methods to d.
func (m *MobileAuth) Register(d *dispatch.Dispatcher) error {
	return api.Register(d, append([]api.Binding{
		api.EnrollMobileAuthentication.Handle(m.enroll),
		api.IsUserEnrolledForMobileAuth.Handle(m.isUserEnrolled),
		api.HandleMobileAuthWithOtp.Handle(m.handleOTP),
		api.AcceptMobileAuthConfirmation.Handle(func(ctx context.Context, p api.AcceptMobileAuthParams) (api.None, error) {
			return m.deliver(ctx, inAccept, p.MatchCode)
		}),
		api.DenyMobileAuthConfirmation.Handle(func(ctx context.Context, p api.DenyMobileAuthParams) (api.None, error) {
			return m.deliver(ctx, inDeny, p.Reason)
		}),
	}, m.registerPush()...)...)
}

// deliver answers accept (value: the match code picked) or deny (value: the
// reason): hands the decision to the running flow.
func (m *MobileAuth) deliver(ctx context.Context, kind, value string) (api.None, error) {
	if err := m.c.Started(); err != nil {
		return api.None{}, err
	}
	return api.None{}, m.slot.Deliver(ctx, kind, value)
}

func (m *MobileAuth) isUserEnrolled(_ context.Context, params api.ProfileParams) (bool, error) {
	if err := m.c.Started(); err != nil {
		return false, err
	}
	p, err := m.st.Profile(params.ProfileID)
	if err != nil {
		return false, dispatch.Wrap(dispatch.CodeInternal, err, "local storage failed")
	}
	if p == nil {
		return false, dispatch.Errorf(dispatch.CodeProfileNotFound, "the profile does not exist on this device")
	}
	return p.Enrollment != nil, nil
}

// dropEnrollment forgets a profile's enrollment locally (the server removed it).
func (m *MobileAuth) dropEnrollment(pid string) {
	if _, err := m.st.UpdateProfile(pid, func(p *store.Profile) { p.Enrollment = nil }); err != nil {
		m.c.Log().Error().Err(err).Msg("forgetting an enrollment failed")
	}
	_ = m.c.Keys().DeleteKey(keys.MobileAuthAlias(pid))
}
