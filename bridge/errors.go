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
