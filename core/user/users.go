package user

import (
	"context"
	"sync"
	"time"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/client"
	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/flow"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
)

// Emitter sends an event (the dispatcher's Emit).
type Emitter = api.Emitter

// Users is the user feature of one core. It is safe for concurrent use.
type Users struct {
	c    *client.Client
	st   *store.Store
	emit Emitter
	slot *flow.Slot // registration and PIN authentication
	// Biometric is the user-verified key store of the biometric
	// authenticator; nil: this device offers none.
	Biometric device.UserVerifiedKeyStore
	// Timeout bounds every wait for the app (browser callback, PIN).
	Timeout time.Duration
	tokMu   sync.Mutex // serialises token refresh
	lim     limitedTokens
	// customIdP is the identity provider of the running custom registration.
	customMu  sync.Mutex
	customIdP string
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
	return api.Register(d, append([]api.Binding{
		api.RegisterUser.Handle(u.registerUser),
		api.GetIdentityProviders.Handle(u.getIdentityProviders),
		api.SubmitCustomRegistrationAction.Handle(u.submitCustomRegistrationAction),
		api.CancelCustomRegistration.Handle(u.cancelCustomRegistration),
		api.HandleRegistrationCallback.Handle(u.handleRegistrationCallback),
		api.CancelBrowserRegistration.Handle(u.deliver(inCancelBrowser)),
		api.SubmitPin.Handle(u.submitPin),
		api.CancelPinCreation.Handle(u.deliver(inCancelCreate)),
		api.CancelPinAuthentication.Handle(u.deliver(inCancelAuth)),
		api.AuthenticateUser.Handle(u.authenticateUser),
		api.Logout.Handle(u.logout),
		api.DeregisterUser.Handle(u.deregisterUser),
		api.GetUserProfiles.Handle(u.getUserProfiles),
		api.GetAuthenticatedUserProfile.Handle(u.getAuthenticatedUserProfile),
		api.GetAccessToken.Handle(u.getAccessToken),
		api.ResourceRequest.Handle(u.resourceRequest),
		api.GetResourceBaseURL.Handle(u.getResourceBaseURL),
		api.AuthenticateUserImplicitly.Handle(u.authenticateUserImplicitly),
		api.AuthenticateDeviceForResource.Handle(u.authenticateDeviceForResource),
		api.GetImplicitlyAuthenticatedUserProfile.Handle(u.getImplicitlyAuthenticatedUserProfile),
		api.StartSingleSignOn.Handle(u.startSingleSignOn),
	}, u.registerAuthenticatorMethods()...)...)
}

// deliver answers a method that hands an input without a value (a cancel) to
// the running flow.
func (u *Users) deliver(kind string) func(context.Context, api.None) (api.None, error) {
	return func(ctx context.Context, _ api.None) (api.None, error) {
		if err := u.c.Started(); err != nil {
			return api.None{}, err
		}
		return api.None{}, u.slot.Deliver(ctx, kind, "")
	}
}

func (u *Users) submitPin(ctx context.Context, p api.SubmitPinParams) (api.None, error) {
	if err := u.c.Started(); err != nil {
		return api.None{}, err
	}
	return api.None{}, u.slot.Deliver(ctx, "pin:"+p.Flow, p.Pin)
}

func (u *Users) getUserProfiles(context.Context, api.None) ([]api.UserProfile, error) {
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

func (u *Users) getAuthenticatedUserProfile(context.Context, api.None) (api.UserProfile, error) {
	if err := u.c.Started(); err != nil {
		return api.UserProfile{}, err
	}
	pid, err := u.AuthenticatedProfile()
	if err != nil {
		return api.UserProfile{}, err
	}
	return api.UserProfile{ID: pid}, nil
}

// AuthenticatedProfile returns the authenticated profile id, or 8012 when no
// profile is authenticated on this device (the official SDK's NoProfileAuthenticated).
func (u *Users) AuthenticatedProfile() (string, error) {
	s, err := u.st.Session()
	if err != nil {
		return "", internal(err)
	}
	if s == nil {
		return "", dispatch.Errorf(dispatch.CodeNoProfileAuthenticated, "no profile is authenticated")
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
	if u.Biometric != nil {
		_ = u.Biometric.DeleteUserVerifiedKey(keys.BiometricAlias(id))
	}
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
