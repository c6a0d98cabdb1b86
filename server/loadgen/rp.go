package loadgen

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// RP is a relying party using the v4 API with HTTP Basic credentials.
type RP struct {
	base     string
	http     *http.Client
	clientID string
	secret   string

	basicOnce sync.Once // FastClient's Authorization header (fast.go)
	basic     []byte
}

// NewRP returns a relying-party client for the server at base.
func NewRP(base string, hc *http.Client, clientID, secret string) *RP {
	return &RP{base: strings.TrimRight(base, "/"), http: hc, clientID: clientID, secret: secret}
}

// AuthRequest is what a relying party asks for.
type AuthRequest struct {
	Type        string
	Message     string
	CallbackURI string // "" for none
	UserID      string // "" for a request any enrolled user may answer
}

// AuthStarted is the v4 answer to starting a mobile authentication.
type AuthStarted struct {
	TransactionID string `json:"transaction_id"`
	AuthMethod    string `json:"auth_method"`
	TimeToLive    int64  `json:"time_to_live"`
	OTP           string `json:"otp"`
}

// TxResult is the v4 answer to fetching a transaction.
type TxResult struct {
	TransactionID        string `json:"transaction_id"`
	CallbackURI          string `json:"callback_uri"`
	Timestamp            any    `json:"timestamp"`
	UserID               string `json:"user_id"`
	IsAuthenticated      bool   `json:"is_authenticated"`
	AuthenticationMethod string `json:"authentication_method"`
	Status               string `json:"status"`
	NotAuthenticated     struct {
		Reason      string `json:"reason"`
		Description string `json:"description"`
	} `json:"not_authenticated_reason"`
}

// Start creates a mobile-authentication request (POST
// /oauth/api/v4/authenticate/user, form encoded).
func (r *RP) Start(ctx context.Context, a AuthRequest) (*AuthStarted, error) {
	f := url.Values{"type": {a.Type}, "message": {a.Message}}
	if a.CallbackURI != "" {
		f.Set("callback_uri", a.CallbackURI)
	}
	if a.UserID != "" {
		f.Set("user_id", a.UserID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.base+"/oauth/api/v4/authenticate/user", strings.NewReader(f.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(r.clientID, r.secret)
	var out AuthStarted
	if err := doJSON(r.http, req, "start request", &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Fetch reads a transaction's state (GET /oauth/api/v4/authenticate/transaction/{id}).
func (r *RP) Fetch(ctx context.Context, txID string) (*TxResult, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+"/oauth/api/v4/authenticate/transaction/"+url.PathEscape(txID), nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(r.clientID, r.secret)
	var out TxResult
	if err := doJSON(r.http, req, "fetch transaction", &out); err != nil {
		return nil, err
	}
	return &out, nil
}
