package demo

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

const (
	cookieName   = "oma_demo_session"
	sessionIdle  = 2 * time.Hour
	maxSessions  = 10000
	maxTxPerSess = 64
)

// Kinds of transactions the page starts.
const (
	kindLogin   = "login"
	kindPayment = "payment"
)

// tx is what a session remembers of a transaction it started. The OTP itself
// is not kept: the browser got it once.
type tx struct {
	id         string
	kind       string
	userID     string // the bound user of a payment
	expiresAt  time.Time
	status     string
	answeredBy string
}

// session is one browser's state: the user it logged in and its transactions.
type session struct {
	id       string
	userID   string
	lastSeen time.Time
	txs      map[string]*tx
	order    []string
}

// sessions is the in-memory session store. A demo keeps its sessions in
// memory; a restart logs everyone out.
type sessions struct {
	mu     sync.Mutex
	m      map[string]*session
	now    func() time.Time
	secure bool
}

func newSessions(now func() time.Time, secure bool) *sessions {
	return &sessions{m: map[string]*session{}, now: now, secure: secure}
}

// get returns the request's session, creating one (and setting its cookie)
// when create is true.
func (s *sessions) get(w http.ResponseWriter, r *http.Request, create bool) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if c, err := r.Cookie(cookieName); err == nil {
		if ss, ok := s.m[c.Value]; ok && now.Sub(ss.lastSeen) < sessionIdle {
			ss.lastSeen = now
			return ss
		}
	}
	if !create {
		return nil
	}
	s.gcLocked(now)
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	ss := &session{id: hex.EncodeToString(b), lastSeen: now, txs: map[string]*tx{}}
	s.m[ss.id] = ss
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: ss.id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.secure,
	})
	return ss
}

// gcLocked drops idle sessions, and the oldest ones beyond maxSessions.
func (s *sessions) gcLocked(now time.Time) {
	for id, ss := range s.m {
		if now.Sub(ss.lastSeen) >= sessionIdle {
			delete(s.m, id)
		}
	}
	for len(s.m) >= maxSessions {
		var oldest *session
		for _, ss := range s.m {
			if oldest == nil || ss.lastSeen.Before(oldest.lastSeen) {
				oldest = ss
			}
		}
		delete(s.m, oldest.id)
	}
}

// addTx remembers t in ss, forgetting the oldest beyond maxTxPerSess.
func (s *sessions) addTx(ss *session, t *tx) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss.txs[t.id] = t
	ss.order = append(ss.order, t.id)
	for len(ss.order) > maxTxPerSess {
		delete(ss.txs, ss.order[0])
		ss.order = ss.order[1:]
	}
}

// lookupTx returns a copy of the transaction id of ss, if ss started it.
func (s *sessions) lookupTx(ss *session, id string) (tx, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := ss.txs[id]
	if !ok {
		return tx{}, false
	}
	return *t, true
}

// user returns the logged-in user of ss.
func (s *sessions) user(ss *session) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ss.userID
}

// logout forgets the logged-in user of ss.
func (s *sessions) logout(ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss.userID = ""
}

// record stores a transaction's new status; an accepted login logs its user in.
func (s *sessions) record(ss *session, id, status, userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := ss.txs[id]
	if !ok {
		return
	}
	t.status = status
	if status == StatusAccepted {
		t.answeredBy = userID
		if t.kind == kindLogin && userID != "" {
			ss.userID = userID
		}
	}
}
