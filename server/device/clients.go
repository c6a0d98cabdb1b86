package device

import (
	"net/http"
	"net/url"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/internal/svc"
	"github.com/openmobileauth/oma/server/store"
)

// registerClient: POST PathClients. The proof carries the client key as jwk
// and must be signed by it (proof of possession).
func (h *Handler) registerClient(w http.ResponseWriter, r *http.Request) {
	hdr := r.Header.Values(protocol.HeaderDPoP)
	if len(hdr) != 1 {
		fail(w, svc.DevErr(protocol.ErrInvalidDPoP, "exactly one DPoP header is required"))
		return
	}
	p, err := protocol.ParseProof(hdr[0])
	if err != nil {
		fail(w, svc.DevErr(protocol.ErrInvalidDPoP, err.Error()))
		return
	}
	if p.JWK == nil {
		fail(w, svc.DevErr(protocol.ErrInvalidDPoP, "registration proof must carry the client key as jwk"))
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
		fail(w, svc.DevErr(protocol.ErrInvalidDPoP, "proof jwk differs from client_key"))
		return
	}
	if err := p.Verify(p.JWK, r.Method, h.env.BaseURL+r.URL.Path, h.env.Wall.Now(), ""); err != nil {
		fail(w, svc.DevErr(protocol.ErrInvalidDPoP, err.Error()))
		return
	}
	if u, err := url.Parse(req.RedirectURI); req.RedirectURI == "" || len(req.RedirectURI) > 512 || err != nil || u.Scheme == "" {
		fail(w, badField("redirect_uri"))
		return
	}
	if req.AppID == "" || len(req.AppID) > 128 || len(req.AppVersion) > 64 || len(req.Platform) > 32 {
		fail(w, badField("app_id, app_version or platform"))
		return
	}
	wire, _ := protocol.EncodePublicKey(key)
	c := store.Client{ID: protocol.RandomToken(16), PublicKey: wire, AppID: req.AppID, AppVersion: req.AppVersion,
		Platform: req.Platform, RedirectURI: req.RedirectURI, CreatedAt: h.env.NowMs()}
	de := h.commit(r.Context(), jtiKey("reg:"+protocol.KeyThumbprint(key), p.Claims.JTI), func(tx store.Tx) (*svc.DeviceError, error) {
		return nil, tx.CreateClient(r.Context(), c)
	})
	if de != nil {
		fail(w, de)
		return
	}
	h.env.Log.Info().Str("client_id", c.ID).Str("app_id", c.AppID).Msg("client registered")
	svc.WriteJSON(w, http.StatusOK, protocol.ClientRegistrationResponse{ClientID: c.ID, PinLength: h.env.PinLength})
}
