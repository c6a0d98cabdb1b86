package rp

import (
	"errors"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/httpio"
)

// API paths.
const (
	PathCreate      = "/oauth/api/v4/authenticate/user"
	PathTransaction = "/oauth/api/v4/authenticate/transaction/"
)

// AuthMethod is the auth_method / authentication_method value of this server.
const AuthMethod = "OTP"

// CreateParams are the parameters of a new request (form or JSON).
type CreateParams struct {
	Type         string `json:"type"`
	Message      string `json:"message"`
	CallbackURI  string `json:"callback_uri"`
	LanguageCode string `json:"language_code"`
	IPAddress    string `json:"ip_address"`
	UserAgent    string `json:"user_agent"`
	UserID       string `json:"user_id"`
	// Extensions of DESIGN §13: number_matching=true asks for a match code
	// (a type with number_matching always has one); details are up to
	// protocol.MaxDetails label/value pairs shown under the message (in a
	// form: the JSON array as the parameter's value).
	NumberMatching FlexBool          `json:"number_matching"`
	Details        []protocol.Detail `json:"details"`
}

// FlexBool is a JSON boolean that also accepts the strings "true" and "false".
type FlexBool bool

// UnmarshalJSON accepts true, false, "true" and "false".
func (b *FlexBool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true", `"true"`:
		*b = true
	case "false", `"false"`, "null":
		*b = false
	default:
		return errors.New("number_matching must be true or false")
	}
	return nil
}

// CreateResponse answers PathCreate.
type CreateResponse struct {
	TransactionID string `json:"transaction_id"`
	AuthMethod    string `json:"auth_method"`
	TimeToLive    int64  `json:"time_to_live"`         // milliseconds
	OTP           string `json:"otp,omitempty"`        // none for a push request
	MatchCode     string `json:"match_code,omitempty"` // DESIGN §13: the number the RP shows the user
}

// AppendJSON appends r as encoding/json encodes it (httpio.JSONAppender).
func (r CreateResponse) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	b = httpio.AppendJSONField(b, "transaction_id", r.TransactionID)
	b = httpio.AppendJSONField(b, "auth_method", r.AuthMethod)
	b = httpio.AppendJSONInt(b, "time_to_live", r.TimeToLive)
	if r.OTP != "" {
		b = httpio.AppendJSONField(b, "otp", r.OTP)
	}
	if r.MatchCode != "" {
		b = httpio.AppendJSONField(b, "match_code", r.MatchCode)
	}
	return append(b, '}')
}

// Reason explains why a transaction is not authenticated.
type Reason struct {
	Reason      string `json:"reason"` // "not_accepted", "not_me", "wrong_match", "expired" or ""
	Description string `json:"description"`
}

// Transaction is the fetch answer.
type Transaction struct {
	TransactionID          string `json:"transaction_id"`
	CallbackURI            string `json:"callback_uri"`
	Timestamp              int64  `json:"timestamp"` // unix ms of the answer (creation while unanswered)
	UserID                 string `json:"user_id"`
	IsAuthenticated        bool   `json:"is_authenticated"`
	AuthenticationMethod   string `json:"authentication_method"`
	NotAuthenticatedReason Reason `json:"not_authenticated_reason"`
	Status                 string `json:"status"` // pending, claimed, accepted, denied, expired
	// ReportedByUser: the user denied with "this wasn't me" (DESIGN §13).
	ReportedByUser bool `json:"reported_by_user,omitempty"`
}

// AppendJSON appends t as encoding/json encodes it (httpio.JSONAppender).
func (t Transaction) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	b = httpio.AppendJSONField(b, "transaction_id", t.TransactionID)
	b = httpio.AppendJSONField(b, "callback_uri", t.CallbackURI)
	b = httpio.AppendJSONInt(b, "timestamp", t.Timestamp)
	b = httpio.AppendJSONField(b, "user_id", t.UserID)
	b = httpio.AppendJSONBool(b, "is_authenticated", t.IsAuthenticated)
	b = httpio.AppendJSONField(b, "authentication_method", t.AuthenticationMethod)
	b = append(b, `,"not_authenticated_reason":{`...)
	b = httpio.AppendJSONField(b, "reason", t.NotAuthenticatedReason.Reason)
	b = httpio.AppendJSONField(b, "description", t.NotAuthenticatedReason.Description)
	b = append(b, '}')
	b = httpio.AppendJSONField(b, "status", t.Status)
	if t.ReportedByUser {
		b = httpio.AppendJSONBool(b, "reported_by_user", true)
	}
	return append(b, '}')
}
