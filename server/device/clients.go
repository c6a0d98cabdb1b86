package device

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/clientip"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/store"
)

// registerClient: POST PathClients. The proof carries the client key as jwk
// and must be signed by it (proof of possession). The request names a
// configured, enabled application and one of its redirect URIs exactly
// (DESIGN §10); registrations are rate-limited per client IP (the only key
// an anonymous caller cannot mint afresh).
func (h *Handler) registerClient(w http.ResponseWriter, r *http.Request) {
	if !h.env.Limits.RegisterPerIP.Allow(clientip.LimitKey(clientip.From(r))) {
		fail(w, httpio.DevErr(protocol.ErrRateLimited, "too many client registrations from this address"))
		return
	}
	hdr := r.Header.Values(protocol.HeaderDPoP)
	if len(hdr) != 1 {
		fail(w, httpio.DevErr(protocol.ErrInvalidDPoP, "exactly one DPoP header is required"))
		return
	}
	p, err := protocol.ParseProof(hdr[0])
	if err != nil {
		fail(w, httpio.DevErr(protocol.ErrInvalidDPoP, err.Error()))
		return
	}
	if p.JWK == nil {
		fail(w, httpio.DevErr(protocol.ErrInvalidDPoP, "registration proof must carry the client key as jwk"))
		return
	}
	var req protocol.ClientRegistrationRequest
	if de := readJSON(w, r, &req); de != nil {
		fail(w, de)
		return
	}
	key, err := protocol.DecodePublicKey(req.ClientKey)
	if err != nil {
		fail(w, badField("client_key (P-256 public key)"))
		return
	}
	if protocol.KeyThumbprint(key) != protocol.KeyThumbprint(p.JWK) {
		fail(w, httpio.DevErr(protocol.ErrInvalidDPoP, "proof jwk differs from client_key"))
		return
	}
	if err := p.Verify(p.JWK, r.Method, h.env.BaseURL+r.URL.Path, h.env.Wall.Now(), ""); err != nil {
		fail(w, httpio.DevErr(protocol.ErrInvalidDPoP, err.Error()))
		return
	}
	// The proof verified: whatever the answer now, it is spent (issue 11 item 6).
	verified(r.Context(), jtiKey("reg:"+protocol.KeyThumbprint(key), p.Claims.JTI))
	if u, err := url.Parse(req.RedirectURI); req.RedirectURI == "" || len(req.RedirectURI) > 512 || err != nil || u.Scheme == "" {
		fail(w, badField("redirect_uri"))
		return
	}
	if req.AppID == "" || len(req.AppID) > 128 || len(req.AppVersion) > 64 || len(req.Platform) > 32 {
		fail(w, badField("app_id, app_version or platform"))
		return
	}
	if de := h.checkApplication(r.Context(), &req); de != nil {
		h.env.Log.Info().Str("app_id", req.AppID).Str("error", de.Code).Msg("client registration refused")
		fail(w, de)
		return
	}
	wire, _ := protocol.EncodePublicKey(key)
	c := store.Client{ID: protocol.RandomToken(16), PublicKey: wire, AppID: req.AppID, AppVersion: req.AppVersion,
		Platform: req.Platform, RedirectURI: req.RedirectURI, CreatedAt: h.env.NowMs()}
	de := h.commit(r.Context(), jtiKey("reg:"+protocol.KeyThumbprint(key), p.Claims.JTI), func(tx store.Tx) (*httpio.DeviceError, error) {
		return nil, tx.CreateClient(r.Context(), c)
	})
	if de != nil {
		fail(w, de)
		return
	}
	h.env.Log.Info().Str("client_id", c.ID).Str("app_id", c.AppID).Msg("client registered")
	httpio.WriteJSON(w, http.StatusOK, protocol.ClientRegistrationResponse{ClientID: c.ID, PinLength: h.env.PinLength})
}

// checkApplication refuses a registration that does not name an enabled
// application, one of its redirect URIs (byte-for-byte: no normalisation,
// so no javascript:, data: or other host gets through), and, when the
// application lists them, one of its platforms and versions.
func (h *Handler) checkApplication(ctx context.Context, req *protocol.ClientRegistrationRequest) *httpio.DeviceError {
	var app store.Application
	err := h.env.Store.View(ctx, func(tx store.Tx) error {
		var err error
		app, err = tx.GetApplication(ctx, req.AppID)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return httpio.DevErr(protocol.ErrInvalidClientMetadata, "app_id names no application configured on this server")
	case err != nil:
		h.env.Log.Error().Err(err).Msg("reading application")
		return errInternal
	case app.Disabled:
		return httpio.DevErr(protocol.ErrInvalidClientMetadata, "the application is disabled on this server")
	case !slices.Contains(app.RedirectURIs, req.RedirectURI):
		return httpio.DevErr(protocol.ErrInvalidRedirectURI, "redirect_uri is not one of the application's redirect URIs")
	case len(app.Platforms) > 0 && !slices.Contains(app.Platforms, req.Platform):
		return httpio.DevErr(protocol.ErrInvalidClientMetadata, "the application is not configured for this platform")
	case len(app.Versions) > 0 && !slices.Contains(app.Versions, req.AppVersion):
		return httpio.DevErr(protocol.ErrInvalidClientMetadata, "this version of the application is not allowed")
	}
	return nil
}
