package main

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/openmobileauth/oma/core/device"
	"github.com/openmobileauth/oma/core/dispatch"
)

// Control requests: lines whose method starts with "bridgehost." are answered
// by the host itself, never by the core. They drive what a phone's user would
// do to the device's capabilities, so tests written in JS (and the terminal
// phone) can play them through the same pipe:
//
//	{"jsonrpc":"2.0","id":1,"method":"bridgehost.biometric",
//	 "params":{"script":["fail","success"],"available":true,"changeEnrollment":false}}
//
// "script" appends outcomes for the next biometric prompts of the pure-Go
// biometric (device.SoftBiometric: success, fail, cancel, lockout, changed);
// "available" says whether a biometric is enrolled; "changeEnrollment" models
// enrolling a new fingerprint (every biometric key becomes invalid). The
// answer is {"prompts":[...]}: the prompt titles shown so far.
const controlPrefix = "bridgehost."

// MethodBiometric is the control method that scripts the pure-Go biometric.
const MethodBiometric = controlPrefix + "biometric"

var outcomes = map[string]bool{
	device.OutcomeSuccess: true, device.OutcomeFail: true, device.OutcomeCancel: true,
	device.OutcomeLockout: true, device.OutcomeChanged: true,
}

type controlRequest struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

type biometricParams struct {
	Script           []string `json:"script"`
	Available        *bool    `json:"available"`
	ChangeEnrollment bool     `json:"changeEnrollment"`
}

// control answers line when it is a control request; ok is false for
// everything else (the core's requests, and lines that are not JSON, which the
// core answers with its own 8009).
func control(line []byte, bio *device.SoftBiometric) (answer string, ok bool) {
	if !bytes.Contains(line, []byte(`"`+controlPrefix)) {
		return "", false
	}
	var req controlRequest
	if err := json.Unmarshal(line, &req); err != nil || len(req.Method) <= len(controlPrefix) || req.Method[:len(controlPrefix)] != controlPrefix {
		return "", false
	}
	id := string(req.ID)
	if id == "" {
		id = "null"
	}
	fail := func(format string, a ...any) string {
		msg, _ := json.Marshal(fmt.Sprintf(format, a...))
		return `{"jsonrpc":"2.0","id":` + id + `,"error":{"code":` + fmt.Sprint(int(dispatch.CodeBadParameters)) +
			`,"message":` + string(msg) + `,"data":{"domain":"` + dispatch.CodeBadParameters.Domain() + `"}}}`
	}
	if req.Method != MethodBiometric {
		return fail("bridgehost: unknown control method %q", req.Method), true
	}
	if bio == nil {
		return fail("bridgehost: the core does not use the pure-Go biometric"), true
	}
	var p biometricParams
	if len(req.Params) > 0 {
		dec := json.NewDecoder(bytes.NewReader(req.Params))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return fail("bridgehost.biometric: params must be {script?: string[], available?: boolean, changeEnrollment?: boolean}"), true
		}
	}
	for _, o := range p.Script {
		if !outcomes[o] {
			return fail("bridgehost.biometric: unknown outcome %q (success, fail, cancel, lockout, changed)", o), true
		}
	}
	if p.Available != nil {
		bio.SetAvailable(*p.Available)
	}
	if p.ChangeEnrollment {
		bio.ChangeEnrollment()
	}
	bio.Script(p.Script...)
	prompts := bio.Prompts()
	if prompts == nil {
		prompts = []string{}
	}
	res, _ := json.Marshal(map[string]any{"prompts": prompts})
	return `{"jsonrpc":"2.0","id":` + id + `,"result":` + string(res) + `}`, true
}
