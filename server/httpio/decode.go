package httpio

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"unicode/utf8"
)

// Decoding errors, mapped to 4xx answers by the APIs.
var (
	ErrTooLarge       = errors.New("request body too large")
	ErrBadContentType = errors.New("unsupported content type")
	ErrMalformed      = errors.New("malformed request body")
)

// ReadBody reads at most max bytes of r's body (ErrTooLarge beyond).
func ReadBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, ErrTooLarge
		}
		return nil, ErrMalformed
	}
	return body, nil
}

// MediaType returns the lower-cased media type of the request ("" if absent).
func MediaType(r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	switch ct {
	case "":
		return ""
	case "application/json", "application/x-www-form-urlencoded":
		return ct // what mime.ParseMediaType returns for them
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "invalid"
	}
	return mt
}

// DecodeStrictJSON decodes exactly one JSON object into v, refusing unknown
// fields, wrong types, trailing data and invalid UTF-8.
func DecodeStrictJSON(body []byte, v any) error {
	if decodeFlat(body, v) {
		return nil
	}
	if !utf8.Valid(body) {
		return ErrMalformed
	}
	return decodeStd(body, v)
}

// decodeStd is DecodeStrictJSON's general path: encoding/json, strict.
func decodeStd(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return ErrMalformed
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return ErrMalformed
	}
	return nil
}
