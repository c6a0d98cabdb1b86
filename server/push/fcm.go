package push

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/jwt"
)

// FCM defaults.
const (
	DefaultFCMEndpoint = "https://fcm.googleapis.com"
	DefaultFCMTokenURL = "https://oauth2.googleapis.com/token"
	// FCMScope is the OAuth 2.0 scope of the FCM HTTP v1 API.
	FCMScope = "https://www.googleapis.com/auth/firebase.messaging"
)

// FCMConfig configures the fcm driver.
type FCMConfig struct {
	// The service account's JSON key: from CredentialsFile, or CredentialsJSON
	// (e.g. read from an environment variable). A secret: never logged.
	CredentialsFile string
	CredentialsJSON []byte
	ProjectID       string       // default: the key's project_id
	Endpoint        string       // default DefaultFCMEndpoint (tests: a loopback server)
	TokenURL        string       // default: the key's token_uri, else DefaultFCMTokenURL
	HTTPClient      *http.Client // for the token exchange and the sends (default: 10 s timeout)
}

// serviceAccount is the part of a Google service-account JSON key used here.
type serviceAccount struct {
	Type         string `json:"type"`
	ProjectID    string `json:"project_id"`
	PrivateKeyID string `json:"private_key_id"`
	PrivateKey   string `json:"private_key"`
	ClientEmail  string `json:"client_email"`
	TokenURI     string `json:"token_uri"`
}

// Errors of the drivers' configuration. Their text names what is missing,
// never a value.
var (
	ErrFCMCredentials = errors.New("push: fcm: the service-account key is missing or malformed (need client_email and private_key)")
	ErrFCMProject     = errors.New("push: fcm: no project id (set it or use a key with project_id)")
)

// FCM sends through Firebase Cloud Messaging HTTP v1.
type FCM struct {
	sendURL string
	tokens  oauth2.TokenSource
	client  *http.Client
	now     func() time.Time
}

// NewFCM reads the service account key and prepares the token source; no
// request is made until the first Send.
func NewFCM(cfg FCMConfig) (*FCM, error) {
	raw := cfg.CredentialsJSON
	if len(raw) == 0 && cfg.CredentialsFile != "" {
		b, err := os.ReadFile(cfg.CredentialsFile)
		if err != nil {
			return nil, fmt.Errorf("push: fcm: reading the credentials file: %w", err)
		}
		raw = b
	}
	var sa serviceAccount
	if len(raw) == 0 || json.Unmarshal(raw, &sa) != nil || sa.ClientEmail == "" || sa.PrivateKey == "" {
		return nil, ErrFCMCredentials
	}
	project := cfg.ProjectID
	if project == "" {
		project = sa.ProjectID
	}
	if project == "" {
		return nil, ErrFCMProject
	}
	tokenURL := cfg.TokenURL
	if tokenURL == "" {
		tokenURL = sa.TokenURI
	}
	if tokenURL == "" {
		tokenURL = DefaultFCMTokenURL
	}
	endpoint := strings.TrimRight(cfg.Endpoint, "/")
	if endpoint == "" {
		endpoint = DefaultFCMEndpoint
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	jc := &jwt.Config{
		Email:        sa.ClientEmail,
		PrivateKey:   []byte(sa.PrivateKey),
		PrivateKeyID: sa.PrivateKeyID,
		Scopes:       []string{FCMScope},
		TokenURL:     tokenURL,
	}
	// The token exchange uses our client (timeouts; tests' loopback trust).
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, client)
	return &FCM{
		sendURL: endpoint + "/v1/projects/" + url.PathEscape(project) + "/messages:send",
		tokens:  jc.TokenSource(ctx), // caches the token until shortly before it expires
		client:  client,
		now:     time.Now,
	}, nil
}

// fcmRequest is the body of messages:send (FCM HTTP v1, projects.messages).
type fcmRequest struct {
	Message fcmMessage `json:"message"`
}

type fcmMessage struct {
	Token   string            `json:"token"`
	Data    map[string]string `json:"data"`
	Android fcmAndroid        `json:"android"`
}

// fcmAndroid asks for high priority (a data message at normal priority may
// wait for the device's maintenance window under Doze) and drops the message
// when the request expires.
type fcmAndroid struct {
	Priority string `json:"priority"`
	TTL      string `json:"ttl"`
}

// fcmError is the error body (google.rpc.Status with FcmError details).
type fcmError struct {
	Error struct {
		Code    int    `json:"code"`
		Status  string `json:"status"`
		Details []struct {
			Type      string `json:"@type"`
			ErrorCode string `json:"errorCode"`
		} `json:"details"`
	} `json:"error"`
}

// Send posts one data message to t.Token.
func (f *FCM) Send(ctx context.Context, t Target, m Message) Result {
	if t.Token == "" {
		return Result{Status: TokenInvalid, Reason: "fcm_no_token"}
	}
	tok, err := f.tokens.Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 400 && re.Response.StatusCode < 500 {
			// The token endpoint refused the assertion (revoked key, wrong
			// account): retrying will not help until the operator acts.
			return Result{Status: Failed, Reason: "fcm_token_refused"}
		}
		return Result{Status: Retry, Reason: "fcm_token_exchange"}
	}
	body, _ := json.Marshal(fcmRequest{Message: fcmMessage{
		Token:   t.Token,
		Data:    m.Data(),
		Android: fcmAndroid{Priority: "HIGH", TTL: strconv.FormatInt(int64(m.ttl(f.now())/time.Second), 10) + "s"},
	}})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.sendURL, bytes.NewReader(body))
	if err != nil {
		return Result{Status: Failed, Reason: "fcm_bad_endpoint"}
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := f.client.Do(req)
	if err != nil {
		return transportFailure("fcm", ctx)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode == http.StatusOK {
		return Result{Status: Delivered}
	}
	var fe fcmError
	_ = json.Unmarshal(raw, &fe)
	code := ""
	for _, d := range fe.Error.Details {
		if strings.HasSuffix(d.Type, "google.firebase.fcm.v1.FcmError") && d.ErrorCode != "" {
			code = d.ErrorCode
		}
	}
	switch code {
	case "UNREGISTERED", "SENDER_ID_MISMATCH":
		// The token was unregistered, or belongs to another sender.
		return Result{Status: TokenInvalid, Reason: reasonCode("fcm", code)}
	case "QUOTA_EXCEEDED", "UNAVAILABLE", "INTERNAL":
		return Result{Status: Retry, RetryAfter: retryAfter(resp.Header, f.now()), Reason: reasonCode("fcm", code)}
	case "":
		// No FcmError detail (e.g. a 404 for a wrong project): classify by
		// status only; a token is marked invalid only on FCM's own word.
		return byStatus("fcm", resp.StatusCode, resp.Header, f.now())
	}
	r := byStatus("fcm", resp.StatusCode, resp.Header, f.now())
	r.Reason = reasonCode("fcm", code)
	return r
}
