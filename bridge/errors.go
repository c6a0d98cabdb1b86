package bridge

import (
	"encoding/json"
	"errors"

	"github.com/openmobileauth/oma/core/dispatch"
	"github.com/tidwall/gjson"
)

// startError turns an *Error into an error whose message is the JSON object
// {"code","domain","message"}.
func startError(e *dispatch.Error) error {
	b, _ := json.Marshal(map[string]any{"code": int(e.Code), "domain": e.Code.Domain(), "message": e.Message})
	return errors.New(string(b))
}

// encodedError is an error envelope without an id (for Invoke's own answers).
func encodedError(e *dispatch.Error) string {
	msg, _ := json.Marshal(e.Message)
	dom, _ := json.Marshal(e.Code.Domain())
	code, _ := json.Marshal(int(e.Code))
	return `{"jsonrpc":"2.0","id":null,"error":{"code":` + string(code) + `,"message":` + string(msg) + `,"data":{"domain":` + string(dom) + `}}}`
}

// notStartedError is Invoke's answer before Start: 8020, or the error of the
// Start that failed (its code, so the app sees why: 8001 for a bad configuration).
func notStartedError(startErr *dispatch.Error) string {
	if startErr == nil {
		return encodedError(dispatch.Errorf(dispatch.CodeNotStarted, "SDK not started"))
	}
	return encodedError(dispatch.Errorf(startErr.Code, "SDK not started: %s", startErr.Message))
}

// notStarted answers a request with 8020, keeping its id when it can be read.
func notStarted(req string) string {
	id := "null"
	if gjson.Valid(req) {
		if v := gjson.Get(req, "id"); v.Type == gjson.Number || v.Type == gjson.String {
			id = v.Raw
		}
	}
	return `{"jsonrpc":"2.0","id":` + id + `,"error":{"code":8020,"message":"SDK not started","data":{"domain":"sdk"}}}`
}
