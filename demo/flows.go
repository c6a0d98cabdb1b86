package demo

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// startedView is what the page gets for a started transaction. The OTP goes
// to this browser once and is not kept by the demo.
type startedView struct {
	TransactionID string `json:"transactionId"`
	Kind          string `json:"kind"`
	OTP           string `json:"otp"` // "" for a push request
	QR            string `json:"qr"`  // data: URI of a PNG ("" for a push request)
	Push          bool   `json:"push,omitempty"`
	TimeToLiveMS  int64  `json:"timeToLiveMs"`
	ExpiresAt     string `json:"expiresAt"` // RFC 3339, server clock
	Message       string `json:"message"`
	UserID        string `json:"userId,omitempty"`
	MatchCode     string `json:"matchCode,omitempty"` // number matching: show it, the user picks it on the phone
}

// loginMessage is what the phone shows for a QR login.
const loginMessage = "Log in to OMA Demo Bank"

func (d *Demo) paymentMessage() string {
	return "Pay " + d.cfg.Amount + " to " + d.cfg.ShopName
}

// startLogin starts a QR login (no user binding).
func (d *Demo) startLogin(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		writeErr(w, http.StatusForbidden, "cross-site request refused")
		return
	}
	ss := d.sess.get(w, r, true)
	d.start(w, r, ss, kindLogin, authRequest{Message: loginMessage})
}

// startPayment starts a payment confirmation bound to the logged-in user.
func (d *Demo) startPayment(w http.ResponseWriter, r *http.Request) {
	d.payment(w, r, authRequest{})
}

// startPaymentPush starts the payment confirmation as a push request: the
// user's phone is woken (no QR code); a phone without the push pulls it.
func (d *Demo) startPaymentPush(w http.ResponseWriter, r *http.Request) {
	if d.cfg.PushOTPType == "" {
		writeErr(w, http.StatusNotFound, "push is not configured for this demo")
		return
	}
	d.payment(w, r, authRequest{Type: d.cfg.PushOTPType, Push: true})
}

func (d *Demo) payment(w http.ResponseWriter, r *http.Request, ar authRequest) {
	if !sameOrigin(r) {
		writeErr(w, http.StatusForbidden, "cross-site request refused")
		return
	}
	ss := d.sess.get(w, r, false)
	user := ""
	if ss != nil {
		user = d.sess.user(ss)
	}
	if user == "" {
		writeErr(w, http.StatusUnauthorized, "log in with your phone first")
		return
	}
	ar.Message, ar.UserID = d.paymentMessage(), user
	d.start(w, r, ss, kindPayment, ar)
}

func (d *Demo) start(w http.ResponseWriter, r *http.Request, ss *session, kind string, ar authRequest) {
	ar.IPAddress = clientIP(r)
	ar.UserAgent = r.UserAgent()
	if len(ar.UserAgent) > 200 {
		ar.UserAgent = ar.UserAgent[:200]
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	st, err := d.rp.start(ctx, ar)
	if err != nil {
		d.log.Error().Err(err).Str("kind", kind).Msg("demo: starting a mobile authentication failed")
		writeErr(w, http.StatusBadGateway, userMessage(err, "could not start the request"))
		return
	}
	qr := ""
	if st.OTP != "" {
		var err error
		if qr, err = qrDataURI(st.OTP); err != nil {
			d.log.Error().Err(err).Msg("demo: rendering the QR code failed")
			writeErr(w, http.StatusInternalServerError, "could not render the QR code")
			return
		}
	}
	exp := d.cfg.Now().Add(time.Duration(st.TimeToLiveMS) * time.Millisecond)
	d.sess.addTx(ss, &tx{id: st.TransactionID, kind: kind, userID: ar.UserID, expiresAt: exp, status: StatusPending})
	writeJSON(w, http.StatusOK, startedView{
		TransactionID: st.TransactionID, Kind: kind, OTP: st.OTP, QR: qr, Push: ar.Push, MatchCode: st.MatchCode,
		TimeToLiveMS: st.TimeToLiveMS, ExpiresAt: exp.UTC().Format(time.RFC3339Nano),
		Message: ar.Message, UserID: ar.UserID,
	})
}

// userMessage turns a relying-party API failure into a sentence for the page.
func userMessage(err error, fallback string) string {
	var ae *apiError
	if errors.As(err, &ae) {
		switch {
		case ae.HTTPStatus == http.StatusUnauthorized:
			return fallback + ": the demo's API client credentials were refused"
		case ae.HTTPStatus == http.StatusTooManyRequests:
			return fallback + ": too many requests, try again in a moment"
		case ae.Description != "":
			return fallback + ": " + ae.Description
		}
		return fallback + ": the server answered " + http.StatusText(ae.HTTPStatus)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fallback + ": the server did not answer in time"
	}
	return fallback + ": the server cannot be reached"
}

// sessionView tells the page who is logged in.
type sessionView struct {
	UserID   string `json:"userId,omitempty"`
	Push     bool   `json:"push,omitempty"` // "Confirm payment by push" is offered
	ShopName string `json:"shopName"`
	Amount   string `json:"amount"`
}

func (d *Demo) session(w http.ResponseWriter, r *http.Request) {
	v := sessionView{ShopName: d.cfg.ShopName, Amount: d.cfg.Amount, Push: d.cfg.PushOTPType != ""}
	if ss := d.sess.get(w, r, false); ss != nil {
		v.UserID = d.sess.user(ss)
	}
	writeJSON(w, http.StatusOK, v)
}

func (d *Demo) logout(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		writeErr(w, http.StatusForbidden, "cross-site request refused")
		return
	}
	if ss := d.sess.get(w, r, false); ss != nil {
		d.sess.logout(ss)
	}
	writeJSON(w, http.StatusOK, sessionView{ShopName: d.cfg.ShopName, Amount: d.cfg.Amount, Push: d.cfg.PushOTPType != ""})
}

// statusView is one status of a transaction as the page sees it.
type statusView struct {
	TransactionID string `json:"transactionId"`
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	UserID        string `json:"userId,omitempty"`
	Reason        string `json:"reason,omitempty"`
	Final         bool   `json:"final"`
	LoggedInUser  string `json:"loggedInUser,omitempty"`
}

// ownTx finds transaction id among the session's own; the page can only watch
// the transactions it started.
func (d *Demo) ownTx(w http.ResponseWriter, r *http.Request) (*session, tx, bool) {
	ss := d.sess.get(w, r, false)
	if ss == nil {
		writeErr(w, http.StatusNotFound, "no such request in this browser session")
		return nil, tx{}, false
	}
	t, ok := d.sess.lookupTx(ss, r.PathValue("id"))
	if !ok {
		writeErr(w, http.StatusNotFound, "no such request in this browser session")
		return nil, tx{}, false
	}
	return ss, t, true
}

// observe fetches the transaction (long-polling up to wait), records it in the
// session and returns the page's view of it.
func (d *Demo) observe(ctx context.Context, ss *session, t tx, wait time.Duration) (statusView, error) {
	fctx, cancel := context.WithTimeout(ctx, wait+15*time.Second)
	defer cancel()
	got, err := d.rp.fetch(fctx, t.id, wait)
	if err != nil {
		return statusView{}, err
	}
	return d.view(ss, t, got), nil
}

// view turns a relying-party transaction into the page's view and records
// it in the session (an accepted login logs its user in).
func (d *Demo) view(ss *session, t tx, got *transaction) statusView {
	v := statusView{TransactionID: t.id, Kind: t.kind, Status: got.Status, Reason: got.NotAuthenticated.Reason}
	if v.Status == "" { // a server without the status extension
		switch {
		case got.IsAuthenticated:
			v.Status = StatusAccepted
		case got.NotAuthenticated.Reason == "not_accepted":
			v.Status = StatusDenied
		case got.NotAuthenticated.Reason == "expired":
			v.Status = StatusExpired
		default:
			v.Status = StatusPending
		}
	}
	if v.Status == StatusAccepted {
		v.UserID = got.UserID
		if t.kind == kindPayment && t.userID != "" && got.UserID != t.userID {
			// The server refuses answers from another user's device; a
			// mismatch here means something is badly wrong: do not confirm.
			d.log.Error().Str("tx", t.id).Msg("demo: payment answered by an unexpected user")
			v.Status, v.Reason, v.UserID = StatusDenied, "wrong_user", ""
		}
	}
	v.Final = final(v.Status)
	d.sess.record(ss, t.id, v.Status, v.UserID)
	v.LoggedInUser = d.sess.user(ss)
	return v
}

func (d *Demo) status(w http.ResponseWriter, r *http.Request) {
	ss, t, ok := d.ownTx(w, r)
	if !ok {
		return
	}
	v, err := d.observe(r.Context(), ss, t, 0)
	if err != nil {
		d.log.Error().Err(err).Msg("demo: fetching a transaction failed")
		writeErr(w, http.StatusBadGateway, userMessage(err, "could not read the request's status"))
		return
	}
	writeJSON(w, http.StatusOK, v)
}
