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
	return d.RegisterAll(map[string]dispatch.Handler{
		api.MethodEnrollMobileAuthentication:   m.enroll,
		api.MethodIsUserEnrolledForMobileAuth:  m.isUserEnrolled,
		api.MethodHandleMobileAuthWithOtp:      m.handleOTP,
		api.MethodAcceptMobileAuthConfirmation: m.slot.Handler(m.c.Started, inAccept),
		api.MethodDenyMobileAuthConfirmation:   m.slot.Handler(m.c.Started, inDeny),
	})
}

func (m *MobileAuth) isUserEnrolled(_ context.Context, call *dispatch.Call) (any, error) {
	if err := m.c.Started(); err != nil {
		return nil, err
	}
	pid, err := call.String("profileId")
	if err != nil {
		return nil, err
	}
	p, err := m.st.Profile(pid)
	if err != nil {
		return nil, dispatch.Wrap(dispatch.CodeInternal, err, "local storage failed")
	}
	if p == nil {
		return nil, dispatch.Errorf(dispatch.CodeProfileNotFound, "the profile does not exist on this device")
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
