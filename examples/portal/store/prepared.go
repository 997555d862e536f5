package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
)

// preparedQuery is a read query with bind parameters: ? for SQLite, $1, $2, … for Postgres.
type preparedQuery struct{ lite, pg string }

// newPreparedQuery takes a query written with ? placeholders (and no other ?).
func newPreparedQuery(q string) preparedQuery {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return preparedQuery{lite: q, pg: b.String()}
}

// prepared runs a hot read query with bind parameters instead of bun's interpolation and
// scans the rows with bun into dest. On Postgres the statement is prepared once per
// connection and cached (pgx's QueryExecModeCacheStatement), so the server parses and plans
// it once instead of on every call; the pool's default (simple protocol) suits bun's
// interpolated statements, whose text differs every time.
//
// When the DSN (the primary's or the replica's) sets default_query_exec_mode, no mode is
// forced and pgx uses the DSN's: a pooler in transaction mode (pgbouncer before 1.21, or
// without max_prepared_statements) cannot keep named statements across transactions, so such
// a deployment sets default_query_exec_mode=exec (unnamed statements, still binary values).
func (s *Store) prepared(ctx context.Context, q preparedQuery, dest any, args ...any) error {
	return s.preparedOn(ctx, s.idb, q, dest, args...)
}

// preparedOn is prepared on db: a pool (the primary or the read replica) or a transaction.
func (s *Store) preparedOn(ctx context.Context, db bun.IDB, q preparedQuery, dest any, args ...any) error {
	var conn interface {
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	}
	switch d := db.(type) {
	case bun.Tx:
		conn = d.Tx
	case *bun.DB:
		conn = d.DB
	default:
		conn = s.db.DB
	}
	query := q.lite
	if s.backend == Postgres {
		query = q.pg
		if s.cacheStatements {
			args = append([]any{pgx.QueryExecModeCacheStatement}, args...)
		}
	}
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	return s.db.ScanRows(ctx, rows, dest)
}

// execPrepared runs a write statement with bind parameters (see prepared): on Postgres
// prepared and cached per connection, its values sent in binary (a photo's bytes as they
// are, not as a hex literal twice their size).
func (s *Store) execPrepared(ctx context.Context, q preparedQuery, args ...any) (sql.Result, error) {
	var conn interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	} = s.db.DB
	if tx, ok := s.idb.(bun.Tx); ok {
		conn = tx.Tx
	}
	query := q.lite
	if s.backend == Postgres {
		query = q.pg
		if s.cacheStatements {
			args = append([]any{pgx.QueryExecModeCacheStatement}, args...)
		}
	}
	return conn.ExecContext(ctx, query, args...)
}
