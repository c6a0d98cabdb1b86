package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Group commit (PostgreSQL only): the hot-path statements of concurrent
// requests (CreateTransactionForUser in Autocommit, ClaimOnce, AnswerOnce)
// are queued to a few dedicated connections. Each loops: it takes every op
// queued at that moment (at most groupCommitMax; no timer, so an op on an
// idle server goes alone at once), sends them as one pgx pipeline ending in
// one Sync — one implicit transaction, one commit, one WAL flush for all —
// and only then hands each op its own result. The SQL text and the result of
// each op are those of the unbatched path. If the batch fails with an error
// from the server (the implicit transaction rolled back, nothing committed),
// each op is re-run alone in its own implicit transaction, so one failing op
// never fails or rolls back another. If the connection fails (the outcome is
// unknown), every op of the batch gets the error, as a lost connection does
// on the unbatched path.

const (
	groupCommitConns   = 1                // dedicated connections (one: batches never deadlock each other)
	groupCommitMax     = 64               // ops per batch at most
	groupCommitTimeout = 30 * time.Second // one batch's round trip at most
)

// errBatcherClosed is returned for ops submitted after Close.
var errBatcherClosed = errors.New("store: closed")

// pgOp is one queued statement and, once done is closed, its result.
type pgOp struct {
	ctx  context.Context
	q    string
	args []any
	scan bool   // one row of three integers (ClaimOnce, AnswerOnce); else Exec
	vals [3]int // scan's result
	rows int64  // Exec's rows affected
	err  error
	done chan struct{}
}

func (op *pgOp) finish(err error) {
	op.err = err
	close(op.done)
}

// pgBatcher runs queued ops in batches on its own connections.
type pgBatcher struct {
	cfg    *pgx.ConnConfig
	ops    chan *pgOp
	mu     sync.RWMutex // held shared while sending to ops; Close takes it to close ops
	closed bool
	wg     sync.WaitGroup

	batches  atomic.Int64 // pipelines sent with more than one op
	batched  atomic.Int64 // ops sent in those pipelines
	maxBatch atomic.Int64 // largest pipeline
}

// groupCommitOption removes the group_commit parameter from the postgres URL
// u (pgx would send it to the server as a run-time parameter) and reports
// whether group commit is on (the default; group_commit=off turns it off).
func groupCommitOption(u string) (string, bool, error) {
	base, query, ok := strings.Cut(u, "?")
	if !ok {
		return u, true, nil
	}
	v, err := url.ParseQuery(query)
	if err != nil {
		return "", false, errors.New("store: bad postgres URL")
	}
	if !v.Has("group_commit") {
		return u, true, nil
	}
	on := true
	switch strings.ToLower(v.Get("group_commit")) {
	case "", "on", "true", "1":
	case "off", "false", "0":
		on = false
	default:
		return "", false, errors.New("store: group_commit must be on or off")
	}
	v.Del("group_commit")
	if len(v) == 0 {
		return base, on, nil
	}
	return base + "?" + v.Encode(), on, nil
}

// newPGBatcher connects n connections to connURL and starts their loops.
func newPGBatcher(ctx context.Context, connURL string, n int) (*pgBatcher, error) {
	cfg, err := pgx.ParseConfig(connURL)
	if err != nil {
		return nil, errors.New("store: bad postgres URL")
	}
	conns := make([]*pgx.Conn, 0, n)
	for range n {
		c, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			for _, c := range conns {
				_ = c.Close(ctx)
			}
			return nil, fmt.Errorf("store: group commit connection: %w", err)
		}
		conns = append(conns, c)
	}
	b := &pgBatcher{cfg: cfg, ops: make(chan *pgOp, 4*groupCommitMax)}
	for _, c := range conns {
		b.wg.Add(1)
		go b.loop(c)
	}
	return b, nil
}

// Close stops accepting ops, lets the loops run every op already queued, and
// waits for them to end (closing their connections).
func (b *pgBatcher) Close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.ops)
	}
	b.mu.Unlock()
	b.wg.Wait()
}

// do queues op and waits for its result. An op still queued when its ctx
// ends is dropped (ctx's error); once sent, its result is the batch's.
func (b *pgBatcher) do(ctx context.Context, op *pgOp) error {
	op.ctx, op.done = ctx, make(chan struct{})
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return errBatcherClosed
	}
	select {
	case b.ops <- op:
	case <-ctx.Done():
		b.mu.RUnlock()
		return ctx.Err()
	}
	b.mu.RUnlock()
	<-op.done // bounded: a batch takes at most groupCommitTimeout
	return op.err
}

// query runs q (returning one row of three integers) through the batcher.
func (b *pgBatcher) query(ctx context.Context, q string, args ...any) ([3]int, error) {
	op := &pgOp{q: q, args: args, scan: true}
	err := b.do(ctx, op)
	return op.vals, err
}

// exec runs q through the batcher and returns the rows it affected.
func (b *pgBatcher) exec(ctx context.Context, q string, args ...any) (int64, error) {
	op := &pgOp{q: q, args: args}
	err := b.do(ctx, op)
	return op.rows, err
}

// loop runs batches on c until the queue is closed and drained.
func (b *pgBatcher) loop(c *pgx.Conn) {
	defer b.wg.Done()
	batch := make([]*pgOp, 0, groupCommitMax)
	for op := range b.ops {
		batch = append(batch[:0], op)
	fill:
		for len(batch) < groupCommitMax {
			select {
			case op, ok := <-b.ops:
				if !ok {
					break fill
				}
				batch = append(batch, op)
			default:
				break fill
			}
		}
		live := batch[:0]
		for _, op := range batch {
			if err := op.ctx.Err(); err != nil {
				op.finish(err)
			} else {
				live = append(live, op)
			}
		}
		if len(live) > 0 {
			c = b.run(c, live)
		}
		clear(batch)
	}
	if c != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = c.Close(ctx)
		cancel()
	}
}

// run sends ops as one pipeline on c (reconnecting first if c is gone) and
// finishes every op; it returns the connection to use next (nil: broken).
func (b *pgBatcher) run(c *pgx.Conn, ops []*pgOp) *pgx.Conn {
	ctx, cancel := context.WithTimeout(context.Background(), groupCommitTimeout)
	defer cancel()
	if c == nil || c.IsClosed() {
		var err error
		if c, err = pgx.ConnectConfig(ctx, b.cfg); err != nil {
			err = fmt.Errorf("store: group commit connection: %w", err)
			for _, op := range ops {
				op.finish(err)
			}
			return nil
		}
	}
	if n := int64(len(ops)); n > 1 {
		b.batches.Add(1)
		b.batched.Add(n)
		for m := b.maxBatch.Load(); n > m && !b.maxBatch.CompareAndSwap(m, n); m = b.maxBatch.Load() {
		}
	}
	err := sendBatch(ctx, c, ops)
	if err == nil {
		for _, op := range ops {
			op.finish(nil)
		}
		return c
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || c.IsClosed() {
		// The connection failed: whether the batch committed is unknown.
		for _, op := range ops {
			op.finish(err)
		}
		_ = c.Close(ctx)
		return nil
	}
	if len(ops) == 1 && !retryable(pgErr) {
		ops[0].finish(err)
		return c
	}
	// The server refused a statement or the commit: the implicit transaction
	// rolled back as a whole. Re-run each op alone, in its own transaction
	// (a deadlock or serialization failure, which rolled it back too, is
	// retried a few times).
	for i, op := range ops {
		if c == nil {
			for _, op := range ops[i:] {
				op.finish(err)
			}
			return nil
		}
		var e error
		for try := 0; try < 3; try++ {
			if e = op.ctx.Err(); e != nil {
				break
			}
			op.vals, op.rows = [3]int{}, 0
			e = sendBatch(ctx, c, ops[i:i+1])
			if e == nil || !errors.As(e, &pgErr) || c.IsClosed() || !retryable(pgErr) {
				break
			}
		}
		if e != nil && (!errors.As(e, &pgErr) || c.IsClosed()) {
			_ = c.Close(ctx)
			c = nil
		}
		op.finish(e)
	}
	return c
}

// retryable reports a deadlock or serialization failure: the transaction
// was rolled back and may simply be run again.
func retryable(e *pgconn.PgError) bool {
	return e.Code == "40P01" || e.Code == "40001"
}

// sendBatch runs ops as one pipeline (one implicit transaction) and stores
// each op's result; it returns the first error (then nothing committed).
func sendBatch(ctx context.Context, c *pgx.Conn, ops []*pgOp) error {
	var pb pgx.Batch
	for _, op := range ops {
		pb.Queue(op.q, op.args...)
	}
	br := c.SendBatch(ctx, &pb)
	var first error
	for _, op := range ops {
		var err error
		if op.scan {
			err = br.QueryRow().Scan(&op.vals[0], &op.vals[1], &op.vals[2])
		} else {
			var tag pgconn.CommandTag
			tag, err = br.Exec()
			op.rows = tag.RowsAffected()
		}
		if err != nil && first == nil {
			first = err
		}
	}
	if err := br.Close(); first == nil {
		first = err
	}
	return first
}

// batchExec runs the Exec statement q through the group-commit batcher with
// t.exec's result conventions: inserted reports one row affected, and a
// unique violation is ErrConflict.
func (t *sqlTx) batchExec(ctx context.Context, q string, args ...any) (bool, error) {
	q = t.d.q(q)
	t.s.note(q)
	n, err := t.b.exec(ctx, q, args...)
	if isUniqueViolation(err) {
		return false, ErrConflict
	}
	return n == 1, err
}
