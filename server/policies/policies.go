package policies

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/openmobileauth/oma/server/store"
)

// Settings keys.
const (
	SettingPinMaxFailures  = "policy_pin_max_failures"
	SettingNotMeSuspension = "policy_not_me_suspension_seconds"
	SettingPushMaxPending  = "policy_push_max_pending"
)

// Ranges an operator may set.
const (
	MaxPinFailures     = 10
	MaxNotMeSuspension = 30 * 24 * time.Hour
	MaxPushPending     = 100
)

// Policies are the values in force (or a change: zero fields untouched).
type Policies struct {
	PinMaxFailures  int           // wrong PINs in a row that remove a registration (1..10)
	NotMeSuspension time.Duration // suspension after "this wasn't me" (1s..30 days, whole seconds)
	PushMaxPending  int           // open push requests per user (1..100)
}

// ErrInvalid is returned for a value out of range.
var ErrInvalid = errors.New("policies: value out of range")

// Check validates the non-zero fields of p.
func Check(p Policies) error {
	switch {
	case p.PinMaxFailures < 0 || p.PinMaxFailures > MaxPinFailures:
		return fmt.Errorf("%w: pin_max_failures must be 1..%d", ErrInvalid, MaxPinFailures)
	case p.NotMeSuspension < 0 || p.NotMeSuspension > MaxNotMeSuspension || p.NotMeSuspension%time.Second != 0:
		return fmt.Errorf("%w: not_me_suspension_seconds must be 1..%d", ErrInvalid, int(MaxNotMeSuspension/time.Second))
	case p.PushMaxPending < 0 || p.PushMaxPending > MaxPushPending:
		return fmt.Errorf("%w: push_max_pending must be 1..%d", ErrInvalid, MaxPushPending)
	}
	return nil
}

// readInt reads a stored positive integer; ok false when none (or an
// unreadable one) is stored.
func readInt(ctx context.Context, tx store.Tx, key string) (int64, bool, error) {
	v, err := tx.GetSetting(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, err
	}
	n, perr := strconv.ParseInt(v, 10, 64)
	if perr != nil || n <= 0 {
		return 0, false, nil
	}
	return n, true, nil
}

// PinMaxFailures is the stored value, else def.
func PinMaxFailures(ctx context.Context, tx store.Tx, def int) (int, error) {
	n, ok, err := readInt(ctx, tx, SettingPinMaxFailures)
	if !ok || err != nil || n > MaxPinFailures {
		return def, err
	}
	return int(n), nil
}

// NotMeSuspension is the stored value, else def.
func NotMeSuspension(ctx context.Context, tx store.Tx, def time.Duration) (time.Duration, error) {
	n, ok, err := readInt(ctx, tx, SettingNotMeSuspension)
	if !ok || err != nil || time.Duration(n)*time.Second > MaxNotMeSuspension {
		return def, err
	}
	return time.Duration(n) * time.Second, nil
}

// PushMaxPending is the stored value, else def.
func PushMaxPending(ctx context.Context, tx store.Tx, def int) (int, error) {
	n, ok, err := readInt(ctx, tx, SettingPushMaxPending)
	if !ok || err != nil || n > MaxPushPending {
		return def, err
	}
	return int(n), nil
}

// Load returns every policy in force: stored, else def's.
func Load(ctx context.Context, tx store.Tx, def Policies) (Policies, error) {
	var p Policies
	var err error
	if p.PinMaxFailures, err = PinMaxFailures(ctx, tx, def.PinMaxFailures); err != nil {
		return p, err
	}
	if p.NotMeSuspension, err = NotMeSuspension(ctx, tx, def.NotMeSuspension); err != nil {
		return p, err
	}
	p.PushMaxPending, err = PushMaxPending(ctx, tx, def.PushMaxPending)
	return p, err
}

// Stored reports which policies have a stored value (the others come from
// the configuration).
func Stored(ctx context.Context, tx store.Tx) (map[string]bool, error) {
	out := map[string]bool{}
	for _, k := range []string{SettingPinMaxFailures, SettingNotMeSuspension, SettingPushMaxPending} {
		_, ok, err := readInt(ctx, tx, k)
		if err != nil {
			return nil, err
		}
		out[k] = ok
	}
	return out, nil
}

// Put stores the non-zero fields of p (checked first) and removes the
// stored values named in reset (back to the configuration's).
func Put(ctx context.Context, tx store.Tx, p Policies, reset ...string) error {
	if err := Check(p); err != nil {
		return err
	}
	for _, k := range reset {
		if k != SettingPinMaxFailures && k != SettingNotMeSuspension && k != SettingPushMaxPending {
			return fmt.Errorf("%w: unknown policy %q", ErrInvalid, k)
		}
		if err := tx.DeleteSetting(ctx, k); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	for k, v := range map[string]int64{SettingPinMaxFailures: int64(p.PinMaxFailures), SettingNotMeSuspension: int64(p.NotMeSuspension / time.Second),
		SettingPushMaxPending: int64(p.PushMaxPending)} {
		if v == 0 {
			continue
		}
		if err := tx.PutSetting(ctx, k, strconv.FormatInt(v, 10)); err != nil {
			return err
		}
	}
	return nil
}
