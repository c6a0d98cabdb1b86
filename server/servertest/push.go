package servertest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/softdevice"
)

// RegisterPush registers the device's push target on its enrollment.
func (d *Device) RegisterPush(req protocol.PushRegisterRequest) (protocol.PushRegisterResponse, error) {
	if req.ProfileID == "" {
		req.ProfileID = d.ProfileID
	}
	var resp protocol.PushRegisterResponse
	err := d.Call(http.MethodPost, protocol.PathPushRegister, false, req, &resp)
	return resp, err
}

// getWithProfile GETs path?profile_id= with a proof over the path alone.
func (d *Device) getWithProfile(path string, out any) error {
	q := path + "?profile_id=" + url.QueryEscape(d.ProfileID)
	status, b, err := d.Raw(http.MethodGet, q, d.Proof(http.MethodGet, path, "", nil), "", nil)
	if err != nil {
		return err
	}
	return softdevice.Decode(path, status, b, out)
}

// Pending lists the open push requests of the device's user.
func (d *Device) Pending() ([]protocol.PendingRequest, error) {
	var resp protocol.PendingResponse
	err := d.getWithProfile(protocol.PathPushPending, &resp)
	return resp.Requests, err
}

// PushRequest fetches one push request by id.
func (d *Device) PushRequest(id string) (protocol.PendingRequest, error) {
	var resp protocol.PendingRequest
	err := d.getWithProfile(protocol.PathPushRequest+url.PathEscape(id), &resp)
	return resp, err
}

// PushClaim claims a push request by id.
func (d *Device) PushClaim(id string) (protocol.ClaimResponse, error) {
	var resp protocol.ClaimResponse
	err := d.Call(http.MethodPost, protocol.PathPushClaim, false, protocol.PushClaimRequest{TransactionID: id, ProfileID: d.ProfileID}, &resp)
	return resp, err
}

// CreatePushRequest starts a push request for userID with OTP type typ and
// returns the transaction id and the raw JSON answer.
func (ts *TestServer) CreatePushRequest(ctx context.Context, typ, userID, message string) (string, map[string]any, error) {
	f := url.Values{"type": {typ}, "message": {message}}
	if userID != "" {
		f.Set("user_id", userID)
	}
	var raw json.RawMessage
	if err := ts.RPDo(ctx, http.MethodPost, rp.PathCreate, "application/x-www-form-urlencoded", []byte(f.Encode()), &raw); err != nil {
		return "", nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", nil, err
	}
	id, _ := m["transaction_id"].(string)
	return id, m, nil
}
