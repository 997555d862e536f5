package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
)

func TestOpenMigratesAndReopensIdempotently(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.db")
		for i := range 3 {
			s, err := store.Open(ctx, path, quiet)
			if err != nil {
				t.Fatalf("open #%d: %v", i, err)
			}
			if s.Backend() != store.SQLite {
				t.Fatalf("backend = %q, want sqlite", s.Backend())
			}
			if err := s.Ping(ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Run("sqlite file: URI", func(t *testing.T) {
		s, err := store.Open(ctx, "file:"+filepath.Join(t.TempDir(), "sub", "y.db"), quiet)
		if err != nil {
			t.Fatal(err)
		}
		_ = s.Close()
	})
	t.Run("postgres", func(t *testing.T) {
		dsn, _ := storetest.PostgresSchema(t)
		for i := range 3 {
			s, err := store.Open(ctx, dsn, quiet)
			if err != nil {
				t.Fatalf("open #%d: %v", i, err)
			}
			if s.Backend() != store.Postgres {
				t.Fatalf("backend = %q, want postgres", s.Backend())
			}
			_ = s.Close()
		}
	})
}

func TestOpenConcurrentlyOnOneEmptyDatabaseMigratesOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	run := func(t *testing.T, dsn string) {
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				s, err := store.Open(ctx, dsn, quiet)
				if err == nil {
					err = s.Close()
				}
				errs <- err
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, filepath.Join(t.TempDir(), "c.db")) })
	t.Run("postgres", func(t *testing.T) {
		dsn, _ := storetest.PostgresSchema(t)
		run(t, dsn)
	})
}

func TestOpenRefusesBadDSNWithTypedError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name, dsn string
		want      error
	}{
		{"empty", "", store.ErrInternal},
		{"in-memory SQLite", ":memory:", store.ErrInternal},
		{"nobody listens", "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2", store.ErrUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := store.Open(ctx, tc.dsn, quiet)
			if err == nil {
				_ = s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v (%T), want %v", err, err, tc.want)
			}
		})
	}
}
