package demo

import (
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

//go:embed static
var staticFS embed.FS

// Config configures the demo app.
type Config struct {
	// APIBaseURL is the base URL of the Token Server whose relying-party API the
	// backend calls, e.g. "http://127.0.0.1:8080" (required).
	APIBaseURL string
	// ClientID and ClientSecret are the API client's credentials (required).
	ClientID     string
	ClientSecret string
	// OTPType is the OTP type of the requests (required), e.g. "demo".
	OTPType string
	// PushOTPType is a push type for "Confirm payment by push" (optional; the
	// button is hidden without it).
	PushOTPType string
	// NumberMatching asks for number matching on every request (DESIGN §13):
	// the page shows the 2-digit number beside the QR code or push status and
	// the phone's user picks it.
	NumberMatching bool
	// ShopName is the payee shown in the payment mode; default "Example Shop".
	ShopName string
	// Amount is the amount of the payment mode; default "25.00 EUR".
	Amount string
	// HTTPClient calls the relying-party API; default a client without an
	// overall timeout (each call has its own deadline).
	HTTPClient *http.Client
	// LongPollOnly makes the backend wait for answers with the long poll
	// only, not the server's transaction event stream (for servers without
	// one; the page then sees "claimed" only at the next poll).
	LongPollOnly bool
	// SecureCookies marks the session cookie Secure (set it behind HTTPS).
	SecureCookies bool
	// Logger receives errors talking to the relying-party API; nil: none.
	Logger *zerolog.Logger
	// Now is the clock (for tests); nil means time.Now.
	Now func() time.Time
}

// Demo is the relying-party demo app; it implements http.Handler.
type Demo struct {
	cfg  Config
	rp   *rpClient
	sess *sessions
	mux  *http.ServeMux
	log  zerolog.Logger
}

// New checks cfg and builds the app.
func New(cfg Config) (*Demo, error) {
	cfg.APIBaseURL = strings.TrimRight(strings.TrimSpace(cfg.APIBaseURL), "/")
	switch {
	case cfg.APIBaseURL == "":
		return nil, errors.New("demo: APIBaseURL is required")
	case !strings.HasPrefix(cfg.APIBaseURL, "http://") && !strings.HasPrefix(cfg.APIBaseURL, "https://"):
		return nil, errors.New("demo: APIBaseURL must be an http(s) URL")
	case cfg.ClientID == "" || cfg.ClientSecret == "":
		return nil, errors.New("demo: ClientID and ClientSecret are required")
	case cfg.OTPType == "":
		return nil, errors.New("demo: OTPType is required")
	}
	if cfg.ShopName == "" {
		cfg.ShopName = "Example Shop"
	}
	if cfg.Amount == "" {
		cfg.Amount = "25.00 EUR"
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	d := &Demo{
		cfg: cfg,
		rp: &rpClient{base: cfg.APIBaseURL, id: cfg.ClientID, secret: cfg.ClientSecret, numberMatching: cfg.NumberMatching,
			otpType: cfg.OTPType, http: cfg.HTTPClient, maxWaitS: 25},
		sess: newSessions(cfg.Now, cfg.SecureCookies),
		mux:  http.NewServeMux(),
		log:  zerolog.Nop(),
	}
	if cfg.Logger != nil {
		d.log = *cfg.Logger
	}
	static, _ := fs.Sub(staticFS, "static")
	d.mux.HandleFunc("GET /{$}", d.page)
	d.mux.Handle("GET /static/", http.StripPrefix("/static/", noList(http.FileServerFS(static))))
	d.mux.HandleFunc("POST /api/login", d.startLogin)
	d.mux.HandleFunc("POST /api/payment", d.startPayment)
	d.mux.HandleFunc("POST /api/payment-push", d.startPaymentPush)
	d.mux.HandleFunc("GET /api/session", d.session)
	d.mux.HandleFunc("POST /api/logout", d.logout)
	d.mux.HandleFunc("GET /api/transactions/{id}", d.status)
	d.mux.HandleFunc("GET /api/transactions/{id}/events", d.events)
	return d, nil
}

// ServeHTTP implements http.Handler.
func (d *Demo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
	d.mux.ServeHTTP(w, r)
}

func noList(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (d *Demo) page(w http.ResponseWriter, r *http.Request) {
	b, err := staticFS.ReadFile("static/index.html")
	if err != nil {
		http.Error(w, "page missing", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// writeJSON answers v as JSON with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// writeErr answers a JSON error the page shows to the user.
func writeErr(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// sameOrigin guards the state-changing endpoints against cross-site requests:
// the page sends them with fetch and a JSON content type, which a cross-site
// form cannot, and the session cookie is SameSite=Strict.
func sameOrigin(r *http.Request) bool {
	if r.Header.Get("X-Requested-With") != "oma-demo" {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" && !strings.EqualFold(strings.TrimPrefix(strings.TrimPrefix(o, "http://"), "https://"), r.Host) {
		return false
	}
	return true
}

// clientIP is the browser's address as the demo sees it (folded into the
// message shown on the phone).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
