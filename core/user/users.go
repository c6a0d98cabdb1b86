package user

import (
	"context"
	"sync"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/flow"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
)

// Emitter sends an event (the dispatcher's Emit).
type Emitter func(eventType string, payload any)

// Users is the user feature of one core. It is safe for concurrent use.
type Users struct {
	c    *client.Client
	st   *store.Store
	emit Emitter
	slot *flow.Slot // registration and PIN authentication
	// Timeout bounds every wait for the app (browser callback, PIN).
	Timeout time.Duration
	tokMu   sync.Mutex // serialises token refresh
}

// New returns the user feature over a client.
func New(c *client.Client, emit Emitter) *Users {
	return &Users{c: c, st: c.Store(), emit: emit, slot: flow.NewSlot("registration or PIN flow", dispatch.CodeNoFlowInProgress), Timeout: flow.DefaultTimeout}
}

// Flow input kinds.
const (
	inCallback      = "callback"
	inCancelBrowser = "cancel:browser"
	inPinCreate     = "pin:" + api.FlowCreate
	inPinAuth       = "pin:" + api.FlowAuthentication
	inCancelCreate  = "cancel:" + api.FlowCreate
	inCancelAuth    = "cancel:" + api.FlowAuthentication
)

// Register adds the user methods to d.
func (u *Users) Register(d *dispatch.Dispatcher) error {
	return d.RegisterAll(map[string]dispatch.Handler{
		api.MethodRegisterUser:                u.registerUser,
		api.MethodHandleRegistrationCallback:  u.handleRegistrationCallback,
		api.MethodCancelBrowserRegistration:   u.slot.Handler(u.c.Started, inCancelBrowser),
		api.MethodSubmitPin:                   u.submitPin,
		api.MethodCancelPinCreation:           u.slot.Handler(u.c.Started, inCancelCreate),
		api.MethodCancelPinAuthentication:     u.slot.Handler(u.c.Started, inCancelAuth),
		api.MethodAuthenticateUser:            u.authenticateUser,
		api.MethodLogout:                      u.logout,
		api.MethodDeregisterUser:              u.deregisterUser,
		api.MethodGetUserProfiles:             u.getUserProfiles,
		api.MethodGetAuthenticatedUserProfile: u.getAuthenticatedUserProfile,
		api.MethodGetAccessToken:              u.getAccessToken,
		api.MethodResourceRequest:             u.resourceRequest,
	})
}

func (u *Users) submitPin(ctx context.Context, call *dispatch.Call) (any, error) {
	if err := u.c.Started(); err != nil {
		return nil, err
	}
	fl, err := call.String("flow")
	if err != nil {
		return nil, err
	}
	pin, err := call.String("pin")
	if err != nil {
		return nil, err
	}
	if fl != api.FlowCreate && fl != api.FlowAuthentication {
		return nil, dispatch.Errorf(dispatch.CodeBadParameters, `parameter "flow" must be "Create" or "Authentication"`)
	}
	return nil, u.slot.Deliver(ctx, "pin:"+fl, pin)
}

func (u *Users) getUserProfiles(context.Context, *dispatch.Call) (any, error) {
	if err := u.c.Started(); err != nil {
		return nil, err
	}
	ps, err := u.st.Profiles()
	if err != nil {
		return nil, internal(err)
	}
	out := make([]api.UserProfile, 0, len(ps))
	for _, p := range ps {
		out = append(out, api.UserProfile{ID: p.ID})
	}
	return out, nil
}

func (u *Users) getAuthenticatedUserProfile(context.Context, *dispatch.Call) (any, error) {
	if err := u.c.Started(); err != nil {
		return nil, err
	}
	pid, err := u.AuthenticatedProfile()
	if err != nil {
		return nil, err
	}
	return api.UserProfile{ID: pid}, nil
}

// AuthenticatedProfile returns the authenticated profile id, or 9010.
func (u *Users) AuthenticatedProfile() (string, error) {
	s, err := u.st.Session()
	if err != nil {
		return "", internal(err)
	}
	if s == nil {
		return "", dispatch.Errorf(dispatch.CodeNotAuthenticated, "no user is authenticated")
	}
	return s.ProfileID, nil
}

// profile returns the stored profile id or 8007.
func (u *Users) profile(id string) (*store.Profile, error) {
	p, err := u.st.Profile(id)
	if err != nil {
		return nil, internal(err)
	}
	if p == nil {
		return nil, dispatch.Errorf(dispatch.CodeProfileNotFound, "the profile does not exist on this device")
	}
	return p, nil
}

// forgetProfile removes a profile and its keys locally.
func (u *Users) forgetProfile(id string) error {
	if err := u.st.DeleteProfile(id); err != nil {
		return internal(err)
	}
	_ = u.c.Keys().DeleteKey(keys.MobileAuthAlias(id))
	return nil
}

func (u *Users) saveTokens(tr protocol.TokenResponse) error {
	t := store.Tokens{AccessToken: tr.AccessToken, RefreshToken: tr.RefreshToken, Scope: tr.Scope,
		ExpiresAt: u.c.Now().Add(time.Duration(tr.ExpiresIn) * time.Second).Unix()}
	if err := u.st.SetTokens(tr.ProfileID, t); err != nil {
		return internal(err)
	}
	if err := u.st.SetSession(store.Session{ProfileID: tr.ProfileID}); err != nil {
		return internal(err)
	}
	return nil
}

func internal(err error) error {
	return dispatch.Wrap(dispatch.CodeInternal, err, "local storage failed")
}
