package httpio

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
)

// discardWriter is a ResponseWriter that keeps nothing (a recorder would
// measure its own buffer).
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

func BenchmarkWriteJSONClaimResponse(b *testing.B) {
	v := protocol.ClaimResponse{TransactionID: "dHJhbnNhY3Rpb24taWQtMTIzNDU2", Message: "Log in to Example Shop from Chrome on Linux, IP 192.0.2.1",
		Type: "demo", Nonce: "bm9uY2UtMTIzNDU2Nzg5MA", ExpiresAt: 1_800_000_300, ProfileID: "cHJvZmlsZS0x", UserID: "demo"}
	b.ReportAllocs()
	for b.Loop() {
		w := &discardWriter{h: http.Header{}}
		WriteJSON(w, http.StatusOK, v)
	}
}

func BenchmarkWriteDeviceError(b *testing.B) {
	e := DevErr(protocol.ErrAlreadyHandled, "this request was already claimed")
	b.ReportAllocs()
	for b.Loop() {
		w := &discardWriter{h: http.Header{}}
		WriteDeviceError(w, e)
	}
}

const benchAnswerBody = `{"transaction_id":"dHJhbnNhY3Rpb24taWQtMTIzNDU2","profile_id":"cHJvZmlsZS0x","decision":"accept",` +
	`"message_hash":"bWVzc2FnZS1oYXNoLWJhc2U2NHVybC0zMi1ieXRlcy1wYWQ","nonce":"bm9uY2UtMTIzNDU2Nzg5MA","time":1800000000,` +
	`"signature":"MEUCIQDx2Y7mJf1b5oKp3vBfQ8Zr5e6Ww0p8kq3hYxN2mJ4aPQIgVb6s0Yc1ZrX9tq8e3uHf7kLmN2pQ4rS6tU8vW0xY2zA"}`

func BenchmarkDecodeStrictJSONAnswer(b *testing.B) {
	body := []byte(benchAnswerBody)
	b.ReportAllocs()
	for b.Loop() {
		var a protocol.AnswerRequest
		if err := DecodeStrictJSON(body, &a); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadBodyAndMediaType(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/device/v1/mobile-auth/answer", strings.NewReader(benchAnswerBody))
		r.Header.Set("Content-Type", "application/json")
		if MediaType(r) != "application/json" {
			b.Fatal("media type")
		}
		if _, err := ReadBody(&discardWriter{h: http.Header{}}, r, protocol.MaxRequestBody); err != nil {
			b.Fatal(err)
		}
	}
}
