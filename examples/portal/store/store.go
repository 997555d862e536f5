// Package store persists the reference portal's data with bun: Postgres in production and
// an embedded SQLite file (pure-Go modernc driver) by default, so the portal runs on a fresh
// machine with nothing installed.
//
// The store implements the storage interfaces the domain packages declare (account,
// registration). It has its own row structs and converts to and from domain types; domain
// types carry no bun tags. Every exported method maps database failures to the typed errors
// of this package (ErrNotFound, ErrConflict, ErrDuplicate, ErrUnavailable, ErrInternal), so a
// raw SQL error never reaches a page.
//
// Internally every query function takes a bun.IDB, so it runs the same inside and outside
// a transaction; RunInTx hands the callback a Store bound to the transaction.
//
// On Postgres the hot reads and writes are prepared once per connection as named statements
// (see prepared.go). A connection pooler in transaction mode must keep them: pgbouncer ≥ 1.21
// with max_prepared_statements set. Otherwise put default_query_exec_mode=exec in the DSN; when
// the DSN sets default_query_exec_mode the store uses that mode and forces none of its own.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/tqreg/tqreg/account"
)

// Backend names the database engine behind a Store.
type Backend string

// The two supported backends.
const (
	Postgres Backend = "postgres"
	SQLite   Backend = "sqlite"
)

// Store is the portal's persistence (数据存储). It is safe for concurrent use. The zero
// value is not usable; call Open.
type Store struct {
	db        *bun.DB       // the pool (also kept by transaction-bound copies)
	idb       bun.IDB       // db, or the transaction this Store is bound to
	inTx      bool          // idb is a bun.Tx
	backend   Backend       // which engine
	seqs      *sync.Map     // Postgres sequences known to exist (shared with transaction copies)
	ddl       *sql.DB       // Postgres: a one-connection pool for creating sequences outside transactions
	writer    chan struct{} // SQLite: the writer slot transactions queue on (see runTx)
	now       func() time.Time
	log       *slog.Logger
	catalogue *catalogueCache // shared with transaction copies
	replica   *replica        // Postgres: the read replica (WithReplica), or nil; shared with transaction copies
	// cacheStatements: Postgres, the prepared paths (prepared.go) use named, cached server-side
	// statements; false when a DSN sets default_query_exec_mode (that mode is used instead).
	cacheStatements bool
}

// Option configures Open.
type Option func(*config)

type config struct {
	now              func() time.Time
	log              *slog.Logger
	maxOpenConns     int
	statementTimeout time.Duration
	seedHasher       account.PasswordHasher
	replicaDSN       string
	replicaNoCheck   bool // tests: a "replica" that is the primary itself (export_test.go)
}

// WithClock injects the clock the store uses for timestamps it sets itself (session
// touches, outbox times, the demo windows of the seed). Default: time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithLogger sets the logger for internal errors (causes, never personal data).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithMaxOpenConns sizes the connection pool (Postgres default DefaultMaxOpenConns, SQLite
// default 4).
func WithMaxOpenConns(n int) Option { return func(c *config) { c.maxOpenConns = n } }

// WithStatementTimeout sets Postgres's statement_timeout for every connection (default
// 2.5 s) unless the DSN already sets one.
func WithStatementTimeout(d time.Duration) Option {
	return func(c *config) { c.statementTimeout = d }
}

// WithDemoData seeds the demo dataset (SeedDemo, at the clock's now) when the database is
// empty after migration, hashing the demo passwords with hasher.
func WithDemoData(hasher account.PasswordHasher) Option {
	return func(c *config) { c.seedHasher = hasher }
}

// Open connects to dsn and brings its schema up to date. A dsn starting with postgres:// or
// postgresql:// opens Postgres through pgx; "file:…" or a plain file path opens SQLite
// (WAL, busy timeout, foreign keys on, immediate transactions so concurrent writers queue
// instead of failing). Migrations are idempotent and safe to run from several processes.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	cfg := config{now: time.Now, log: slog.Default(), statementTimeout: 2500 * time.Millisecond}
	for _, o := range opts {
		o(&cfg)
	}
	var (
		sqldb   *sql.DB
		ddl     *sql.DB
		db      *bun.DB
		backend Backend
		err     error
	)
	if cfg.replicaDSN != "" && !isPostgresDSN(dsn) {
		return nil, &Error{kind: ErrInternal, op: "open", cause: fmt.Errorf("a read replica needs a Postgres primary")}
	}
	switch {
	case isPostgresDSN(dsn):
		backend = Postgres
		pgDSN, perr := postgresDSN(dsn, cfg.statementTimeout)
		if perr != nil {
			return nil, &Error{kind: ErrInternal, op: "open", cause: perr}
		}
		if sqldb, err = sql.Open("pgx", pgDSN); err != nil {
			return nil, &Error{kind: ErrInternal, op: "open", cause: err}
		}
		n := cfg.maxOpenConns
		if n <= 0 {
			n = DefaultMaxOpenConns() // sized for the machine, see pool.go
		}
		sqldb.SetMaxOpenConns(n)
		sqldb.SetMaxIdleConns(n)
		sqldb.SetConnMaxIdleTime(5 * time.Minute)
		sqldb.SetConnMaxLifetime(time.Hour)
		db = bun.NewDB(sqldb, pgdialect.New())
		if ddl, err = sql.Open("pgx", pgDSN); err != nil {
			return nil, &Error{kind: ErrInternal, op: "open", cause: err}
		}
		ddl.SetMaxOpenConns(1)
		ddl.SetMaxIdleConns(1)
		ddl.SetConnMaxIdleTime(time.Minute)
	case dsn == "":
		return nil, &Error{kind: ErrInternal, op: "open", cause: fmt.Errorf("empty DSN")}
	default:
		backend = SQLite
		liteDSN, lerr := sqliteDSN(dsn)
		if lerr != nil {
			return nil, &Error{kind: ErrInternal, op: "open", cause: lerr}
		}
		if sqldb, err = sql.Open("sqlite", liteDSN); err != nil {
			return nil, &Error{kind: ErrInternal, op: "open", cause: err}
		}
		n := cfg.maxOpenConns
		if n <= 0 {
			n = 4
		}
		sqldb.SetMaxOpenConns(n)
		sqldb.SetMaxIdleConns(n)
		sqldb.SetConnMaxIdleTime(0)
		db = bun.NewDB(sqldb, sqlitedialect.New())
	}
	s := &Store{db: db, idb: db, backend: backend, seqs: new(sync.Map), catalogue: new(catalogueCache), ddl: ddl, now: cfg.now, log: cfg.log}
	s.cacheStatements = backend == Postgres && !setsExecMode(dsn) && !setsExecMode(cfg.replicaDSN)
	if backend == SQLite {
		s.writer = make(chan struct{}, 1)
	}
	if cfg.replicaDSN != "" {
		if s.replica, err = openReplica(cfg.replicaDSN, cfg, sqldb.Stats().MaxOpenConnections); err != nil {
			_ = s.closeAll()
			return nil, &Error{kind: ErrInternal, op: "open replica", cause: err}
		}
		if err := s.replica.db.PingContext(ctx); err != nil {
			s.replica.failed("open replica", err) // not fatal: reads use the primary until it answers
		}
	}
	if err := sqldb.PingContext(ctx); err != nil {
		_ = s.closeAll()
		return nil, s.wrap("open", err)
	}
	if err := s.migrate(ctx); err != nil {
		_ = s.closeAll()
		return nil, s.wrap("migrate", err)
	}
	if cfg.seedHasher != nil {
		if _, err := s.SeedDemo(ctx, cfg.now(), cfg.seedHasher); err != nil {
			_ = s.closeAll()
			return nil, s.wrap("seed", err)
		}
	}
	return s, nil
}

// isPostgresDSN reports whether dsn names a Postgres database (postgres:// or postgresql://).
func isPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// postgresDSN adds the per-connection settings the store relies on, unless dsn sets them:
// statement_timeout, and the simple query protocol (bun interpolates arguments itself, so
// every statement text is unique and preparing it would cost a round trip for nothing).
func postgresDSN(dsn string, timeout time.Duration) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("parse postgres DSN: %w", redactURLError(err))
	}
	q := u.Query()
	if q.Get("statement_timeout") == "" && timeout > 0 {
		q.Set("statement_timeout", fmt.Sprint(timeout.Milliseconds()))
	}
	if q.Get("default_query_exec_mode") == "" {
		q.Set("default_query_exec_mode", "simple_protocol")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// setsExecMode reports whether the Postgres dsn chooses pgx's default_query_exec_mode itself
// (for example default_query_exec_mode=exec behind a connection pooler that cannot keep
// named statements); the store then never forces a mode of its own. An unparsable or
// empty dsn sets nothing.
func setsExecMode(dsn string) bool {
	if !isPostgresDSN(dsn) {
		return false
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return false
	}
	return u.Query().Has("default_query_exec_mode")
}

// redactURLError drops the URL (which may hold a password) from a url.Error.
func redactURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// sqliteDSN turns a path or file: URI into a modernc DSN with the pragmas the store needs.
func sqliteDSN(dsn string) (string, error) {
	path, rawQuery, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if path == "" || path == ":memory:" {
		return "", fmt.Errorf("SQLite needs a file path (an in-memory database is not shared between connections)")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("create SQLite directory: %w", err)
		}
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", fmt.Errorf("parse SQLite DSN options: %w", err)
	}
	pragmas := strings.Join(q["_pragma"], ",")
	for _, p := range []struct{ name, value string }{
		{"busy_timeout", "busy_timeout(10000)"},
		{"journal_mode", "journal_mode(WAL)"},
		{"foreign_keys", "foreign_keys(1)"},
		{"synchronous", "synchronous(NORMAL)"},
	} {
		if !strings.Contains(pragmas, p.name) {
			q.Add("_pragma", p.value)
		}
	}
	if q.Get("_txlock") == "" {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode(), nil
}

// Close closes the pool. Calling it on a transaction-bound Store does nothing.
func (s *Store) Close() error {
	if s.inTx {
		return nil
	}
	return s.wrap("close", s.closeAll())
}

func (s *Store) closeAll() error {
	err := s.db.Close()
	if s.ddl != nil {
		_ = s.ddl.Close()
	}
	if s.replica != nil {
		_ = s.replica.db.Close()
	}
	return err
}

// Backend reports which engine the store runs on.
func (s *Store) Backend() Backend { return s.backend }

// DB returns the bun handle, for tools (the synthetic data generator, benchmarks) that need
// direct access. Application code uses the Store's methods.
func (s *Store) DB() *bun.DB { return s.db }

// Ping checks that the database answers (for /healthz).
func (s *Store) Ping(ctx context.Context) error {
	return s.wrap("ping", s.db.PingContext(ctx))
}

// RunInTx runs fn in one transaction: fn's Store runs every method inside it; the
// transaction commits when fn returns nil and rolls back otherwise. Inside a transaction
// RunInTx simply calls fn with the same Store. fn must not start goroutines that use tx.
func (s *Store) RunInTx(ctx context.Context, fn func(ctx context.Context, tx *Store) error) error {
	if s.inTx {
		return fn(ctx, s)
	}
	var fnErr error
	err := s.runTx(ctx, func(ctx context.Context, db bun.IDB) error {
		tx := db.(bun.Tx)
		t := *s
		t.idb = tx
		t.inTx = true
		fnErr = fn(ctx, &t)
		return fnErr
	})
	if fnErr != nil {
		return fnErr // already typed by the methods fn called, or the caller's own error
	}
	return s.wrap("transaction", err)
}

// tx runs fn in a transaction on the raw bun handle (or in the current one).
func (s *Store) tx(ctx context.Context, fn func(ctx context.Context, db bun.IDB) error) error {
	if s.inTx {
		return fn(ctx, s.idb)
	}
	return s.runTx(ctx, fn)
}

// runTx runs fn in a new transaction. On SQLite, whose transactions take the database's
// write lock at BEGIN, transactions of this process first queue on the store's writer
// slot, so they wait their turn in Go instead of in SQLite's busy handler (which sleeps in
// steps of up to 100 ms and would make concurrent submissions slow).
func (s *Store) runTx(ctx context.Context, fn func(ctx context.Context, db bun.IDB) error) error {
	if s.writer != nil {
		select {
		case s.writer <- struct{}{}:
			defer func() { <-s.writer }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(ctx, tx)
	})
}
