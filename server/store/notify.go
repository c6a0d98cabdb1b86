package store

import (
	"context"
	"net/url"
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
type Notifier struct {
	s       *sqlStore
	channel string
	queue   chan string
	onID    func(id string)
	onErr   func(error)
}

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
	return &Notifier{s: st, channel: ch, queue: make(chan string, 4096), onID: onID, onErr: onErr}, true
}

// Publish queues id for the other instances (never blocks).
func (n *Notifier) Publish(id string) {
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
	for {
		ids = ids[:0]
		select {
		case <-ctx.Done():
			return
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
	for {
		nt, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		n.onID(nt.Payload)
	}
}
