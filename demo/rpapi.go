package demo

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Transaction statuses of the relying-party API.
const (
	StatusPending  = "pending"
	StatusClaimed  = "claimed"
	StatusAccepted = "accepted"
	StatusDenied   = "denied"
	StatusExpired  = "expired"
)

// final reports whether status no longer changes.
func final(status string) bool {
	return status == StatusAccepted || status == StatusDenied || status == StatusExpired
}

// authRequest is what the demo asks the relying-party API to start.
type authRequest struct {
	Type      string // default: the client's OTP type
	Push      bool   // a push type: no OTP comes back
	Message   string
	UserID    string // empty: a QR login any enrolled user may answer
	IPAddress string
	UserAgent string
}

// started is the v4 answer to a started mobile authentication.
type started struct {
	TransactionID string `json:"transaction_id"`
	AuthMethod    string `json:"auth_method"`
	TimeToLiveMS  int64  `json:"time_to_live"`
	OTP           string `json:"otp"`
	MatchCode     string `json:"match_code"` // with number matching (DESIGN §13)
}

// transaction is the v4 fetch answer (with the status extension).
type transaction struct {
	TransactionID        string `json:"transaction_id"`
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

// apiError is a refusal of the relying-party API.
type apiError struct {
	HTTPStatus  int
	Code        string // error
	ErrorCode   int    // error_code
	Description string // error_description
}

func (e *apiError) Error() string {
	s := fmt.Sprintf("relying-party API answered %d", e.HTTPStatus)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.ErrorCode != 0 {
		s += fmt.Sprintf(" (%d)", e.ErrorCode)
	}
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// rpClient calls the v4 relying-party API with the API client's credentials.
type rpClient struct {
	base    string // no trailing slash
	id      string
	secret  string
	otpType string
	// numberMatching adds number_matching=true to every start.
	numberMatching bool
	http           *http.Client
	maxWaitS       int
}

const (
	pathStart       = "/oauth/api/v4/authenticate/user"
	pathTransaction = "/oauth/api/v4/authenticate/transaction/"
)

// start starts a mobile authentication.
func (c *rpClient) start(ctx context.Context, r authRequest) (*started, error) {
	form := url.Values{}
	typ := c.otpType
	if r.Type != "" {
		typ = r.Type
	}
	form.Set("type", typ)
	form.Set("message", r.Message)
	if c.numberMatching {
		form.Set("number_matching", "true")
	}
	if r.UserID != "" {
		form.Set("user_id", r.UserID)
	}
	if r.IPAddress != "" {
		form.Set("ip_address", r.IPAddress)
	}
	if r.UserAgent != "" {
		form.Set("user_agent", r.UserAgent)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+pathStart, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var out started
	if err := c.do(req, &out); err != nil {
		return nil, err
	}
	if r.Push && out.TransactionID != "" && out.AuthMethod == "PUSH" {
		return &out, nil
	}
	if out.TransactionID == "" || out.OTP == "" {
		return nil, errors.New("relying-party API answered without a transaction id or OTP")
	}
	return &out, nil
}

// fetch reads a transaction; wait > 0 long-polls up to wait seconds for the
// status to leave pending/claimed.
func (c *rpClient) fetch(ctx context.Context, id string, wait time.Duration) (*transaction, error) {
	u := c.base + pathTransaction + url.PathEscape(id)
	if s := int(wait / time.Second); s > 0 {
		u += "?wait=" + strconv.Itoa(s)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	var out transaction
	if err := c.do(req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *rpClient) do(req *http.Request, out any) error {
	req.SetBasicAuth(c.id, c.secret)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		e := &apiError{HTTPStatus: resp.StatusCode}
		var wire struct {
			Error       string `json:"error"`
			ErrorCode   any    `json:"error_code"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(body, &wire) == nil {
			e.Code, e.Description = wire.Error, wire.Description
			switch v := wire.ErrorCode.(type) {
			case float64:
				e.ErrorCode = int(v)
			case string:
				e.ErrorCode, _ = strconv.Atoi(v)
			}
		}
		return e
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("relying-party API answer is not JSON: %w", err)
	}
	return nil
}

// errNoEvents means the server offers no event stream for transactions.
var errNoEvents = errors.New("relying-party API has no transaction event stream")

// watch follows the server's event stream of a transaction (the browser
// extension GET .../transaction/{id}/events), calling fn with every state. It
// returns errNoEvents when the server has no such stream, nil when fn asked to
// stop (by returning false) and an error when the stream broke or ended.
func (c *rpClient) watch(ctx context.Context, id string, fn func(*transaction) bool) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+pathTransaction+url.PathEscape(id)+"/events", nil)
	if err != nil {
		return err
	}
	req.SetBasicAuth(c.id, c.secret)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed:
		return errNoEvents
	case resp.StatusCode != http.StatusOK:
		return &apiError{HTTPStatus: resp.StatusCode}
	case !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream"):
		return errNoEvents
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 4096), 1<<20)
	var data strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "data:"):
			if data.Len() > 0 {
				data.WriteByte('\n')
			}
			data.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		case line == "":
			if data.Len() == 0 {
				continue
			}
			var t transaction
			err := json.Unmarshal([]byte(data.String()), &t)
			data.Reset()
			if err != nil || t.TransactionID == "" {
				continue // not a transaction event
			}
			if !fn(&t) {
				return nil
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return io.ErrUnexpectedEOF
}
