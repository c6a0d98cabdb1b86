package antifatigue

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server/store"
)

// Anti-fatigue and user verification (DESIGN §13, issue 14): what a request
// carries beyond the message (Extras, stored with the request and never
// changed), how it was answered (Outcome), and the per-user suspension a
// "this wasn't me" answer (or too many wrong number picks) starts.

// Extras are a request's immutable anti-fatigue facts (store.Transaction.Extras).
type Extras struct {
	MatchCode        string            `json:"match_code,omitempty"`
	Candidates       []string          `json:"candidates,omitempty"`
	Details          []protocol.Detail `json:"details,omitempty"`
	UserVerification string            `json:"user_verification,omitempty"` // protocol.UserVerificationRequired or ""
}

// Empty reports whether x carries nothing (the request is stored with "").
func (x Extras) Empty() bool {
	return x.MatchCode == "" && len(x.Details) == 0 && x.UserVerification == ""
}

// Encode is x's stored form ("" when empty).
func (x Extras) Encode() string {
	if x.Empty() {
		return ""
	}
	b, _ := json.Marshal(x)
	return string(b)
}

// ParseExtras reads a stored Extras ("" is the empty value).
func ParseExtras(s string) (Extras, error) {
	var x Extras
	if s == "" {
		return x, nil
	}
	err := json.Unmarshal([]byte(s), &x)
	return x, err
}

// Outcome is how a request with extras was answered (store.Transaction.Outcome).
type Outcome struct {
	// Reason of a deny: protocol.ReasonNotMe (the user reported the request)
	// or protocol.ReasonWrongMatch (the pick was not the code); "" for a
	// plain deny or an accept.
	Reason string `json:"reason,omitempty"`
	// Verification is the user-verification factor an accept carried
	// (protocol.VerificationPIN or protocol.VerificationBiometric), "" for none.
	Verification string `json:"verification,omitempty"`
}

// Encode is o's stored form.
func (o Outcome) Encode() string {
	if o == (Outcome{}) {
		return ""
	}
	b, _ := json.Marshal(o)
	return string(b)
}

// ParseOutcome reads a stored Outcome (unreadable or "": the zero value).
func ParseOutcome(s string) Outcome {
	var o Outcome
	if s != "" {
		_ = json.Unmarshal([]byte(s), &o)
	}
	return o
}

// Suspension is a user's suspension of user-bound requests.
type Suspension = store.Suspension

func matchFailKey(userID string) string { return "matchfail:" + userID }

// SuspensionOf returns the user's suspension active at now (unix ms; ok false
// when none or ended).
func SuspensionOf(ctx context.Context, tx store.Tx, userID string, now int64) (Suspension, bool, error) {
	s, err := tx.GetSuspension(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return Suspension{}, false, nil
	} else if err != nil {
		return Suspension{}, false, err
	}
	return s, now < s.Until, nil
}

// Suspend suspends the user's user-bound requests until now+d, keeping a
// later end already set.
func Suspend(ctx context.Context, tx store.Tx, userID, reason string, now int64, d time.Duration) (Suspension, error) {
	s := Suspension{UserID: userID, Until: now + d.Milliseconds(), Reason: reason, At: now}
	if cur, ok, err := SuspensionOf(ctx, tx, userID, now); err != nil {
		return s, err
	} else if ok && cur.Until > s.Until {
		s.Until = cur.Until
	}
	return s, tx.PutSuspension(ctx, s)
}

// Unsuspend lifts the user's suspension and clears the wrong-pick count
// (false when the user was not suspended at now).
func Unsuspend(ctx context.Context, tx store.Tx, userID string, now int64) (bool, error) {
	_, ok, err := SuspensionOf(ctx, tx, userID, now)
	if err != nil {
		return false, err
	}
	if _, err := tx.DeleteSuspension(ctx, userID); err != nil {
		return false, err
	}
	if err := ResetMatchFailures(ctx, tx, userID); err != nil {
		return false, err
	}
	return ok, nil
}

// AddMatchFailure counts a wrong number pick of the user and returns the
// new count (a counter of its own, not the PIN counter: a wrong pick says
// someone else started the request, not that this device is in the wrong
// hands).
func AddMatchFailure(ctx context.Context, tx store.Tx, userID string) (int, error) {
	n := 0
	if v, err := tx.GetSetting(ctx, matchFailKey(userID)); err == nil {
		n, _ = strconv.Atoi(v)
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	n++
	return n, tx.PutSetting(ctx, matchFailKey(userID), strconv.Itoa(n))
}

// MatchFailures returns the user's count of wrong picks.
func MatchFailures(ctx context.Context, tx store.Tx, userID string) (int, error) {
	v, err := tx.GetSetting(ctx, matchFailKey(userID))
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	n, _ := strconv.Atoi(v)
	return n, nil
}

// ResetMatchFailures clears the user's count (a right pick).
func ResetMatchFailures(ctx context.Context, tx store.Tx, userID string) error {
	err := tx.DeleteSetting(ctx, matchFailKey(userID))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
