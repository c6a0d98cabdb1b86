package rp

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/antifatigue"
	"github.com/openmobileauth/oma/server/clientip"
	"github.com/openmobileauth/oma/server/deps"
	"github.com/openmobileauth/oma/server/egress"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/metrics"
	"github.com/openmobileauth/oma/server/store"
)

// Handler serves the relying-party API.
type Handler struct {
	env     *deps.Env
	clients sync.Map // id → cachedClient
	types   sync.Map // name → cachedType
	known   knownSources
}

type cachedType struct {
	t     store.OTPType
	at    time.Time
	epoch int64
}

// otpType reads an OTP type through a cache with the same lifetime as the
// API client cache (a changed expiry or template applies within clientTTL).
func (h *Handler) otpType(ctx context.Context, name string) (store.OTPType, error) {
	if v, ok := h.types.Load(name); ok {
		if ct := v.(cachedType); time.Since(ct.at) < clientTTL && ct.epoch == h.env.ConfigEpoch.Load() {
			return ct.t, nil
		}
	}
	var t store.OTPType
	epoch := h.env.ConfigEpoch.Load()
	err := h.env.Store.View(ctx, func(tx store.Tx) error {
		var err error
		t, err = tx.GetOTPType(ctx, name)
		return err
	})
	if err == nil {
		h.types.Store(name, cachedType{t: t, at: time.Now(), epoch: epoch})
	}
	return t, err
}

// clientTTL is how long an API client or OTP type row is reused before it is
// read again: a change made by another process (admin command, another
// instance) takes effect within this time; in-process admin changes
// (server.Admin) take effect at once (Env.ConfigEpoch).
const clientTTL = 2 * time.Second

type cachedClient struct {
	c     store.APIClient
	at    time.Time
	epoch int64
}

// New returns the handler.
func New(env *deps.Env) *Handler { return &Handler{env: env} }

// apiClient reads an API client, through the short-lived cache.
func (h *Handler) apiClient(ctx context.Context, id string) (store.APIClient, error) {
	if v, ok := h.clients.Load(id); ok {
		if cc := v.(cachedClient); time.Since(cc.at) < clientTTL && cc.epoch == h.env.ConfigEpoch.Load() {
			return cc.c, nil
		}
	}
	var c store.APIClient
	epoch := h.env.ConfigEpoch.Load()
	err := h.env.Store.View(ctx, func(tx store.Tx) error {
		var err error
		c, err = tx.GetAPIClient(ctx, id)
		return err
	})
	if err == nil {
		h.clients.Store(id, cachedClient{c: c, at: time.Now(), epoch: epoch})
	}
	return c, err
}

// maxBody bounds relying-party request bodies.
const maxBody = 16 << 10

// Register adds the API's routes to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.HandleFunc(PathCreate, h.create)
	mux.HandleFunc(PathTransaction+"{id}", h.fetch)
	mux.HandleFunc(PathTransaction+"{id}/events", h.events)
}

var (
	errUnauthorized   = &httpio.RPError{Status: http.StatusUnauthorized, Err: "invalid_client", Code: httpio.RPCodeUnauthorized, Description: "API client authentication failed"}
	errInternal       = &httpio.RPError{Status: http.StatusInternalServerError, Err: "server_error", Code: httpio.RPCodeInternal, Description: "internal error"}
	errTxNotFound     = &httpio.RPError{Status: http.StatusNotFound, Err: "not_found", Code: httpio.RPCodeNotFound, Description: "transaction not found"}
	errMessageTooLong = &httpio.RPError{Status: http.StatusBadRequest, Err: "message_too_long", Code: httpio.RPCodeMessageTooLong, Description: "message is too long"}
)

// MaxMessageBytes bounds the UTF-8 size of the message parameter, whatever
// its configured limit in characters.
const MaxMessageBytes = 1024

// dummyHash keeps the verification time the same for unknown clients.
var dummyHash = store.HashAPISecret(protocol.RandomToken(32))

var errAuthRateLimited = &httpio.RPError{Status: http.StatusTooManyRequests, Err: "rate_limited", Code: httpio.RPCodeRateLimited, Description: "too many failed authentications; wait and retry"}

// authenticate checks HTTP Basic credentials against the stored hash in
// constant time (DESIGN §10). Failures are limited per client id and per
// peer IP: while either budget is exhausted every attempt is refused (429)
// before the secret is looked at, so guessing gains nothing — except, for
// the per-client budget, an address the client authenticated from before
// (knownsources.go): otherwise anyone knowing the client id could lock the
// relying party out.
func (h *Handler) authenticate(r *http.Request) (store.APIClient, *httpio.RPError) {
	id, secret, ok := r.BasicAuth()
	if !ok || id == "" || len(id) > 128 || len(secret) > 256 || !utf8.ValidString(id) {
		return store.APIClient{}, errUnauthorized
	}
	lim := &h.env.Limits
	ip := clientip.From(r)
	now := time.Now()
	if lim.APIAuthFailPerIP.Exhausted(clientip.LimitKey(ip)) || (lim.APIAuthFailPerClient.Exhausted(id) && !h.known.has(id, ip, now)) {
		return store.APIClient{}, errAuthRateLimited
	}
	failed := func() *httpio.RPError {
		// Both budgets are charged; either one running out refuses this
		// attempt's successors.
		a, b := lim.APIAuthFailPerClient.Allow(id), lim.APIAuthFailPerIP.Allow(clientip.LimitKey(ip))
		h.env.Log.Warn().Str("api_client_id", id).Str("ip", ip).Msg("relying-party API authentication failed")
		if !a || !b {
			return errAuthRateLimited
		}
		return errUnauthorized
	}
	c, err := h.apiClient(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		store.VerifyAPISecret(dummyHash, secret)
		return c, failed()
	} else if err != nil {
		h.env.Log.Error().Err(err).Msg("API client lookup")
		return c, errInternal
	}
	if !store.VerifyAPISecret(c.SecretHash, secret) {
		return c, failed()
	}
	h.known.add(id, ip, now)
	if c.Disabled {
		return c, &httpio.RPError{Status: http.StatusForbidden, Err: "disabled", Code: httpio.RPCodeDisabled, Description: "API client is disabled"}
	}
	return c, nil
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	httpio.WriteRPError(w, &httpio.RPError{Status: http.StatusMethodNotAllowed, Err: "invalid_request", Code: httpio.RPCodeInvalidParam, Description: "method not allowed"})
}

// create: POST PathCreate.
func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		methodNotAllowed(w, http.MethodPost)
		return
	}
	c, e := h.authenticate(r)
	if e != nil {
		httpio.WriteRPError(w, e)
		return
	}
	body, err := httpio.ReadBody(w, r, maxBody)
	if errors.Is(err, httpio.ErrTooLarge) {
		httpio.WriteRPError(w, &httpio.RPError{Status: http.StatusRequestEntityTooLarge, Err: "invalid_request", Code: httpio.RPCodeInvalidParam, Description: "request body too large"})
		return
	} else if err != nil {
		httpio.WriteRPError(w, invalid("unreadable body"))
		return
	}
	p, e := ParseCreate(httpio.MediaType(r), body)
	if e != nil {
		httpio.WriteRPError(w, e)
		return
	}
	if !h.env.Limits.CreatePerAPIClient.Allow(c.ID) {
		httpio.WriteRPError(w, &httpio.RPError{Status: http.StatusTooManyRequests, Err: "rate_limited", Code: httpio.RPCodeRateLimited, Description: "too many requests; slow down"})
		return
	}
	maxLen := h.env.MaxMessageLen
	if c.MaxMessageLen > 0 {
		maxLen = c.MaxMessageLen
	}
	// Characters as configured, and bytes: a long run of 4-byte characters
	// (or a large configured limit) cannot make the shown text huge.
	if utf8.RuneCountInString(p.Message) > maxLen || len(p.Message) > MaxMessageBytes {
		httpio.WriteRPError(w, errMessageTooLong)
		return
	}
	// The callback goes through the egress guard at dial time (every
	// resolved address); a literal internal address or a wrong scheme is
	// refused here already, so the relying party learns it now.
	if p.CallbackURI != "" {
		if err := egress.CheckURL(p.CallbackURI, h.env.AllowPrivateEgress); err != nil {
			httpio.WriteRPError(w, invalid(callbackRefusal(err)))
			return
		}
	}
	if p.CallbackURI != "" && !slices.Contains(c.CallbackURIs, p.CallbackURI) {
		httpio.WriteRPError(w, invalid("callback_uri is not registered for this API client"))
		return
	}
	ctx := r.Context()
	t, err := h.otpType(ctx, p.Type)
	if errors.Is(err, store.ErrNotFound) {
		httpio.WriteRPError(w, invalid("unknown type"))
		return
	} else if err != nil {
		h.env.Log.Error().Err(err).Msg("reading OTP type")
		httpio.WriteRPError(w, errInternal)
		return
	}
	if t.Disabled {
		httpio.WriteRPError(w, &httpio.RPError{Status: http.StatusForbidden, Err: "disabled", Code: httpio.RPCodeDisabled, Description: "this type is disabled"})
		return
	}
	// The text shown is checked again as a whole: the type's template is
	// the operator's, and the whole must fit the phone's byte limit.
	shown := ShownMessage(t.MessageTemplate, p.Message, p.UserAgent, p.IPAddress)
	if !printableASCII(shown) && !norm.NFC.IsNormalString(shown) {
		shown = norm.NFC.String(shown) // a template and a message each in NFC may join into a non-NFC pair
	}
	if err := protocol.CheckDisplayText(shown); err != nil {
		var de *protocol.DisplayTextError
		if errors.As(err, &de) && de.Class == protocol.ClassTooLong {
			httpio.WriteRPError(w, errMessageTooLong)
		} else {
			h.env.Log.Warn().Str("type", t.Name).Msg("the OTP type's message template cannot be shown: " + err.Error())
			httpio.WriteRPError(w, invalid("type: its message template cannot be shown ("+err.Error()+")"))
		}
		return
	}
	extras := antifatigue.Extras{Details: p.Details}
	if t.NumberMatching || bool(p.NumberMatching) {
		extras.MatchCode, extras.Candidates = protocol.NewMatchCode()
	}
	if t.UserVerification == protocol.UserVerificationRequired {
		extras.UserVerification = protocol.UserVerificationRequired
	}
	if t.Push {
		h.createPush(w, r, c, p, t, shown, extras)
		return
	}
	otp := protocol.NewOTP()
	now := h.env.Clock.Now()
	ttl := time.Duration(t.ExpirySecs) * time.Second
	x := store.Transaction{ID: protocol.NewTransactionID(), OTPHash: protocol.HashOTP(otp), APIClientID: c.ID, Type: t.Name,
		Message: shown, CallbackURI: p.CallbackURI,
		LanguageCode: p.LanguageCode, BoundUserID: p.UserID, Status: store.StatusPending, CreatedAt: now.UnixMilli(), ExpiresAt: now.Add(ttl).UnixMilli(),
		Extras: extras.Encode()}
	resp := CreateResponse{TransactionID: x.ID, AuthMethod: AuthMethod, TimeToLive: ttl.Milliseconds(), OTP: otp, MatchCode: extras.MatchCode}
	e = nil
	// One autocommitted INSERT either way; for a user-bound request the
	// user's existence is checked inside it (INSERT ... WHERE EXISTS).
	err = h.env.Store.Autocommit(ctx, func(tx store.Tx) error {
		if p.UserID == "" {
			return tx.CreateTransaction(ctx, x)
		}
		// DESIGN §13: nor if the user is suspended ("this wasn't me"):
		// nothing is stored or sent.
		ok, err := tx.CreateTransactionForUser(ctx, x)
		if err == nil && !ok {
			e, err = h.notCreated(ctx, tx, p.UserID)
		}
		return err
	})
	if err != nil {
		h.env.Log.Error().Err(err).Msg("creating transaction")
		httpio.WriteRPError(w, errInternal)
		return
	}
	if e != nil {
		httpio.WriteRPError(w, e)
		return
	}
	// The device's claim and answer on this instance start from these
	// immutable facts instead of reading them back.
	h.env.TxCache.Put(x)
	h.env.Metrics.TxCreated(x.Type, metrics.MethodOf(x))
	h.env.Log.Info().Str("api_client_id", c.ID).Str("transaction_id", resp.TransactionID).Str("type", p.Type).Bool("user_bound", p.UserID != "").Msg("authentication request created")
	httpio.WriteJSON(w, http.StatusOK, resp)
}

// view maps a stored transaction to the fetch answer.
func view(x store.Transaction, nowMs int64) Transaction {
	st := x.Status
	if (st == store.StatusPending || st == store.StatusClaimed) && nowMs >= x.ExpiresAt {
		st = store.StatusExpired
	}
	o := antifatigue.ParseOutcome(x.Outcome)
	out := Transaction{TransactionID: x.ID, CallbackURI: x.CallbackURI, Timestamp: x.CreatedAt, AuthenticationMethod: authMethodOf(x), Status: st}
	switch o.Verification { // the factor the accept carried (DESIGN §13)
	case protocol.VerificationPIN:
		out.AuthenticationMethod += "_WITH_PIN"
	case protocol.VerificationBiometric:
		out.AuthenticationMethod += "_WITH_BIOMETRIC"
	}
	if x.AnsweredAt != 0 {
		out.Timestamp = x.AnsweredAt
	}
	switch st {
	case store.StatusAccepted:
		// The user is named only for an accepted answer: a claimed, denied
		// or expired request does not tell the relying party who saw or
		// refused it (issue 11, item 10).
		out.IsAuthenticated = true
		out.UserID = x.UserID
		if out.UserID == "" {
			out.UserID = x.BoundUserID
		}
	case store.StatusDenied:
		switch o.Reason {
		case protocol.ReasonNotMe:
			out.NotAuthenticatedReason = Reason{Reason: protocol.ReasonNotMe, Description: "the user reported that they did not start this request"}
			out.ReportedByUser = true
		case protocol.ReasonWrongMatch:
			out.NotAuthenticatedReason = Reason{Reason: protocol.ReasonWrongMatch, Description: "the user picked a number other than the one shown"}
		default:
			out.NotAuthenticatedReason = Reason{Reason: "not_accepted", Description: "the user denied the request"}
		}
	case store.StatusExpired:
		out.NotAuthenticatedReason = Reason{Reason: "expired", Description: "the request expired before it was answered"}
	}
	return out
}

// notCreated says why a user-bound request was not inserted: the user is
// disabled by the operator (1000), suspended (DESIGN §13: 1000 with the end
// time) or unknown (1003).
func (h *Handler) notCreated(ctx context.Context, tx store.Tx, userID string) (*httpio.RPError, error) {
	if off, err := store.UserDisabled(ctx, tx, userID); err != nil {
		return nil, err
	} else if off {
		return errUserDisabled, nil
	}
	s, on, err := antifatigue.SuspensionOf(ctx, tx, userID, h.env.NowMs())
	if err != nil {
		return nil, err
	}
	if !on {
		return invalid("unknown user_id"), nil
	}
	why := "the user reported a request as not theirs"
	if s.Reason == protocol.ReasonWrongMatch {
		why = "the user picked wrong numbers repeatedly"
	}
	return &httpio.RPError{Status: http.StatusForbidden, Err: "disabled", Code: httpio.RPCodeDisabled,
		Description: "mobile authentication requests for this user are suspended until " + time.UnixMilli(s.Until).UTC().Format(time.RFC3339) +
			" (" + why + "); an operator can lift it (tokenserver user unsuspend)"}, nil
}

// errUserDisabled refuses a request for a user the operator disabled
// (issue 16): nothing is stored or sent.
var errUserDisabled = &httpio.RPError{Status: http.StatusForbidden, Err: "disabled", Code: httpio.RPCodeDisabled,
	Description: "user_id: this user is disabled by the operator (tokenserver user enable)"}

// Final reports whether status no longer changes.
func Final(status string) bool {
	return status == store.StatusAccepted || status == store.StatusDenied || status == store.StatusExpired
}

// load reads the transaction id of API client c. A final answer this
// instance recorded itself (accepted and denied never change) comes from the
// cache, with the same ownership check; anything else from the store.
func (h *Handler) load(ctx context.Context, c store.APIClient, id string) (Transaction, *httpio.RPError) {
	now := h.env.NowMs()
	if ct, ok := h.env.TxCache.ByID(id, now); ok && ct.Final() {
		if ct.APIClientID != c.ID {
			return Transaction{}, errTxNotFound
		}
		return view(ct.Transaction(), now), nil
	}
	var x store.Transaction
	err := h.env.Store.View(ctx, func(tx store.Tx) error {
		var err error
		x, err = tx.GetTransaction(ctx, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || (err == nil && x.APIClientID != c.ID) {
		return Transaction{}, errTxNotFound
	} else if err != nil {
		if ctx.Err() == nil {
			h.env.Log.Error().Err(err).Msg("fetching transaction")
		}
		return Transaction{}, errInternal
	}
	return view(x, h.env.NowMs()), nil
}

// callbackRefusal is the 1003 description of a callback_uri the egress
// guard refuses (it names the parameter and the reason, not the URL).
func callbackRefusal(err error) string {
	var re *egress.RefusedError
	if errors.As(err, &re) && re.Reason == egress.ReasonScheme {
		return "callback_uri must be an absolute https (or http) URL"
	}
	if errors.As(err, &re) {
		return "callback_uri points at a " + re.Reason + " address, which this server does not call (operator option --allow-private-egress)"
	}
	return "callback_uri is not usable"
}
