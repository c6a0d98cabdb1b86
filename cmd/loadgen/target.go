package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx" (drops the run's schema)

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/loadgen"
	"github.com/openmobileauth/oma/server/ratelimit"
)

// target is a server loadgen started for the run.
type target struct {
	url, apiClient, secret, otpType, userPrefix string
	close                                       func()
	pid                                         int // tokenserver subprocess, 0 when in-process
}

// loadUserPassword is the password of the users --serve creates.
const loadUserPassword = "loadgen-password"

// unlimited disables a rate limit (a negative rate; see server.Limits).
var unlimited = ratelimit.Limit{Rate: -1, Burst: 1}

// storeURLFor picks the store of --serve: a temporary SQLite file, an
// in-memory SQLite database, or a fresh schema in the PostgreSQL database of
// --store / OMA_TEST_POSTGRES_URL (dropped afterwards).
func storeURLFor(o *options) (storeURL string, cleanup func(), err error) {
	cleanup = func() {}
	switch o.serve {
	case "memory":
		return "sqlite::memory:", cleanup, nil
	case "sqlite":
		if o.store != "" {
			return o.store, cleanup, nil
		}
		dir, err := os.MkdirTemp("", "oma-loadgen-")
		if err != nil {
			return "", nil, err
		}
		return "sqlite:" + filepath.Join(dir, "oma.db"), func() { _ = os.RemoveAll(dir) }, nil
	}
	base := o.store
	if base == "" {
		base = os.Getenv("OMA_TEST_POSTGRES_URL")
	}
	if base == "" {
		return "", nil, errors.New("--serve postgres needs --store postgres://... or OMA_TEST_POSTGRES_URL (scripts/pg.sh sets it)")
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("bad postgres URL: %w", err)
	}
	q := u.Query()
	if q.Get("search_path") != "" {
		return base, cleanup, nil
	}
	schema := "loadgen_" + strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(protocol.RandomToken(6)))
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _ = db.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
	}, nil
}

// loadConfig is the server configuration of --serve: production defaults
// (argon2 costs, callback back-off, synchronous commits) except that the rate
// limits that a load test from one IP and one API client would hit are off,
// and several devices may enroll for one user.
func loadConfig(storeURL, addr string, logOut io.Writer) server.Config {
	return server.Config{
		ListenAddr: addr, PublicBaseURL: "http://" + addr, StoreURL: storeURL,
		LogLevel: "warn", LogOutput: logOut, Policy: server.PolicyMultiple,
		// The load generator's callback receiver listens on loopback.
		AllowPrivateEgress: true,
		Limits: server.Limits{
			ClaimPerClient: unlimited, ClaimPerIP: unlimited, LoginPerUser: unlimited, LoginPerIP: unlimited,
			CreatePerAPIClient: unlimited, RegisterPerIP: unlimited,
		},
	}
}

func startTarget(ctx context.Context, o *options, rcv *loadgen.Receiver, stderr io.Writer) (*target, error) {
	storeURL, cleanup, err := storeURLFor(o)
	if err != nil {
		return nil, err
	}
	if o.subprocess != "" {
		t, err := startSubprocess(ctx, o, storeURL, rcv, stderr)
		if err != nil {
			cleanup()
			return nil, err
		}
		inner := t.close
		t.close = func() { inner(); cleanup() }
		return t, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cleanup()
		return nil, err
	}
	srv, err := server.New(ctx, loadConfig(storeURL, ln.Addr().String(), stderr))
	if err != nil {
		_ = ln.Close()
		cleanup()
		return nil, err
	}
	t, err := provision(ctx, srv.Admin(), o.devices, rcv)
	if err != nil {
		_ = srv.Close()
		_ = ln.Close()
		cleanup()
		return nil, err
	}
	sctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(sctx, ln); err != nil {
			fmt.Fprintln(stderr, "loadgen: server:", err)
		}
	}()
	t.url = "http://" + ln.Addr().String()
	t.close = func() {
		stop()
		<-done
		cleanup()
	}
	fmt.Fprintf(stderr, "loadgen: in-process server on %s, store %s\n", t.url, redactURL(storeURL))
	return t, nil
}

// provision seeds the demo data, creates one user per device and allows the
// callback receiver's URI.
func provision(ctx context.Context, a *server.Admin, devices int, rcv *loadgen.Receiver) (*target, error) {
	seed, err := a.SeedDemo(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.SetPolicy(ctx, server.PolicyMultiple); err != nil {
		return nil, err
	}
	t := &target{apiClient: seed.APIClientID, secret: seed.APIClientSecret, otpType: seed.OTPType, userPrefix: "loadgen-"}
	for i := 0; i < devices; i++ {
		if _, err := a.CreateUser(ctx, fmt.Sprintf("%s%d", t.userPrefix, i), loadUserPassword); err != nil && !isExists(err) {
			return nil, err
		}
	}
	if rcv != nil {
		if err := a.AddCallbackURIs(ctx, seed.APIClientID, rcv.URL); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func isExists(err error) bool { return err != nil && strings.Contains(err.Error(), "already exists") }

// redactURL drops a password from a store URL for printing.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxx")
	}
	return u.String()
}
