// Package httpio is the Token Server's HTTP JSON input and output, shared by
// the device, OAuth and relying-party APIs: bounded body reading, the media
// type, strict JSON decoding (DecodeStrictJSON), the JSON response writer
// (WriteJSON) and the error types and writers of the device API
// (DeviceError, protocol.ErrorResponse) and of the relying-party API
// (RPError, DESIGN §5).
//
// Two hand-written fast paths live here, each behind an equivalence test
// against encoding/json: decodeFlat (flat claim and answer bodies;
// TestDecodeFlatMatchesEncodingJSON, FuzzDecodeFlat) and appendJSON (the
// hot paths' responses; TestWriteJSONMatchesEncoder). Everything else goes
// through encoding/json.
package httpio
