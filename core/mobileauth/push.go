package mobileauth

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/openmobileauth/oma/core/api"
	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/openmobileauth/oma/core/keys"
	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/core/store"
)

// Push mobile authentication (DESIGN §12). The app receives pushes with its
// own messaging library (FCM, APNs, a UnifiedPush distributor) and hands
// their data here. A push carries only og_transaction_id, og_profile_id and
// og_server; the request itself (the message) is claimed from the server over
// DPoP, and answered exactly as an OTP request.

// registerPush is the push methods' bindings.
func (m *MobileAuth) registerPush() []api.Binding {
	return []api.Binding{
		api.EnrollUserForMobileAuthWithPush.Handle(m.enrollPush),
		api.IsUserEnrolledForMobileAuthWithPush.Handle(m.isEnrolledForPush),
		api.CanHandlePushMessage.Handle(m.canHandlePush),
		api.HandleMobileAuthWithPushRequest.Handle(m.handlePush),
		api.GetPendingMobileAuthWithPushRequests.Handle(m.pendingPush),
		api.HandlePendingMobileAuthWithPushRequest.Handle(m.handlePending),
	}
}

// webPushSubscription is PushSubscription.toJSON()'s shape.
type webPushSubscription struct {
	Endpoint string `json:"endpoint"`
	Keys     struct {
		P256dh string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
}

// enrollPush registers the push target on the profile's enrollment.
func (m *MobileAuth) enrollPush(ctx context.Context, params api.PushEnrollParams) (api.PushEnrollResult, error) {
	none := api.PushEnrollResult{}
	if err := m.c.Started(); err != nil {
		return none, err
	}
	p, err := m.pushProfile(params.ProfileID)
	if err != nil {
		return none, err
	}
	req := protocol.PushRegisterRequest{ProfileID: p.ID, Provider: params.Provider}
	switch {
	case params.WebPushSubscription != "":
		if req.Provider == "" {
			req.Provider = protocol.PushProviderWebPush
		}
		var sub webPushSubscription
		if json.Unmarshal([]byte(params.WebPushSubscription), &sub) != nil || sub.Endpoint == "" || sub.Keys.P256dh == "" || sub.Keys.Auth == "" {
			return none, dispatch.Errorf(dispatch.CodeBadParameters, "webPushSubscription must be {endpoint, keys: {p256dh, auth}}")
		}
		if u, err := url.Parse(sub.Endpoint); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return none, dispatch.Errorf(dispatch.CodeBadParameters, "webPushSubscription.endpoint must be an absolute URL")
		}
		req.Endpoint, req.P256dh, req.Auth = sub.Endpoint, sub.Keys.P256dh, sub.Keys.Auth
	case params.PushToken != "":
		if req.Provider == "" {
			// The native platform's own service.
			req.Provider = protocol.PushProviderFCM
			if m.c.Platform() == "ios" {
				req.Provider = protocol.PushProviderAPNs
			}
		}
		if req.Provider == protocol.PushProviderWebPush {
			return none, dispatch.Errorf(dispatch.CodeBadParameters, "pushToken needs provider fcm or apns")
		}
		req.Token = params.PushToken
	default:
		return none, dispatch.Errorf(dispatch.CodeBadParameters, "pushToken or webPushSubscription is required")
	}
	if req.Provider != protocol.PushProviderWebPush && req.Token == "" || req.Provider == protocol.PushProviderWebPush && req.Endpoint == "" {
		return none, dispatch.Errorf(dispatch.CodeBadParameters, "provider %s does not match the target given", req.Provider)
	}
	var resp protocol.PushRegisterResponse
	if err := m.c.Call(ctx, "POST", protocol.PathPushRegister, req, "", &resp); err != nil {
		switch dispatch.CodeOf(err) {
		case dispatch.CodeUserDisenrolled, dispatch.CodeNotEnrolled:
			m.dropEnrollment(p.ID)
		}
		return none, err
	}
	if _, err := m.st.UpdateProfile(p.ID, func(sp *store.Profile) {
		if sp.Enrollment != nil {
			sp.Enrollment.PushProvider = req.Provider
		}
	}); err != nil {
		return none, dispatch.Wrap(dispatch.CodeInternal, err, "local storage failed")
	}
	return api.PushEnrollResult{VapidPublicKey: resp.VAPIDPublicKey}, nil
}

// pushProfile is the named enrolled profile, or the claiming profile.
func (m *MobileAuth) pushProfile(id string) (*store.Profile, error) {
	if id == "" {
		return m.claimingProfile()
	}
	p, err := m.st.Profile(id)
	if err != nil {
		return nil, dispatch.Wrap(dispatch.CodeInternal, err, "local storage failed")
	}
	if p == nil {
		return nil, dispatch.Errorf(dispatch.CodeProfileNotFound, "the profile does not exist on this device")
	}
	if p.Enrollment == nil {
		return nil, dispatch.Errorf(dispatch.CodeNotEnrolled, "the profile is not enrolled for mobile authentication")
	}
	return p, nil
}

func (m *MobileAuth) isEnrolledForPush(_ context.Context, params api.ProfileParams) (bool, error) {
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
	return p.Enrollment != nil && p.Enrollment.PushProvider != "", nil
}

// pushData is what a push names.
type pushData struct {
	TransactionID string
	ProfileID     string
	Server        string
}

// parsePushData reads og_transaction_id and og_profile_id (and og_server when
// present) at the root of data or under "content" (the Onegini layouts);
// ok false when data is not such a push.
func parsePushData(data string) (pushData, bool) {
	var root map[string]any
	if json.Unmarshal([]byte(data), &root) != nil {
		return pushData{}, false
	}
	pick := func(o map[string]any) (pushData, bool) {
		tx, _ := o[protocol.PushKeyTransactionID].(string)
		pid, _ := o[protocol.PushKeyProfileID].(string)
		srv, _ := o[protocol.PushKeyServer].(string)
		if tx == "" || pid == "" || len(tx) > 128 || len(pid) > 128 {
			return pushData{}, false
		}
		return pushData{TransactionID: tx, ProfileID: pid, Server: srv}, true
	}
	if d, ok := pick(root); ok {
		return d, true
	}
	switch c := root["content"].(type) {
	case map[string]any:
		return pick(c)
	case string: // some messaging libraries deliver nested data as a JSON string
		var o map[string]any
		if json.Unmarshal([]byte(c), &o) == nil {
			return pick(o)
		}
	}
	return pushData{}, false
}

// forThisDevice checks that d names a profile enrolled here and, when it
// names a server, the configured one.
func (m *MobileAuth) forThisDevice(d pushData) (*store.Profile, bool) {
	p, err := m.st.Profile(d.ProfileID)
	if err != nil || p == nil || p.Enrollment == nil {
		return nil, false
	}
	if d.Server != "" {
		if base, err := m.c.BaseURL(); err == nil && base != "" &&
			strings.TrimRight(base, "/") != strings.TrimRight(d.Server, "/") {
			return nil, false
		}
	}
	return p, true
}

func (m *MobileAuth) canHandlePush(_ context.Context, params api.PushMessageParams) (bool, error) {
	if err := m.c.Started(); err != nil {
		return false, err
	}
	d, ok := parsePushData(string(params.Data))
	if !ok {
		return false, nil
	}
	_, ok = m.forThisDevice(d)
	return ok, nil
}

func (m *MobileAuth) handlePush(ctx context.Context, params api.PushMessageParams) (api.None, error) {
	if err := m.c.Started(); err != nil {
		return api.None{}, err
	}
	d, ok := parsePushData(string(params.Data))
	if !ok {
		return api.None{}, dispatch.Errorf(dispatch.CodeNotHandleable, "the push is not a mobile authentication request")
	}
	return m.handlePushRequest(ctx, d)
}

func (m *MobileAuth) handlePending(ctx context.Context, params api.PendingRequestParams) (api.None, error) {
	if err := m.c.Started(); err != nil {
		return api.None{}, err
	}
	var r struct {
		TransactionID string `json:"transactionId"`
		ProfileID     string `json:"profileId"`
		UserProfile   struct {
			ID string `json:"id"`
		} `json:"userProfile"`
	}
	if json.Unmarshal([]byte(params.Request), &r) != nil || r.TransactionID == "" {
		return api.None{}, dispatch.Errorf(dispatch.CodeBadParameters, "request must be an element of getPendingMobileAuthWithPushRequests")
	}
	if r.ProfileID == "" {
		r.ProfileID = r.UserProfile.ID
	}
	return m.handlePushRequest(ctx, pushData{TransactionID: r.TransactionID, ProfileID: r.ProfileID})
}

// handlePushRequest claims push request d by id and runs the confirmation
// flow (two round trips, as for an OTP: the claim and the answer).
func (m *MobileAuth) handlePushRequest(ctx context.Context, d pushData) (api.None, error) {
	none := api.None{}
	p, ok := m.forThisDevice(d)
	if !ok {
		return none, dispatch.Errorf(dispatch.CodeNotHandleable, "the request is not for a profile enrolled on this device")
	}
	f, err := m.slot.Begin(m.Timeout)
	if err != nil {
		return none, err
	}
	defer f.End()
	signer, err := keys.Load(m.c.Keys(), p.Enrollment.KeyAlias)
	if err != nil {
		m.dropEnrollment(p.ID)
		return none, dispatch.Errorf(dispatch.CodeNotEnrolled, "the enrollment key is gone; enroll again")
	}
	var tx protocol.ClaimResponse
	if err := m.c.Call(ctx, "POST", protocol.PathPushClaim, protocol.PushClaimRequest{TransactionID: d.TransactionID, ProfileID: p.ID}, "", &tx); err != nil {
		switch dispatch.CodeOf(err) {
		case dispatch.CodeUserDisenrolled, dispatch.CodeNotEnrolled:
			m.dropEnrollment(p.ID)
		}
		return none, err
	}
	if tx.TransactionID != d.TransactionID {
		return none, dispatch.Errorf(dispatch.CodeGeneral, "the server claimed another request")
	}
	return m.confirm(ctx, f, p, signer, &tx)
}

// pendingPush lists the open push requests of every enrolled profile.
func (m *MobileAuth) pendingPush(ctx context.Context, _ api.None) ([]api.PendingMobileAuthRequest, error) {
	if err := m.c.Started(); err != nil {
		return nil, err
	}
	ps, err := m.st.Profiles()
	if err != nil {
		return nil, dispatch.Wrap(dispatch.CodeInternal, err, "local storage failed")
	}
	out := []api.PendingMobileAuthRequest{}
	now := m.c.Now().UnixMilli()
	for _, p := range ps {
		if p.Enrollment == nil {
			continue
		}
		var resp protocol.PendingResponse
		path := protocol.PathPushPending + "?profile_id=" + url.QueryEscape(p.ID)
		if err := m.c.Call(ctx, "GET", path, nil, "", &resp); err != nil {
			switch dispatch.CodeOf(err) {
			case dispatch.CodeUserDisenrolled, dispatch.CodeNotEnrolled:
				m.dropEnrollment(p.ID)
				continue
			}
			return nil, err
		}
		for _, r := range resp.Requests {
			if protocol.CheckDisplayText(r.Message) != nil || protocol.CheckDetails(r.Details) != nil || !candidatesOK(r.MatchCandidates) {
				continue // never offered for display (DESIGN §5, §13); the server refuses such text anyway
			}
			pr := api.PendingMobileAuthRequest{TransactionID: r.TransactionID, UserProfile: api.UserProfile{ID: p.ID},
				Message: r.Message, Type: r.Type, Date: r.CreatedAt * 1000, TimeToLive: max(0, r.ExpiresAt*1000-now),
				MatchCandidates: r.MatchCandidates, UserVerification: r.UserVerification}
			for _, d := range r.Details {
				pr.Details = append(pr.Details, api.TransactionDetail{Label: d.Label, Value: d.Value})
			}
			out = append(out, pr)
		}
	}
	return out, nil
}
