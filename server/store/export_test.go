package store

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
)

// GroupCommitStats reports whether s batches (PostgreSQL group commit) and,
// if so, how many pipelines of more than one op it sent, how many ops they
// held and the largest.
func GroupCommitStats(s Store) (on bool, batches, ops, largest int64) {
	st, ok := s.(*sqlStore)
	if !ok || st.batch == nil {
		return false, 0, 0, 0
	}
	b := st.batch
	return true, b.batches.Load(), b.batched.Load(), b.maxBatch.Load()
}

// BatchResult is one op's result in OneBatch.
type BatchResult struct {
	Fresh, Claimed bool // claims
	Inserted       bool // creates
	Err            error
}

// OneBatch runs creates (CreateTransactionForUser) and then claims
// (ClaimOnce of transaction id by e, one per jti) as ONE group-commit
// pipeline, on a connection of its own, through the batcher's run (with its
// fallback); it returns the creates' results, then the claims'.
func OneBatch(ctx context.Context, s Store, creates []Transaction, jtis []string, id string, e Enrollment) ([]BatchResult, error) {
	st := s.(*sqlStore)
	b := st.batch
	c, err := pgx.ConnectConfig(ctx, b.cfg)
	if err != nil {
		return nil, err
	}
	var ops []*pgOp
	for _, x := range creates {
		q, args := createForUserSQL(x)
		ops = append(ops, &pgOp{ctx: ctx, q: st.d.q(q), args: args, done: make(chan struct{})})
	}
	for _, j := range jtis {
		ops = append(ops, &pgOp{ctx: ctx, q: st.d.q(claimOnceSQL), args: claimOnceArgs(j, 500, id, e, "n", 1), scan: true, done: make(chan struct{})})
	}
	if c = b.run(c, ops); c != nil {
		_ = c.Close(ctx)
	}
	res := make([]BatchResult, len(ops))
	for i, op := range ops {
		<-op.done
		r := BatchResult{Err: op.err}
		if op.scan {
			r.Fresh, r.Claimed = op.vals[1] == 1, op.vals[2] == 1
		} else {
			r.Inserted = op.rows == 1
			if isUniqueViolation(op.err) {
				r.Err = ErrConflict
			}
		}
		res[i] = r
	}
	return res, nil
}

// RawDB is the store's writer connection pool (migration tests).
func RawDB(s Store) interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
} {
	return s.(*sqlStore).writer
}
