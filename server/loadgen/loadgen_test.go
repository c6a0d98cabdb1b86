package loadgen_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/loadgen"
	"github.com/openmobileauth/oma/server/ratelimit"
	"github.com/openmobileauth/oma/server/servertest"
)

func start(t *testing.T) *servertest.TestServer {
	off := ratelimit.Limit{Rate: -1}
	ts := servertest.Start(t, servertest.Options{Policy: server.PolicyMultiple, Config: func(c *server.Config) {
		c.LogLevel = "warn"
		c.Limits = server.Limits{ClaimPerClient: off, ClaimPerIP: off, LoginPerUser: off, LoginPerIP: off, CreatePerAPIClient: off, RegisterPerIP: off}
	}})
	ts.CreateUser("lg-0", "password-0")
	ts.CreateUser("lg-1", "password-1")
	return ts
}

func users(i int) (string, string) {
	if i%2 == 0 {
		return "lg-0", "password-0"
	}
	return "lg-1", "password-1"
}

// startWithDevices starts a server and sets up two enrolled devices (users
// lg-0 and lg-1) through the real protocol.
func startWithDevices(t *testing.T) (*servertest.TestServer, *http.Client, []*loadgen.Device) {
	t.Helper()
	ts := start(t)
	hc := loadgen.NewHTTPClient(8, 10*time.Second)
	devs, err := loadgen.SetupDevices(context.Background(), ts.URL, hc, 2, 2, users, "97531")
	if err != nil {
		t.Fatal(err)
	}
	return ts, hc, devs
}

// A smoke run of both load models with tiny numbers: every transaction is a
// real create/claim/answer/fetch against a real server and must succeed. No
// throughput is asserted (that is cmd/loadgen's job, on an idle machine).
func TestRunSmoke(t *testing.T) {
	ts, hc, devs := startWithDevices(t)
	ctx := context.Background()
	if devs[0].UserID != "lg-0" || devs[1].UserID != "lg-1" || devs[0].Enrollment == "" {
		t.Fatalf("devices not set up as asked: %+v %+v", devs[0], devs[1])
	}
	rp := loadgen.NewRP(ts.URL, hc, ts.APIClientID, ts.APIClientSecret)

	closed, err := loadgen.Run(ctx, rp, devs, loadgen.Plan{Concurrency: 3, Count: 24, Duration: 20 * time.Second, Bound: true, Type: ts.OTPType})
	if err != nil {
		t.Fatal(err)
	}
	if closed.OK != 24 || closed.Errors != 0 || closed.Model != "closed" || closed.P50 <= 0 || closed.P99 < closed.P50 || closed.Max < closed.P99 {
		t.Fatalf("closed model: %s", closed)
	}

	open, err := loadgen.Run(ctx, rp, devs, loadgen.Plan{Rate: 40, Duration: 500 * time.Millisecond, Type: ts.OTPType})
	if err != nil {
		t.Fatal(err)
	}
	if open.OK < 1 || open.Errors != 0 || open.Model != "open" {
		t.Fatalf("open model: %s", open)
	}
	t.Logf("closed:\n%s\nopen:\n%s", closed, open)
}

// A failing transaction is counted as an error by kind, not as a success.
func TestRunCountsErrors(t *testing.T) {
	ts := start(t)
	ctx := context.Background()
	hc := loadgen.NewHTTPClient(4, 10*time.Second)
	devs, err := loadgen.SetupDevices(ctx, ts.URL, hc, 1, 1, users, "97531")
	if err != nil {
		t.Fatal(err)
	}
	bad := loadgen.NewRP(ts.URL, hc, ts.APIClientID, "wrong-secret")
	rep, err := loadgen.Run(ctx, bad, devs, loadgen.Plan{Concurrency: 1, Count: 3, Type: ts.OTPType})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK != 0 || rep.Errors != 3 || rep.ErrorKind["start request: HTTP 401 invalid_client"] != 3 {
		t.Fatalf("errors not counted by kind: %s %v", rep, rep.ErrorKind)
	}
}

// A wrong password at the login form is an error, not a device.
func TestSetupWrongPassword(t *testing.T) {
	ts := start(t)
	hc := loadgen.NewHTTPClient(2, 10*time.Second)
	_, err := loadgen.SetupDevices(context.Background(), ts.URL, hc, 1, 1, func(int) (string, string) { return "lg-0", "not-the-password" }, "97531")
	var he *loadgen.HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusOK {
		t.Fatalf("want the login form shown again (HTTP 200) as an error, got %v", err)
	}
}

// The receiver counts signed deliveries and refuses bad signatures.
func TestReceiverSignatures(t *testing.T) {
	ts := start(t)
	rcv, err := loadgen.NewReceiver()
	if err != nil {
		t.Fatal(err)
	}
	defer rcv.Close()
	ts.AllowCallback(rcv.URL)
	rcv.RequireSignature(ts.CallbackKey)
	ctx := context.Background()
	hc := loadgen.NewHTTPClient(4, 10*time.Second)
	devs, err := loadgen.SetupDevices(ctx, ts.URL, hc, 1, 1, users, "97531")
	if err != nil {
		t.Fatal(err)
	}
	rp := loadgen.NewRP(ts.URL, hc, ts.APIClientID, ts.APIClientSecret)
	rcv.FailNext(1) // the first delivery is refused and retried
	id, err := loadgen.Transaction(ctx, rp, devs[0], &loadgen.Plan{Type: ts.OTPType, Message: "with callback", CallbackURI: rcv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if missing := rcv.WaitFor([]string{id}, 10*time.Second); len(missing) != 0 {
		t.Fatalf("callback not delivered (attempts %d)", rcv.Attempts())
	}
	if rcv.Attempts() < 2 || rcv.BadBodies() != 0 {
		t.Fatalf("attempts %d (want a retry), bad %d", rcv.Attempts(), rcv.BadBodies())
	}
	rcv.RequireSignature("another-secret")
	id2, err := loadgen.Transaction(ctx, rp, devs[0], &loadgen.Plan{Type: ts.OTPType, Message: "wrong key", CallbackURI: rcv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if missing := rcv.WaitFor([]string{id2}, 300*time.Millisecond); len(missing) != 1 || rcv.BadBodies() == 0 {
		t.Fatalf("a callback signed with another secret was accepted")
	}
}
