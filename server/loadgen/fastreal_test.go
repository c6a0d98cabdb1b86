package loadgen_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server/loadgen"
)

// The fast client against a real token server on loopback: both load models
// succeed (every proof fresh, every answer signature accepted by the real
// server), and a wrong RP secret counts as an error of each transaction.
func TestRunSmokeFastClient(t *testing.T) {
	ts, hc, devs := startWithDevices(t)
	ctx := context.Background()
	fc, err := loadgen.NewFastClient(ts.URL, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer fc.Close()
	rp := loadgen.NewRP(ts.URL, hc, ts.APIClientID, ts.APIClientSecret)

	closed, err := loadgen.Run(ctx, rp, devs, loadgen.Plan{Fast: fc, Concurrency: 3, Count: 30, Duration: 20 * time.Second, Bound: true, Type: ts.OTPType})
	if err != nil {
		t.Fatal(err)
	}
	if closed.OK != 30 || closed.Errors != 0 || closed.P50 <= 0 {
		t.Fatalf("closed model: %s", closed)
	}
	open, err := loadgen.Run(ctx, rp, devs, loadgen.Plan{Fast: fc, Rate: 40, Duration: 500 * time.Millisecond, Type: ts.OTPType})
	if err != nil {
		t.Fatal(err)
	}
	if open.OK < 1 || open.Errors != 0 {
		t.Fatalf("open model: %s", open)
	}

	bad := loadgen.NewRP(ts.URL, hc, ts.APIClientID, "wrong-secret")
	rep, err := loadgen.Run(ctx, bad, devs, loadgen.Plan{Fast: fc, Concurrency: 1, Count: 3, Type: ts.OTPType})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK != 0 || rep.Errors != 3 || rep.ErrorKind["start request: HTTP 401 invalid_client"] != 3 {
		t.Fatalf("errors not counted by kind: %s %v", rep, rep.ErrorKind)
	}

	// answers signed by a key the server does not know are refused and
	// counted as errors, on both clients
	wrong, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	devs[1].EnrollKey = wrong
	for _, f := range []*loadgen.FastClient{fc, nil} {
		rep, err := loadgen.Run(ctx, rp, devs[1:], loadgen.Plan{Fast: f, Concurrency: 1, Count: 2, Type: ts.OTPType, Bound: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK != 0 || rep.Errors != 2 {
			t.Fatalf("wrongly signed answers (fast=%v): %s", f != nil, rep)
		}
		t.Logf("wrongly signed answers (fast=%v): %v", f != nil, rep.ErrorKind)
	}
}
