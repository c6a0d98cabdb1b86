package server_test

import (
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
)

// wantErr asserts err is a device API error with the given error string.
func wantErr(t *testing.T, err error, code string) *servertest.APIError {
	t.Helper()
	return servertest.WantError(t, err, code)
}

// wantRPErr asserts err is a relying-party error with the code.
func wantRPErr(t *testing.T, err error, status, code int) {
	t.Helper()
	var re *servertest.RPError
	if !errors.As(err, &re) || re.Status != status || re.Code != code {
		t.Fatalf("err = %v, want HTTP %d error_code %d", err, status, code)
	}
}

// newRequest creates a request (failing the test on error).
func newRequest(t *testing.T, ts *servertest.TestServer, p rp.CreateParams) (string, string) {
	t.Helper()
	if p.Message == "" {
		p.Message = "Log in to Example?"
	}
	id, otp, err := ts.CreateAuthRequest(ctx, p)
	if err != nil {
		t.Fatalf("create request: %v", err)
	}
	return id, otp
}

func status(t *testing.T, ts *servertest.TestServer, id string) string {
	t.Helper()
	tr, err := ts.Transaction(ctx, id)
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	return tr.Status
}

// listenOn listens on addr again (retrying briefly while the old socket closes).
func listenOn(t *testing.T, addr string) net.Listener {
	t.Helper()
	var err error
	for i := 0; i < 50; i++ {
		var ln net.Listener
		if ln, err = net.Listen("tcp", addr); err == nil {
			return ln
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("listen %s: %v", addr, err)
	return nil
}

func mkTemp() (string, error) { return os.MkdirTemp("", "oma-fuzz-") }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// asRPError is errors.As for a relying-party error answer.
func asRPError(err error, re **servertest.RPError) bool { return errors.As(err, re) }
