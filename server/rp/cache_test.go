package rp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/openmobileauth/oma/core/protocol"
	"github.com/openmobileauth/oma/server"
	"github.com/openmobileauth/oma/server/httpio"
	"github.com/openmobileauth/oma/server/rp"
	"github.com/openmobileauth/oma/server/servertest"
	"github.com/openmobileauth/oma/server/store"
)

// stores runs fn against SQLite and, when OMA_TEST_POSTGRES_URL is set, PostgreSQL.
func stores(t *testing.T, fn func(t *testing.T, o servertest.Options)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, servertest.Options{}) })
	t.Run("postgres", func(t *testing.T) {
		u, ok := servertest.PostgresStoreURL(t)
		if !ok {
			t.Skip("OMA_TEST_POSTGRES_URL not set")
		}
		fn(t, servertest.Options{StoreURL: u})
	})
}

// get fetches path with the given Basic credentials.
func get(t *testing.T, ts *servertest.TestServer, path, id, secret string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		b.WriteString(sc.Text())
		b.WriteByte('\n')
	}
	return resp.StatusCode, []byte(b.String())
}

// TestFetchFromCache: the final state this instance recorded is served from
// its cache (no statement), with the same JSON as from the store, and only
// to the API client that created the request.
func TestFetchFromCache(t *testing.T) {
	stores(t, func(t *testing.T, o servertest.Options) {
		ts := servertest.Start(t, o)
		ctx := context.Background()
		if _, err := ts.Server.Admin().CreateAPIClient(ctx, server.APIClientSpec{ID: "other-rp", Secret: "other-rp-secret-0123456789abcdefghij"}); err != nil {
			t.Fatal(err)
		}
		d := ts.Enrolled(ts.DemoUser, ts.DemoPassword, "13579")
		id, otp, err := ts.CreateAuthRequest(ctx, rp.CreateParams{Message: "Log in?", UserID: ts.DemoUserID})
		if err != nil {
			t.Fatal(err)
		}
		c, err := d.Claim(otp)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Answer(d.SignedAnswer(c, protocol.DecisionDeny, nil)); err != nil {
			t.Fatal(err)
		}
		// Warm the other client's credentials cache, then count statements.
		get(t, ts, rp.PathTransaction+"none", "other-rp", "other-rp-secret-0123456789abcdefghij")
		var n atomic.Int32
		store.ObserveStatements(ts.Server.Store(), func(q string) {
			if !strings.Contains(q, "FROM outbox") && !strings.Contains(q, "FROM api_clients") {
				n.Add(1)
			}
		})
		defer store.ObserveStatements(ts.Server.Store(), nil)

		st, cached := get(t, ts, rp.PathTransaction+id, ts.APIClientID, ts.APIClientSecret)
		if st != http.StatusOK || n.Load() != 0 {
			t.Fatalf("owner's fetch: HTTP %d, %d statements (want 200 from the cache): %s", st, n.Load(), cached)
		}
		if st, _ := get(t, ts, rp.PathTransaction+id+"?wait=10", ts.APIClientID, ts.APIClientSecret); st != http.StatusOK || n.Load() != 0 {
			t.Fatalf("owner's long poll: HTTP %d, %d statements", st, n.Load())
		}
		st, body := get(t, ts, rp.PathTransaction+id, "other-rp", "other-rp-secret-0123456789abcdefghij")
		var e httpio.RPError
		if st != http.StatusNotFound || json.Unmarshal(body, &e) != nil || e.Code != httpio.RPCodeNotFound {
			t.Fatalf("another API client's fetch of a cached request: HTTP %d %s", st, body)
		}
		if st, body := get(t, ts, rp.PathTransaction+id+"/events", "other-rp", "other-rp-secret-0123456789abcdefghij"); st != http.StatusNotFound {
			t.Fatalf("another API client's event stream of a cached request: HTTP %d %s", st, body)
		}
		st, events := get(t, ts, rp.PathTransaction+id+"/events", ts.APIClientID, ts.APIClientSecret)
		if st != http.StatusOK || !strings.Contains(string(events), `"status":"denied"`) {
			t.Fatalf("owner's event stream: HTTP %d %s", st, events)
		}

		// The same answer from the store (a second instance without the
		// cache entry) has the same JSON.
		o.StoreURL = ts.StoreURL
		ts2 := servertest.Start(t, o)
		store.ObserveStatements(ts.Server.Store(), nil)
		st, stored := get(t, ts2, rp.PathTransaction+id, ts.APIClientID, ts.APIClientSecret)
		if st != http.StatusOK || string(stored) != string(cached) {
			t.Fatalf("from the store: HTTP %d\n%s\nfrom the cache:\n%s", st, stored, cached)
		}
		var tr rp.Transaction
		if err := json.Unmarshal(cached, &tr); err != nil || tr.Status != "denied" || tr.IsAuthenticated || tr.UserID != "" ||
			tr.NotAuthenticatedReason.Reason != "not_accepted" || tr.Timestamp != ts.Clock.Now().UnixMilli() {
			t.Fatalf("cached answer: %+v %v", tr, err)
		}
	})
}
