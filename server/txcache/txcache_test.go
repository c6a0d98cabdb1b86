package txcache

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/openmobileauth/oma/server/store"
)

func cacheTx(i int, exp int64) store.Transaction {
	return store.Transaction{ID: fmt.Sprintf("t%d", i), OTPHash: fmt.Sprintf("h%d", i), APIClientID: "rp", Type: "login",
		Message: "m", CallbackURI: "https://rp/cb", BoundUserID: "bob", Status: store.StatusPending, CreatedAt: 1, ExpiresAt: exp}
}

func cacheEnr(t testing.TB, profile, client string) *Enrollment {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &Enrollment{Enrollment: store.Enrollment{ID: "e-" + profile, ProfileID: profile, ClientID: client, UserID: "bob"}, Pub: &k.PublicKey}
}

func TestTxCacheLifecycle(t *testing.T) {
	c := New(100, time.Second)
	x := cacheTx(1, 10_000)
	c.Put(x)
	got, ok := c.ByOTP("h1", 5)
	if !ok || got.ID != "t1" || got.Message != "m" || got.BoundUserID != "bob" || got.Status != "" || got.Final() {
		t.Fatalf("ByOTP = %+v %v", got, ok)
	}
	if tr := got.Transaction(); tr.Status != store.StatusPending || tr.ExpiresAt != 10_000 || tr.CallbackURI != "https://rp/cb" {
		t.Fatalf("Transaction() = %+v", tr)
	}
	// Only final states are recorded as answers.
	c.Answered(x, store.StatusClaimed, 7)
	if got, _ := c.ByID("t1", 5); got.Status != "" {
		t.Fatalf("non-final answer recorded: %+v", got)
	}
	e := cacheEnr(t, "p", "cl")
	c.Claimed(x, "nonce", e)
	got, ok = c.ByID("t1", 5)
	if !ok || got.Status != store.StatusClaimed || got.Nonce != "nonce" || got.Enrollment != e || got.UserID != "bob" || got.Final() {
		t.Fatalf("after claim: %+v %v", got, ok)
	}
	// A later Put (a read of the same row) keeps the claim record.
	c.Put(x)
	if got, _ := c.ByOTP("h1", 5); got.Status != store.StatusClaimed {
		t.Fatalf("Put dropped the claim: %+v", got)
	}
	c.Answered(x, store.StatusDenied, 8)
	got, _ = c.ByID("t1", 5)
	if got.Status != store.StatusDenied || got.AnsweredAt != 8 || !got.Final() || got.Transaction().EnrollmentID != "e-p" {
		t.Fatalf("after answer: %+v", got)
	}
	// Final states do not change.
	c.Answered(x, store.StatusAccepted, 9)
	if got, _ := c.ByID("t1", 5); got.Status != store.StatusDenied || got.AnsweredAt != 8 {
		t.Fatalf("final state changed: %+v", got)
	}
	// Visible until expiry + margin, then gone.
	if _, ok := c.ByID("t1", 11_000); !ok {
		t.Fatal("gone before expiry + margin")
	}
	if _, ok := c.ByID("t1", 11_001); ok {
		t.Fatal("visible after expiry + margin")
	}
	if _, ok := c.ByOTP("h1", 5); ok || c.Len() != 0 {
		t.Fatalf("expired entry not dropped (len %d)", c.Len())
	}
	// An answer recorded without this instance's claim (claimed elsewhere).
	y := cacheTx(3, 10_000)
	y.UserID = "bob"
	c.Answered(y, store.StatusAccepted, 9)
	if got, ok := c.ByOTP("h3", 5); !ok || !got.Final() || got.UserID != "bob" || got.AnsweredAt != 9 || got.Enrollment != nil {
		t.Fatalf("answer without claim: %+v %v", got, ok)
	}
	// Forget.
	c.Put(cacheTx(2, 10_000))
	c.Forget("t2")
	if _, ok := c.ByOTP("h2", 5); ok {
		t.Fatal("forgotten entry still found by OTP")
	}
	// A nil cache is a cache that never hits.
	var nc *Cache
	nc.Put(x)
	nc.Claimed(x, "n", e)
	nc.PutEnrollment(e)
	if _, ok := nc.ByID("t1", 0); ok || nc.Len() != 0 {
		t.Fatal("nil cache hit")
	}
	if _, ok := nc.Enrollment("p", "cl"); ok {
		t.Fatal("nil cache hit")
	}
}

func TestTxCacheBounded(t *testing.T) {
	c := New(10, time.Minute)
	for i := 0; i < 1000; i++ {
		c.Put(cacheTx(i, 1e12))
		if n := c.Len(); n > 10 {
			t.Fatalf("len %d > 10 after %d puts", n, i+1)
		}
	}
	// The most recent entries are there, the oldest are not.
	if _, ok := c.ByID("t999", 0); !ok {
		t.Fatal("newest entry evicted")
	}
	if _, ok := c.ByOTP("h994", 0); !ok {
		t.Fatal("recent entry evicted")
	}
	if _, ok := c.ByID("t0", 0); ok {
		t.Fatal("oldest entry kept")
	}
	for i := 0; i < 1000; i++ {
		c.PutEnrollment(cacheEnr(t, fmt.Sprintf("p%d", i), "cl"))
	}
	n := len(c.enrCur) + len(c.enrOld)
	if n > 10 {
		t.Fatalf("enrollments held: %d > 10", n)
	}
	if _, ok := c.Enrollment("p999", "cl"); !ok {
		t.Fatal("newest enrollment evicted")
	}
	c.ForgetEnrollment("p999", "cl")
	if _, ok := c.Enrollment("p999", "cl"); ok {
		t.Fatal("forgotten enrollment found")
	}
	if _, ok := c.Enrollment("p998", "other"); ok {
		t.Fatal("enrollment found for another client")
	}
}

// TestTxCacheConcurrent exercises every operation from many goroutines
// (meaningful under -race).
func TestTxCacheConcurrent(t *testing.T) {
	c := New(64, time.Second)
	e := cacheEnr(t, "p", "cl")
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				x := cacheTx(g*10000+i, 10_000)
				c.Put(x)
				if got, ok := c.ByOTP(x.OTPHash, 1); ok && got.ID != x.ID {
					t.Errorf("ByOTP(%s) = %s", x.OTPHash, got.ID)
				}
				c.Claimed(x, "n", e)
				c.Answered(x, store.StatusAccepted, 2)
				if got, ok := c.ByID(x.ID, 1); ok && got.Status != store.StatusAccepted && got.Status != store.StatusClaimed {
					t.Errorf("status %q", got.Status)
				}
				c.PutEnrollment(e)
				c.Enrollment("p", "cl")
				if i%7 == 0 {
					c.Forget(x.ID)
					c.ForgetEnrollment("p", "cl")
				}
				if c.Len() > 64 {
					t.Errorf("len %d", c.Len())
				}
			}
		}(g)
	}
	wg.Wait()
}
