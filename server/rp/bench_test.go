package rp

import (
	"net/http"
	"testing"

	"github.com/openmobileauth/oma/server/httpio"
)

// BenchmarkParseCreateForm is the create body the load generator sends.
func BenchmarkParseCreateForm(b *testing.B) {
	body := []byte("type=demo&message=Log+in+to+Example+Shop+%231234&user_id=loadgen-user-7")
	b.ReportAllocs()
	for b.Loop() {
		if _, e := ParseCreate("application/x-www-form-urlencoded", body); e != nil {
			b.Fatal(e)
		}
	}
}

type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

func BenchmarkWriteTransaction(b *testing.B) {
	t := Transaction{TransactionID: "dHJhbnNhY3Rpb24taWQtMTIzNDU2", CallbackURI: "https://shop.example/cb", Timestamp: 1_800_000_000_000,
		UserID: "loadgen-user-7", IsAuthenticated: true, AuthenticationMethod: AuthMethod, Status: "accepted"}
	b.ReportAllocs()
	for b.Loop() {
		httpio.WriteJSON(&discard{h: http.Header{}}, http.StatusOK, t)
	}
}
