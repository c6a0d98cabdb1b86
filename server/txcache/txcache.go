package txcache

import (
	"crypto/ecdsa"
	"sync"
	"time"

	"github.com/openmobileauth/oma/server/store"
)

// Cache is a bounded in-memory write-through cache of authentication
// requests (transactions) and enrollments, shared by the device and
// relying-party handlers of one server instance.
//
// It holds only what cannot change once written, plus what this instance
// itself decided:
//
//   - a transaction's immutable fields (id, OTP hash, API client, type,
//     message, callback URI, bound user, created/expires at);
//   - the claim this instance committed (nonce, claiming enrollment);
//   - the final answer this instance committed (accepted or denied, the
//     answering time and user) — final states never change;
//   - enrollments: rows that never change but may be deleted
//     (deregistration, override policy, PIN failures), so a cached
//     enrollment is only a hint: every write that relies on one checks in
//     the same statement that it still exists.
//
// Every mutable condition (pending/claimed status, expiry at the database's
// now, the enrollment's existence, the proof's jti) is still decided by the
// store's conditional statements; a miss, or any doubt, takes the read path.
//
// The cache keeps two generations of at most max/2 entries each (a new one
// starts when the current one is full, dropping the older), so it is bounded
// without scanning; a transaction is not returned once it is more than the
// margin past its expiry (the margin is kept well below the store's history
// retention, so a cached final state never outlives the stored row).
type Cache struct {
	mu       sync.Mutex
	half     int
	margin   int64 // ms
	cur, old txGen
	enrCur   map[string]*Enrollment
	enrOld   map[string]*Enrollment
}

type txGen struct {
	byID  map[string]*Entry
	byOTP map[string]*Entry
}

func newTxGen(n int) txGen {
	return txGen{byID: make(map[string]*Entry, n), byOTP: make(map[string]*Entry, n)}
}

// Enrollment is an enrollment with its parsed public key. It is shared
// between goroutines and never modified after it is stored.
type Enrollment struct {
	store.Enrollment
	Pub *ecdsa.PublicKey
}

// Entry is a copy of a cached transaction.
type Entry struct {
	ID          string
	OTPHash     string
	APIClientID string
	Type        string
	Message     string
	CallbackURI string
	BoundUserID string
	CreatedAt   int64 // unix ms
	ExpiresAt   int64 // unix ms
	Extras      string

	// Status is "" while this instance knows of no claim, store.StatusClaimed
	// after this instance's claim committed, and store.StatusAccepted or
	// store.StatusDenied after this instance's answer committed.
	Status     string
	Nonce      string      // this instance's claim
	Enrollment *Enrollment // the claiming enrollment (this instance's claim)
	UserID     string      // the claiming user
	AnsweredAt int64       // unix ms, with a final Status
}

// Final reports whether this instance recorded the answer (accepted or
// denied, which never change).
func (c *Entry) Final() bool {
	return c.Status == store.StatusAccepted || c.Status == store.StatusDenied
}

// Transaction returns the cached facts as a store row (fields this instance
// does not know are empty).
func (c *Entry) Transaction() store.Transaction {
	x := store.Transaction{ID: c.ID, OTPHash: c.OTPHash, APIClientID: c.APIClientID, Type: c.Type, Message: c.Message,
		CallbackURI: c.CallbackURI, BoundUserID: c.BoundUserID, Status: c.Status, Nonce: c.Nonce, UserID: c.UserID,
		CreatedAt: c.CreatedAt, ExpiresAt: c.ExpiresAt, AnsweredAt: c.AnsweredAt, Extras: c.Extras}
	if x.Status == "" {
		x.Status = store.StatusPending
	}
	if c.Enrollment != nil {
		x.ProfileID, x.EnrollmentID = c.Enrollment.ProfileID, c.Enrollment.ID
	}
	return x
}

// Default bounds of the cache built by New's callers.
const (
	DefaultEntries = 32768
	// DefaultMargin is how long past its expiry a transaction stays
	// visible (its final state may still be fetched); New callers
	// keep it below the history retention.
	DefaultMargin = time.Minute
)

// New returns a cache of at most max transactions (and max
// enrollments), each visible until margin past its expiry.
func New(max int, margin time.Duration) *Cache {
	if max < 2 {
		max = 2
	}
	c := &Cache{half: max / 2, margin: margin.Milliseconds()}
	c.cur, c.old = newTxGen(0), newTxGen(0)
	c.enrCur, c.enrOld = map[string]*Enrollment{}, map[string]*Enrollment{}
	return c
}

// Len is the number of transactions held (both generations).
func (c *Cache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cur.byID) + len(c.old.byID)
}

// insert adds e to the current generation (c.mu held), starting a new one
// when it is full.
func (c *Cache) insert(e *Entry) {
	if len(c.cur.byID) >= c.half {
		c.old = c.cur
		c.cur = newTxGen(c.half)
	}
	c.cur.byID[e.ID] = e
	c.cur.byOTP[e.OTPHash] = e
}

// find returns the entry of id (c.mu held).
func (c *Cache) find(id string) *Entry {
	if e := c.cur.byID[id]; e != nil {
		return e
	}
	return c.old.byID[id]
}

// remove drops e from both generations (c.mu held).
func (c *Cache) remove(e *Entry) {
	removeFrom(c.cur, e)
	removeFrom(c.old, e)
}

func removeFrom(g txGen, e *Entry) {
	if g.byID[e.ID] == e {
		delete(g.byID, e.ID)
	}
	if g.byOTP[e.OTPHash] == e {
		delete(g.byOTP, e.OTPHash)
	}
}

// live returns a copy of e unless it is past expiry + margin (then it is
// dropped). c.mu held.
func (c *Cache) live(e *Entry, now int64) (Entry, bool) {
	if e == nil {
		return Entry{}, false
	}
	if now > e.ExpiresAt+c.margin {
		c.remove(e)
		return Entry{}, false
	}
	return *e, true
}

// Put caches the immutable fields of x (a transaction just created, or read
// from the store). An entry already present is kept: it may hold this
// instance's claim or answer.
func (c *Cache) Put(x store.Transaction) {
	if c == nil || x.ID == "" || x.OTPHash == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.find(x.ID) != nil {
		return
	}
	c.insert(immutable(x))
}

func immutable(x store.Transaction) *Entry {
	return &Entry{ID: x.ID, OTPHash: x.OTPHash, APIClientID: x.APIClientID, Type: x.Type, Message: x.Message,
		CallbackURI: x.CallbackURI, BoundUserID: x.BoundUserID, CreatedAt: x.CreatedAt, ExpiresAt: x.ExpiresAt, Extras: x.Extras}
}

// ByID returns transaction id if cached and not past expiry + margin (now
// in unix ms, the expiry clock).
func (c *Cache) ByID(id string, now int64) (Entry, bool) {
	if c == nil {
		return Entry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live(c.find(id), now)
}

// ByOTP returns the transaction with the OTP hash, as ByID.
func (c *Cache) ByOTP(otpHash string, now int64) (Entry, bool) {
	if c == nil {
		return Entry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.cur.byOTP[otpHash]
	if e == nil {
		e = c.old.byOTP[otpHash]
	}
	return c.live(e, now)
}

// Claimed records that this instance's claim of x committed, with nonce and
// the claiming enrollment e.
func (c *Cache) Claimed(x store.Transaction, nonce string, e *Enrollment) {
	if c == nil || e == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.find(x.ID)
	n := immutable(x)
	if old != nil {
		*n = *old
		c.remove(old)
	}
	n.Status, n.Nonce, n.Enrollment, n.UserID = store.StatusClaimed, nonce, e, e.UserID
	c.insert(n)
}

// Answered records that this instance's answer of x committed with the
// final status at answeredAt (x.UserID is the claiming user). A final state
// already recorded is kept (final states never change).
func (c *Cache) Answered(x store.Transaction, status string, answeredAt int64) {
	if c == nil || x.ID == "" || (status != store.StatusAccepted && status != store.StatusDenied) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Replace rather than modify: copies handed out stay as they were.
	n := immutable(x)
	n.UserID = x.UserID
	if e := c.find(x.ID); e != nil {
		if e.Final() {
			return
		}
		*n = *e
		if n.UserID == "" {
			n.UserID = x.UserID
		}
		c.remove(e)
	}
	n.Status, n.AnsweredAt = status, answeredAt
	c.insert(n)
}

// Forget drops transaction id (after a conditional write based on it was
// refused: the store's state is not what this instance recorded).
func (c *Cache) Forget(id string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.find(id); e != nil {
		c.remove(e)
	}
}

func enrKey(profileID, clientID string) string { return profileID + "\x00" + clientID }

// PutEnrollment caches e as the enrollment of its profile on its client.
func (c *Cache) PutEnrollment(e *Enrollment) {
	if c == nil || e == nil || e.Pub == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := enrKey(e.ProfileID, e.ClientID)
	delete(c.enrOld, k)
	if len(c.enrCur) >= c.half {
		c.enrOld = c.enrCur
		c.enrCur = make(map[string]*Enrollment, c.half)
	}
	c.enrCur[k] = e
}

// Enrollment returns the cached enrollment of profileID on clientID. It may
// have been deleted since: see Cache.
func (c *Cache) Enrollment(profileID, clientID string) (*Enrollment, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := enrKey(profileID, clientID)
	if e := c.enrCur[k]; e != nil {
		return e, true
	}
	e := c.enrOld[k]
	return e, e != nil
}

// ForgetEnrollment drops the cached enrollment of profileID on clientID.
func (c *Cache) ForgetEnrollment(profileID, clientID string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := enrKey(profileID, clientID)
	delete(c.enrCur, k)
	delete(c.enrOld, k)
}
