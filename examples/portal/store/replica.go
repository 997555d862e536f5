package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// A read replica (只读副本) is a Postgres streaming standby of the primary. With WithReplica the
// store sends it the reads that tolerate replication lag — national certificate records
// (本人查询, 其他查询, the wizard's certificate choice), the information centre's records, the
// window catalogue (网报时间查询) and the school search — and nothing else:
//
//   - every write, and every read of a Store bound to a transaction (RunInTx), goes to the
//     primary;
//   - an applicant's own applications (ApplicationsOf: 查询报名信息, the platform page) and
//     everything session- or account-related are read from the primary, so an applicant sees
//     the application they have just submitted whichever portal process serves the next
//     request, without any session state (read-your-writes);
//   - for replicaGrace after this process changed the catalogue, the catalogue is loaded from
//     the primary, so an administrator sees their own change at once.
//
// When a read fails on the replica (it is down, restarting, or cancelled a query because of a
// recovery conflict) the same read runs again on the primary and a warning is logged; the
// replica is then left alone for replicaRetry before it is tried again, so a dead replica costs
// one failed attempt per replicaRetry, not one per request. A read the replica cancelled for
// statement_timeout is returned as it is, without a fallback (see replicaFault). At most once per replicaCheckEvery
// the store also asks the replica whether it is still a standby receiving WAL from its primary
// (replicaCheckQuery): one that was promoted, or lost its primary and falls further behind with
// every write there, is treated as failed too. A replica that receives WAL but replays it
// slowly is not detected (there is no maximum-lag rule).

// replicaRetry is how long the store reads from the primary after the replica failed.
const replicaRetry = 5 * time.Second

// replicaGrace is how long after its own catalogue write the store loads the catalogue from
// the primary: far longer than a healthy streaming replica's lag (milliseconds).
const replicaGrace = 5 * time.Second

// replicaCheckEvery is how often the store checks that the replica still streams from its
// primary (one small query on the replica, made by the read that finds the check due).
const replicaCheckEvery = time.Second

// replicaCheckQuery is true on a standby whose WAL receiver runs (for a role without
// pg_read_all_stats the receiver's status reads as NULL: a running receiver counts then).
const replicaCheckQuery = `SELECT pg_is_in_recovery() AND EXISTS
	(SELECT 1 FROM pg_stat_wal_receiver WHERE coalesce(status, 'streaming') = 'streaming')`

// errNotStreaming is the cause logged when the replica check fails.
var errNotStreaming = errors.New("the replica is not a standby streaming from its primary")

// replicaConnectTimeout bounds a connection attempt to the replica (seconds) unless its DSN
// sets connect_timeout, so an unreachable replica delays a read by this much at most once per
// replicaRetry.
const replicaConnectTimeout = "2"

// WithReplica sends the reads that tolerate replication lag to the Postgres streaming replica
// at dsn (postgres://…); see the read-replica notes in replica.go for which reads. Empty dsn:
// no replica. The replica needs no migration (it replays the primary's schema) and may be down
// when Open runs. Only valid with a Postgres primary.
func WithReplica(dsn string) Option { return func(c *config) { c.replicaDSN = dsn } }

// ReplicaStats counts what the read replica served (for tests and operators).
type ReplicaStats struct {
	Configured bool  // WithReplica was given
	Reads      int64 // reads the replica answered
	Fallbacks  int64 // reads that failed on the replica and ran on the primary
	Down       bool  // the replica failed within the last replicaRetry
}

// replica is the read replica's pool and its health. It is shared by a Store and its
// transaction-bound copies (which never use it).
type replica struct {
	db  *bun.DB
	log *slog.Logger

	mu        sync.Mutex
	downUntil time.Time // monotonic; zero when healthy
	checked   time.Time // last replicaCheckQuery (monotonic)
	noCheck   bool      // tests: skip replicaCheckQuery

	reads, fallbacks atomic.Int64
}

// openReplica opens the replica's pool (lazily: nothing is dialled yet).
func openReplica(dsn string, cfg config, maxOpen int) (*replica, error) {
	if !isPostgresDSN(dsn) {
		return nil, fmt.Errorf("the read replica must be a postgres:// DSN")
	}
	pgDSN, err := postgresDSN(dsn, cfg.statementTimeout)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(pgDSN)
	if err != nil {
		return nil, fmt.Errorf("parse replica DSN: %w", redactURLError(err))
	}
	q := u.Query()
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", replicaConnectTimeout)
		u.RawQuery = q.Encode()
	}
	sqldb, err := sql.Open("pgx", u.String())
	if err != nil {
		return nil, err
	}
	sqldb.SetMaxOpenConns(maxOpen)
	sqldb.SetMaxIdleConns(maxOpen)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	sqldb.SetConnMaxLifetime(time.Hour)
	return &replica{db: bun.NewDB(sqldb, pgdialect.New()), log: cfg.log, noCheck: cfg.replicaNoCheck}, nil
}

// usable reports whether the replica should be tried now: it has not failed within
// replicaRetry and, when the check is due, it is still a streaming standby.
func (r *replica) usable(ctx context.Context) bool {
	r.mu.Lock()
	if !r.downUntil.IsZero() && time.Now().Before(r.downUntil) {
		r.mu.Unlock()
		return false
	}
	due := !r.noCheck && time.Since(r.checked) >= replicaCheckEvery
	if due {
		r.checked = time.Now() // this read checks; concurrent ones use the replica meanwhile
	}
	r.mu.Unlock()
	if !due {
		return true
	}
	var ok bool
	err := r.db.QueryRowContext(ctx, replicaCheckQuery).Scan(&ok)
	if err == nil && !ok {
		err = errNotStreaming
	}
	if err != nil {
		if ctx.Err() == nil {
			r.failed("replica check", err)
		}
		return false
	}
	return true
}

// failed records that op failed on the replica and logs a warning (the cause names no data).
func (r *replica) failed(op string, err error) {
	r.fallbacks.Add(1)
	r.mu.Lock()
	r.downUntil = time.Now().Add(replicaRetry)
	r.mu.Unlock()
	r.log.Warn("read replica failed; reading from the primary", "op", op, "retry_in", replicaRetry.String(), "cause", err.Error())
}

// answered records a read the replica served; the first after a failure is logged.
func (r *replica) answered() {
	r.reads.Add(1)
	r.mu.Lock()
	recovered := !r.downUntil.IsZero()
	r.downUntil = time.Time{}
	r.mu.Unlock()
	if recovered {
		r.log.Info("read replica answers again")
	}
}

// ReplicaStats reports what the read replica served so far.
func (s *Store) ReplicaStats() ReplicaStats {
	r := s.replica
	if r == nil {
		return ReplicaStats{}
	}
	r.mu.Lock()
	down := !r.downUntil.IsZero() && time.Now().Before(r.downUntil)
	r.mu.Unlock()
	return ReplicaStats{Configured: true, Reads: r.reads.Load(), Fallbacks: r.fallbacks.Load(), Down: down}
}

// lagTolerant runs read, a read that may see data a moment old, on the replica when one is
// configured, s is not bound to a transaction and the replica has not failed within
// replicaRetry; otherwise, or when it fails on the replica, on the primary. read must set its
// results only when it succeeds (it may run twice). Its error is returned unwrapped.
func (s *Store) lagTolerant(ctx context.Context, op string, read func(ctx context.Context, db bun.IDB) error) error {
	r := s.replica
	if r == nil || s.inTx || !r.usable(ctx) {
		return read(ctx, s.idb)
	}
	err := read(ctx, r.db)
	switch {
	case err == nil, errors.Is(err, sql.ErrNoRows):
		r.answered()
		return err
	case ctx.Err() != nil:
		return err // the caller gave up: not the replica's fault
	case !replicaFault(err):
		return err // the replica answered; the primary would answer the same
	}
	r.failed(op, err)
	return read(ctx, s.idb)
}

// replicaFault reports whether err from a read on the replica is the replica's fault, so the
// read runs again on the primary and the replica is left alone for replicaRetry: it is down,
// unreachable or restarting, or cancelled the read because of a recovery conflict (40001,
// 40P01, 57P04, and the others Postgres raises for them). A statement cancelled by
// statement_timeout or a cancel request (57014) is not: the replica is healthy and the same
// read would take as long on the primary, so the error is returned as it is (the store maps
// it to ErrUnavailable) and the replica stays in use.
func replicaFault(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "57014" {
		return false
	}
	return true
}

// snapshot runs fn so that its reads see one snapshot: in a read-only transaction on db when
// db is a Postgres pool (primary or replica), directly when db is already a transaction or the
// store is SQLite (whose transactions take the write lock).
func (s *Store) snapshot(ctx context.Context, db bun.IDB, fn func(ctx context.Context, db bun.IDB) error) error {
	pool, ok := db.(*bun.DB)
	if !ok || s.backend == SQLite {
		return fn(ctx, db)
	}
	return pool.RunInTx(ctx, &sql.TxOptions{ReadOnly: true}, func(ctx context.Context, tx bun.Tx) error {
		return fn(ctx, tx)
	})
}
