package server

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/openmobileauth/oma/server/enrollpolicy"
	"github.com/openmobileauth/oma/server/policies"
	"github.com/openmobileauth/oma/server/store"
)

// The operator's policies (issue 16): GET and PUT /admin/v1/policy, the
// CLI's tokenserver policy show|set. Stored values win over the
// configuration (flags, OMA_* variables, YAML), which is each policy's
// default until one is stored; every instance on the store applies a
// stored value from its next request that needs it.

// PolicyView is the policies in force, and which are stored.
type PolicyView struct {
	Policy                 string          `json:"policy"`     // re-enrollment: single, override, multiple
	PinLength              int             `json:"pin_length"` // configuration only (each app instance keeps the length it registered with)
	PinMaxFailures         int             `json:"pin_max_failures"`
	NotMeSuspensionSeconds int             `json:"not_me_suspension_seconds"`
	PushMaxPending         int             `json:"push_max_pending"`
	Stored                 map[string]bool `json:"stored"` // per field: a stored value (true) or the configuration's
}

// policyFields maps the API's field names to settings keys.
var policyFields = map[string]string{
	"policy":                    enrollpolicy.Setting,
	"pin_max_failures":          policies.SettingPinMaxFailures,
	"not_me_suspension_seconds": policies.SettingNotMeSuspension,
	"push_max_pending":          policies.SettingPushMaxPending,
}

// PolicyFields lists the policies that can be stored (and reset).
func PolicyFields() []string {
	out := make([]string, 0, len(policyFields))
	for k := range policyFields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Policies returns the policies in force: stored, else def's (a server's
// configuration; see Server.Policies).
func (a *Admin) Policies(ctx context.Context, def PolicyView) (PolicyView, error) {
	out := def
	err := a.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if out.Policy, err = enrollpolicy.Current(ctx, tx, def.Policy); err != nil {
			return err
		}
		p, err := policies.Load(ctx, tx, policies.Policies{PinMaxFailures: def.PinMaxFailures,
			NotMeSuspension: time.Duration(def.NotMeSuspensionSeconds) * time.Second, PushMaxPending: def.PushMaxPending})
		if err != nil {
			return err
		}
		out.PinMaxFailures, out.NotMeSuspensionSeconds, out.PushMaxPending = p.PinMaxFailures, int(p.NotMeSuspension/time.Second), p.PushMaxPending
		stored, err := policies.Stored(ctx, tx)
		if err != nil {
			return err
		}
		out.Stored = map[string]bool{}
		for field, key := range policyFields {
			out.Stored[field] = stored[key]
		}
		_, err = tx.GetSetting(ctx, enrollpolicy.Setting)
		out.Stored["policy"] = err == nil
		if errors.Is(err, store.ErrNotFound) {
			err = nil
		}
		return err
	})
	return out, err
}

// PolicyChange is a change of the stored policies: set fields (zero and ""
// untouched) and fields to reset to the configuration's.
type PolicyChange struct {
	Policy string
	policies.Policies
	Reset []string // field names of PolicyFields
}

// SetPolicies stores a change in one transaction (every value checked
// first).
func (a *Admin) SetPolicies(ctx context.Context, c PolicyChange) error {
	if c.Policy != "" && !enrollpolicy.Valid(c.Policy) {
		return errors.New("policy must be single, override or multiple")
	}
	if err := policies.Check(c.Policies); err != nil {
		return err
	}
	var resetKeys []string
	resetPolicy := false
	for _, f := range c.Reset {
		key, ok := policyFields[f]
		switch {
		case !ok:
			return errors.New("reset: unknown policy " + f + " (one of " + strings.Join(PolicyFields(), ", ") + ")")
		case f == "policy":
			resetPolicy = true
		default:
			resetKeys = append(resetKeys, key)
		}
	}
	return a.Store.InTx(ctx, func(tx store.Tx) error {
		if resetPolicy {
			if err := tx.DeleteSetting(ctx, enrollpolicy.Setting); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if c.Policy != "" {
			if err := tx.PutSetting(ctx, enrollpolicy.Setting, c.Policy); err != nil {
				return err
			}
		}
		return policies.Put(ctx, tx, c.Policies, resetKeys...)
	})
}

// PolicyDefaults is the server's configuration of each policy (what is in
// force where nothing is stored).
func (s *Server) PolicyDefaults() PolicyView {
	return PolicyView{Policy: s.cfg.Policy, PinLength: s.cfg.PinLength, PinMaxFailures: s.cfg.PinMaxAttempts,
		NotMeSuspensionSeconds: int(s.cfg.NotMeSuspension / time.Second), PushMaxPending: s.cfg.PushMaxPending}
}

// getPolicy: GET /admin/v1/policy.
func (h *adminAPI) getPolicy(w http.ResponseWriter, r *http.Request, _ store.AdminToken) {
	v, err := h.s.Admin().Policies(r.Context(), h.s.PolicyDefaults())
	h.read(w, v, err)
}

// putPolicy: PUT /admin/v1/policy with any of the fields (and "reset").
func (h *adminAPI) putPolicy(w http.ResponseWriter, r *http.Request, t store.AdminToken) {
	var req struct {
		Policy                 string   `json:"policy"`
		PinMaxFailures         int      `json:"pin_max_failures"`
		NotMeSuspensionSeconds int      `json:"not_me_suspension_seconds"`
		PushMaxPending         int      `json:"push_max_pending"`
		Reset                  []string `json:"reset"`
	}
	if !body(w, r, &req) {
		return
	}
	c := PolicyChange{Policy: req.Policy, Reset: req.Reset, Policies: policies.Policies{PinMaxFailures: req.PinMaxFailures,
		NotMeSuspension: time.Duration(req.NotMeSuspensionSeconds) * time.Second, PushMaxPending: req.PushMaxPending}}
	var err error
	if req.Policy == "" && req.PinMaxFailures == 0 && req.NotMeSuspensionSeconds == 0 && req.PushMaxPending == 0 && len(req.Reset) == 0 {
		err = errors.New("nothing to change: give policy, pin_max_failures, not_me_suspension_seconds, push_max_pending or reset")
	} else if req.NotMeSuspensionSeconds < 0 {
		err = errors.New("not_me_suspension_seconds must be positive")
	} else {
		err = h.s.Admin().SetPolicies(r.Context(), c)
	}
	var v PolicyView
	if err == nil {
		v, err = h.s.Admin().Policies(r.Context(), h.s.PolicyDefaults())
	}
	h.done(w, t, "policy_set", changeTarget(req.Policy, req.PinMaxFailures, req.NotMeSuspensionSeconds, req.PushMaxPending, req.Reset), err, http.StatusOK, v)
}

// changeTarget names a policy change in its audit record.
func changeTarget(policy string, pin, notMe, pending int, reset []string) string {
	var parts []string
	if policy != "" {
		parts = append(parts, "policy="+policy)
	}
	for k, v := range map[string]int{"pin_max_failures": pin, "not_me_suspension_seconds": notMe, "push_max_pending": pending} {
		if v != 0 {
			parts = append(parts, k+"="+strconv.Itoa(v))
		}
	}
	for _, f := range reset {
		parts = append(parts, "reset="+f)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}
