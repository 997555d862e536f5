// Package storetest opens fresh stores for tests: SQLite in a temporary file always, and
// Postgres in a schema of its own when TEST_DATABASE_URL is set (internal/testenv decides
// whether a missing URL skips or fails). Every store is closed and its schema dropped at
// the end of the test.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/internal/testenv"
)

// Each runs fn as two subtests, "sqlite" and "postgres", each with a fresh empty store.
// The Postgres subtest skips (or fails under REQUIRE_POSTGRES=1) without TEST_DATABASE_URL.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store), opts ...store.Option) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t, opts...)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t, opts...)) })
}

// OpenSQLite opens a store on a new SQLite file in t.TempDir().
func OpenSQLite(tb testing.TB, opts ...store.Option) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "tqreg.db"), withQuietLog(opts)...)
	if err != nil {
		tb.Fatalf("open SQLite store: %v (%s)", err, logString(err))
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// OpenPostgres opens a store on a new schema of the TEST_DATABASE_URL database, dropped
// at cleanup.
func OpenPostgres(tb testing.TB, opts ...store.Option) *store.Store {
	tb.Helper()
	dsn, drop := PostgresSchema(tb)
	s, err := store.Open(context.Background(), dsn, withQuietLog(opts)...)
	if err != nil {
		tb.Fatalf("open Postgres store: %v (%s)", err, logString(err))
	}
	tb.Cleanup(func() {
		_ = s.Close()
		drop()
	})
	return s
}

// PostgresSchema creates an empty schema t_<random> in the TEST_DATABASE_URL database and
// returns a DSN whose search_path points at it, and a function that drops it (also
// registered with tb.Cleanup; calling it twice is harmless). It skips or fails like
// testenv.PostgresURL when no URL is set.
func PostgresSchema(tb testing.TB) (dsn string, drop func()) {
	tb.Helper()
	base := testenv.PostgresURL(tb)
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	schema := "t_" + hex.EncodeToString(rnd[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open Postgres: %v", err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		_ = admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	dropped := false
	drop = func() {
		if dropped {
			return
		}
		dropped = true
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		_ = admin.Close()
	}
	tb.Cleanup(drop)
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop
}

// withQuietLog puts a discarding logger first, so tests that provoke failures do not flood
// the output; a WithLogger in opts still wins.
func withQuietLog(opts []store.Option) []store.Option {
	return append([]store.Option{store.WithLogger(slog.New(slog.DiscardHandler))}, opts...)
}

func logString(err error) string {
	if se, ok := err.(*store.Error); ok {
		return se.LogString()
	}
	return ""
}
