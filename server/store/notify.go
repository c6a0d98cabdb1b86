package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notifier tells the other server instances on one PostgreSQL database
// that a transaction changed (claimed, answered), so their long polls and
// event streams wake at once instead of at their next poll: PostgreSQL
// LISTEN/NOTIFY on a channel named after the schema.
//
// Publish is off the request path: ids queue in memory and a publisher
// sends whatever accumulated in one statement (pg_notify over an array), so
// a busy server sends one NOTIFY statement per round trip, not one per
// answer. A full queue drops ids (the waiters' periodic re-read still sees
// the change). Run listens on a dedicated connection and reconnects after
// a failure; notifications sent while it was away are lost, and the
// periodic re-read covers them too.
//
// Instances announce themselves on the channel (a "peer:" payload right
// after LISTEN, every peerHeartbeat, and at once to a peer heard for the
// first time), and Publish sends nothing while no other instance has been
// heard within peerTTL: a lone instance's waiters are woken by Hub.Notify
// in process, and a NOTIFY only it listens to would cost a durable
// PostgreSQL commit per batch for nothing (issue 12). An instance that has
// just started may miss the ids published before its announcement arrives;
// its periodic re-read covers them, as for any lost notification.
type Notifier struct {
	s       *sqlStore
	channel string
	queue   chan string
	onID    func(id string)
	onErr   func(error)

	self      string        // this instance's announcement payload
	announce  chan struct{} // ask the publisher to announce now
	peerUntil atomic.Int64  // unix nanos until which another instance counts as present
	mu        sync.Mutex
	peers     map[string]time.Time // announcement payload -> last heard
}

const (
	peerPrefix    = "peer:"
	peerHeartbeat = 10 * time.Second
	peerTTL       = 3 * peerHeartbeat
)

// NewNotifier returns a Notifier for a PostgreSQL store (ok false for
// SQLite, where one instance owns the database). onID is called with every
// id notified by any instance, this one included; onErr with connection
// errors (logging).
func NewNotifier(s Store, onID func(id string), onErr func(error)) (*Notifier, bool) {
	st, ok := s.(*sqlStore)
	if !ok || !st.d.dollar || st.pgURL == "" {
		return nil, false
	}
	ch := "oma_tx"
	if u, err := url.Parse(st.pgURL); err == nil {
		if sp := u.Query().Get("search_path"); sp != "" {
			ch += "_" + sp // validated as one lower-case identifier by Open
		}
	}
	var rnd [16]byte
	_, _ = rand.Read(rnd[:])
	return &Notifier{
		s: st, channel: ch, queue: make(chan string, 4096), onID: onID, onErr: onErr,
		self: peerPrefix + hex.EncodeToString(rnd[:]), announce: make(chan struct{}, 1),
		peers: map[string]time.Time{},
	}, true
}

// HasPeers reports whether another instance announced itself within peerTTL.
func (n *Notifier) HasPeers() bool { return time.Now().UnixNano() < n.peerUntil.Load() }

// Publish queues id for the other instances (never blocks); nothing is
// queued while no other instance is known (HasPeers).
func (n *Notifier) Publish(id string) {
	if !n.HasPeers() {
		return
	}
	select {
	case n.queue <- id:
	default:
	}
}

// Run publishes and listens until ctx ends.
func (n *Notifier) Run(ctx context.Context) {
	done := make(chan struct{})
	go func() { defer close(done); n.publish(ctx) }()
	n.listen(ctx)
	<-done
}

const notifyBatch = 256

func (n *Notifier) publish(ctx context.Context) {
	ids := make([]string, 0, notifyBatch)
	tick := time.NewTicker(peerHeartbeat)
	defer tick.Stop()
	for {
		ids = ids[:0]
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			ids = append(ids, n.self)
		case <-n.announce:
			ids = append(ids, n.self)
		case id := <-n.queue:
			ids = append(ids, id)
		}
	more:
		for len(ids) < notifyBatch {
			select {
			case id := <-n.queue:
				ids = append(ids, id)
			default:
				break more
			}
		}
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := n.s.writer.ExecContext(sctx, "SELECT pg_notify($1, x) FROM unnest(CAST($2 AS TEXT[])) AS x", n.channel, ids)
		cancel()
		if err != nil && ctx.Err() == nil && n.onErr != nil {
			n.onErr(err)
		}
	}
}

func (n *Notifier) listen(ctx context.Context) {
	for ctx.Err() == nil {
		err := n.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if n.onErr != nil {
			n.onErr(err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (n *Notifier) listenOnce(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.Connect(cctx, n.s.pgURL)
	cancel()
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{n.channel}.Sanitize()); err != nil {
		return err
	}
	n.announceNow() // listening: the other instances may now know us
	for {
		nt, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if strings.HasPrefix(nt.Payload, peerPrefix) {
			n.heard(nt.Payload)
			continue
		}
		n.onID(nt.Payload)
	}
}

func (n *Notifier) announceNow() {
	select {
	case n.announce <- struct{}{}:
	default:
	}
}

// heard records another instance's announcement; a peer heard for the
// first time (or again after peerTTL) gets our announcement at once.
func (n *Notifier) heard(peer string) {
	if peer == n.self {
		return
	}
	now := time.Now()
	n.mu.Lock()
	last, known := n.peers[peer]
	n.peers[peer] = now
	until := now.Add(peerTTL).UnixNano()
	for p, t := range n.peers {
		if now.Sub(t) > peerTTL {
			delete(n.peers, p)
		}
	}
	n.mu.Unlock()
	if until > n.peerUntil.Load() {
		n.peerUntil.Store(until)
	}
	if !known || now.Sub(last) > peerTTL {
		n.announceNow()
	}
}
