package device

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/clientip"
	"github.com/openmobileauth/oma/server/deps"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/idp"
	"github.com/openmobileauth/oma/server/secrethash"
	"github.com/openmobileauth/oma/server/store"
)

// Handler serves the device API.
type Handler struct {
	env *deps.Env
	// idp signs and sends custom registration webhooks (idp.go), made once.
	idp     *idp.Caller
	idpOnce sync.Once
	// keys caches registered clients and their parsed keys: a client row never
	// changes after registration, so every proof after the first skips a read.
	keys sync.Map // client id → *clientKey
}

type clientKey struct {
	client store.Client
	pub    *ecdsa.PublicKey
}

// New returns the device API handler over env.
func New(env *deps.Env) *Handler { return &Handler{env: env} }

// maxCachedClients bounds the key cache (it is cleared when full).
const maxCachedClients = 100000

var cachedClients atomic.Int64

// clientKey returns a registered client and its key, from the cache or the store.
func (h *Handler) clientKey(ctx context.Context, id string) (*clientKey, *httpio.DeviceError) {
	if v, ok := h.keys.Load(id); ok {
		return v.(*clientKey), nil
	}
	var ck *clientKey
	err := h.env.Store.View(ctx, func(tx store.Tx) error {
		cl, err := tx.GetClient(ctx, id)
		if err != nil {
			return err
		}
		pub, err := protocol.DecodePublicKey(cl.PublicKey)
		if err != nil {
			return err
		}
		ck = &clientKey{client: cl, pub: pub}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, httpio.DevErr(protocol.ErrInvalidClient, "unknown client")
	} else if err != nil {
		h.env.Log.Error().Err(err).Msg("client lookup")
		return nil, errInternal
	}
	if cachedClients.Add(1) > maxCachedClients {
		h.keys.Clear()
		cachedClients.Store(1)
	}
	h.keys.Store(id, ck)
	return ck, nil
}

// Register adds the device API routes to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.Handle(protocol.PathClients, only(http.MethodPost, h.spendJTI(h.registerClient)))
	mux.Handle(protocol.PathToken, only(http.MethodPost, h.spendJTI(h.token)))
	mux.Handle(protocol.PathLogout, only(http.MethodPost, h.spendJTI(h.logout)))
	mux.Handle(protocol.PathDeregister, only(http.MethodPost, h.spendJTI(h.deregister)))
	mux.Handle(protocol.PathUserInfo, only(http.MethodGet, h.spendJTI(h.userInfo)))
	mux.Handle(protocol.PathEnroll, only(http.MethodPost, h.spendJTI(h.enroll)))
	mux.Handle(protocol.PathClaim, only(http.MethodPost, h.spendJTI(h.claim)))
	mux.Handle(protocol.PathAnswer, only(http.MethodPost, h.spendJTI(h.answer)))
	mux.Handle(protocol.PathPushRegister, only(http.MethodPost, h.spendJTI(h.registerPush)))
	mux.Handle(protocol.PathPushPending, only(http.MethodGet, h.spendJTI(h.pending)))
	mux.Handle(protocol.PathPushRequest+"{id}", only(http.MethodGet, h.spendJTI(h.pushRequest)))
	mux.Handle(protocol.PathPushClaim, only(http.MethodPost, h.spendJTI(h.pushClaim)))
	mux.Handle(protocol.PathAuthenticators, only(http.MethodPost, h.spendJTI(h.registerAuthenticator)))
	mux.Handle(protocol.PathAuthenticatorDeregister, only(http.MethodPost, h.spendJTI(h.deregisterAuthenticator)))
	mux.Handle(protocol.PathAuthenticatorChallenge, only(http.MethodPost, h.spendJTI(h.challenge)))
	mux.Handle(protocol.PathChangePin, only(http.MethodPost, h.spendJTI(h.changePin)))
	mux.Handle(protocol.PathResourceProfile, only(http.MethodGet, h.spendJTI(h.resourceProfile)))
	mux.Handle(protocol.PathResourceUserID, only(http.MethodGet, h.spendJTI(h.resourceUserID)))
	mux.Handle(protocol.PathResourceDevices, only(http.MethodGet, h.spendJTI(h.resourceDevices)))
	mux.Handle(protocol.PathIdentityProviders, only(http.MethodGet, h.spendJTI(h.identityProviders)))
	mux.Handle(protocol.PathCustomRegistrationInit, only(http.MethodPost, h.spendJTI(h.customInit)))
	mux.Handle(protocol.PathCustomRegistrationComplete, only(http.MethodPost, h.spendJTI(h.customComplete)))
	mux.Handle(protocol.PathSSO, only(http.MethodPost, h.spendJTI(h.sso)))
}

// only refuses other methods with a JSON 405.
func only(method string, fn http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			httpio.WriteDeviceError(w, &httpio.DeviceError{Code: protocol.ErrInvalidRequest, Description: "method not allowed", Status: http.StatusMethodNotAllowed})
			return
		}
		fn(w, r)
	})
}

// caller is an authenticated device request.
type caller struct {
	client store.Client
	pub    *ecdsa.PublicKey
	proof  *protocol.ParsedProof
	token  *store.Token // the access token, for endpoints that need one
	ip     string       // the peer's address (audit records)
}

var (
	errReplay   = httpio.DevErr(protocol.ErrInvalidDPoP, "proof already used")
	errInternal = httpio.DevErr(protocol.ErrServerError, "internal error")
	errRollback = errors.New("rollback")
)

// dpopHeaderKey is the canonical form of protocol.HeaderDPoP ("Dpop"):
// r.Header[dpopHeaderKey] is r.Header.Values(protocol.HeaderDPoP) without
// canonicalising the name on every request.
var dpopHeaderKey = textproto.CanonicalMIMEHeaderKey(protocol.HeaderDPoP)

// authenticate checks the DPoP proof (kid = client id) and, when needToken,
// the DPoP-bound access token. The jti is consumed later: with the work in
// commit, ClaimOnce or AnswerOnce, else by spendJTI before a refusal.
func (h *Handler) authenticate(r *http.Request, needToken bool) (*caller, *httpio.DeviceError) {
	return h.authenticateKinds(r, needToken, userTokens)
}

// userTokens: the device API's user endpoints accept only PIN-login tokens.
var userTokens = []string{store.TokenAccess}

// authenticateKinds is authenticate accepting access tokens of the given
// kinds (an implicit or device token only where a resource allows it).
func (h *Handler) authenticateKinds(r *http.Request, needToken bool, kinds []string) (*caller, *httpio.DeviceError) {
	hdr := r.Header[dpopHeaderKey]
	if len(hdr) != 1 {
		return nil, httpio.DevErr(protocol.ErrInvalidDPoP, "exactly one DPoP header is required")
	}
	p, err := protocol.ParseProof(hdr[0])
	if err != nil {
		return nil, httpio.DevErr(protocol.ErrInvalidDPoP, err.Error())
	}
	if p.Kid == "" {
		return nil, httpio.DevErr(protocol.ErrInvalidDPoP, "proof needs the client id as kid")
	}
	tokenStr := ""
	if a := r.Header.Get("Authorization"); a != "" {
		scheme, tok, ok := strings.Cut(a, " ")
		if !ok || !strings.EqualFold(scheme, protocol.AuthSchemeDPoP) || tok == "" {
			return nil, httpio.DevErr(protocol.ErrInvalidToken, "Authorization must use the DPoP scheme")
		}
		tokenStr = tok
	}
	if needToken && tokenStr == "" {
		return nil, httpio.DevErr(protocol.ErrInvalidToken, "access token required")
	}
	ctx := r.Context()
	ck, de := h.clientKey(ctx, p.Kid)
	if de != nil {
		return nil, de
	}
	c := &caller{proof: p, client: ck.client, pub: ck.pub, ip: clientip.From(r)}
	// The signature first: nothing else is looked up for a forged proof.
	if err := p.VerifyRequest(ck.pub, r.Method, h.env.BaseURL, r.URL.Path, h.env.Wall.Now(), tokenStr); err != nil {
		return nil, httpio.DevErr(protocol.ErrInvalidDPoP, err.Error())
	}
	// A verified proof is spent by whatever answer this request gets.
	verified(ctx, jtiKey(ck.client.ID, p.Claims.JTI))
	if needToken {
		err := h.env.Store.View(ctx, func(tx store.Tx) error {
			t, err := tx.GetToken(ctx, secrethash.Token(tokenStr))
			if errors.Is(err, store.ErrNotFound) || (err == nil && (!slices.Contains(kinds, t.Kind) || t.ClientID != ck.client.ID || h.env.NowMs() >= t.ExpiresAt)) {
				de = httpio.DevErr(protocol.ErrInvalidToken, "access token invalid or expired")
				return nil
			} else if err != nil {
				return err
			}
			c.token = &t
			return nil
		})
		if err != nil {
			h.env.Log.Error().Err(err).Msg("token lookup")
			return nil, errInternal
		}
		if de != nil {
			return nil, de
		}
	}
	return c, nil
}

// jtiKey scopes a proof id to its signer.
func jtiKey(clientID, jti string) string { return clientID + ":" + jti }

// commit runs fn in a store transaction after recording the proof's jti. A
// DeviceError returned by fn is answered, but the transaction still commits
// (the proof is spent and counters stay counted); an error rolls back.
func (h *Handler) commit(ctx context.Context, key string, fn func(tx store.Tx) (*httpio.DeviceError, error)) *httpio.DeviceError {
	var de *httpio.DeviceError
	exp := h.jtiExpiry()
	err := h.env.Store.InTx(ctx, func(tx store.Tx) error {
		ok, err := tx.UseJTI(ctx, key, exp)
		if err != nil {
			return err
		}
		if !ok {
			de = errReplay
			return errRollback
		}
		d, err := fn(tx)
		if err != nil {
			return err
		}
		de = d
		return nil
	})
	if err == nil || errors.Is(err, errRollback) {
		spent(ctx) // recorded now, or by an earlier request (replay)
	}
	if errors.Is(err, errRollback) {
		return de
	}
	var rf refusal
	if errors.As(err, &rf) {
		return rf.de // rolled back; the proof's jti is recorded by spendJTI
	}
	if err != nil {
		h.env.Log.Error().Err(err).Msg("device transaction")
		return errInternal
	}
	return de
}

// readJSON reads a strict JSON body into v.
func readJSON(w http.ResponseWriter, r *http.Request, v any) *httpio.DeviceError {
	if mt := httpio.MediaType(r); mt != "application/json" {
		return &httpio.DeviceError{Code: protocol.ErrInvalidRequest, Description: "Content-Type must be application/json", Status: http.StatusUnsupportedMediaType}
	}
	body, err := httpio.ReadBody(w, r, protocol.MaxRequestBody)
	if errors.Is(err, httpio.ErrTooLarge) {
		return &httpio.DeviceError{Code: protocol.ErrInvalidRequest, Description: "request body too large", Status: http.StatusRequestEntityTooLarge}
	}
	if err != nil || httpio.DecodeStrictJSON(body, v) != nil {
		return httpio.DevErr(protocol.ErrInvalidRequest, "malformed JSON body (unknown field, wrong type or trailing data)")
	}
	return nil
}

func fail(w http.ResponseWriter, de *httpio.DeviceError) { httpio.WriteDeviceError(w, de) }

func badField(name string) *httpio.DeviceError {
	return httpio.DevErr(protocol.ErrInvalidRequest, "missing or invalid "+name)
}

// ownProfile loads a profile that must belong to the calling client (with
// its row locked when lock: see store.Tx.LockProfile). A missing profile
// answers user_deregistered.
func ownProfile(ctx context.Context, tx store.Tx, c *caller, id string, lock bool) (store.Profile, *httpio.DeviceError, error) {
	if id == "" || len(id) > 128 {
		return store.Profile{}, badField("profile_id"), nil
	}
	get := tx.GetProfile
	if lock {
		get = tx.LockProfile
	}
	p, err := get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return p, httpio.DevErr(protocol.ErrUserDeregistered, "profile is not registered"), nil
	}
	if err != nil {
		return p, nil, err
	}
	if p.ClientID != c.client.ID {
		return p, httpio.DevErr(protocol.ErrUserDeregistered, "profile is not registered on this client"), nil
	}
	return p, nil, nil
}
