// Package httpio is the Token Server's HTTP JSON input and output, shared by
// the device, OAuth and relying-party APIs: bounded body reading, the media
// type, strict JSON decoding (DecodeStrictJSON), the JSON response writer
// (WriteJSON) and the error types and writers of the device API
// (DeviceError, protocol.ErrorResponse) and of the relying-party API
// (RPError, DESIGN §5).
//
// The server's hand-written JSON fast paths live here, each behind an
// equivalence test against encoding/json: decodeFlat (flat claim and answer
// bodies; TestDecodeFlatMatchesEncodingJSON, FuzzDecodeFlat) and appendJSON
// with the AppendJSON helpers (the hot paths' responses;
// TestWriteJSONMatchesEncoder); server/rp's create form parser and answer
// encoders build on them. TestFastPathsEarnTheirPlace here and in server/rp
// (scripts/test-go.sh, OMA_FASTPATH_BENCH=1) fails when one stops being
// faster or lighter than the code it replaces. Everything else goes through
// encoding/json.
package httpio
