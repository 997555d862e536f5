package store_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
)

// The read replica against a real streaming standby (lag, paused replay, a stopped replica, the
// portal) is tested in examples/portal/faulttest (TQREG_FAULTS=1). These tests need only the
// test Postgres: a "replica" DSN naming the primary's own schema (with the standby check off)
// shows which reads are routed to it; with the check on, the same DSN is refused as not a
// standby; a DSN where nobody listens shows the fallback.

func TestWithReplicaNeedsPostgresOnBothSides(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("SQLite primary", func(t *testing.T) {
		s, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"), quiet,
			store.WithReplica("postgres://postgres@127.0.0.1:1/test?sslmode=disable"))
		if err == nil {
			_ = s.Close()
			t.Fatal("Open with a SQLite primary and a replica succeeded")
		}
		if !errors.Is(err, store.ErrInternal) {
			t.Fatalf("err = %v, want ErrInternal", err)
		}
	})
	t.Run("SQLite replica", func(t *testing.T) {
		dsn, _ := storetest.PostgresSchema(t)
		s, err := store.Open(ctx, dsn, quiet, store.WithReplica("file:"+filepath.Join(t.TempDir(), "r.db")))
		if err == nil {
			_ = s.Close()
			t.Fatal("Open with a SQLite replica succeeded")
		}
		if !errors.Is(err, store.ErrInternal) {
			t.Fatalf("err = %v, want ErrInternal", err)
		}
	})
	t.Run("no replica", func(t *testing.T) {
		s := storetest.OpenSQLite(t, store.WithReplica(""))
		if got := s.ReplicaStats(); got != (store.ReplicaStats{}) {
			t.Fatalf("ReplicaStats without a replica = %+v, want zero", got)
		}
	})
}

func TestReplicaRoutesOnlyLagTolerantReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn, _ := storetest.PostgresSchema(t)
	// The "replica" is the primary's own schema: every routed read succeeds and is counted.
	s, err := store.Open(ctx, dsn, quiet, store.WithReplicaUnchecked(dsn))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	f := newFixture(t, s)
	app := f.application("20264500000001")
	must(t, s.CreateApplication(ctx, app))
	h := store.Holder{DocNumber: f.acct.DocNumber, Name: f.acct.Name}

	for _, tc := range []struct {
		name      string
		read      func() error
		onReplica bool
	}{
		{"本人/其他查询: CertificatesOf", func() error {
			_, err := s.CertificatesOf(ctx, f.acct.DocType, f.acct.DocNumber, f.acct.Name)
			return err
		}, true},
		{"信息中心: InfoCentreOf", func() error {
			_, err := s.InfoCentreOf(ctx, h)
			if errors.Is(err, store.ErrNotFound) {
				err = nil
			}
			return err
		}, true},
		{"毕业学校: SearchSchools", func() error { _, err := s.SearchSchools(ctx, "学校", 5); return err }, true},
		{"查询报名信息: ApplicationsOf (read-your-writes)", func() error {
			apps, err := s.ApplicationsOf(ctx, app.AccountID)
			if err == nil && len(apps) != 1 {
				t.Errorf("ApplicationsOf = %d applications, want 1", len(apps))
			}
			return err
		}, false},
		{"Application by number", func() error { _, err := s.Application(ctx, app.Number); return err }, false},
		{"account by ID", func() error { _, err := s.AccountByID(ctx, f.acct.ID); return err }, false},
		{"catalogue within the grace after this store wrote it", func() error { _, err := s.Catalogue(ctx); return err }, false},
		{"a read inside a transaction", func() error {
			return s.RunInTx(ctx, func(ctx context.Context, tx *store.Store) error {
				_, err := tx.CertificatesOf(ctx, f.acct.DocType, f.acct.DocNumber, f.acct.Name)
				return err
			})
		}, false},
		{"a write", func() error {
			_, err := s.AddSchool(ctx, store.School{Name: "又一所学校"})
			return err
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.ReplicaStats()
			if err := tc.read(); err != nil {
				t.Fatal(err)
			}
			after := s.ReplicaStats()
			want := before.Reads
			if tc.onReplica {
				want++
			}
			if after.Reads != want || after.Fallbacks != 0 {
				t.Fatalf("replica reads %d → %d (fallbacks %d), want %d", before.Reads, after.Reads, after.Fallbacks, want)
			}
		})
	}

	t.Run("another store's catalogue comes from the replica", func(t *testing.T) {
		other, err := store.Open(ctx, dsn, quiet, store.WithReplicaUnchecked(dsn))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		cat, err := other.Catalogue(ctx)
		if err != nil || len(cat.Windows) != 1 {
			t.Fatalf("Catalogue = %+v, %v", cat, err)
		}
		if got := other.ReplicaStats().Reads; got != 1 {
			t.Fatalf("replica reads = %d, want 1", got)
		}
	})
}

func TestReplicaDownFallsBackToPrimaryWithWarning(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn, _ := storetest.PostgresSchema(t)
	var logs lockedLog
	dead := "postgres://postgres@127.0.0.1:1/test?sslmode=disable"
	s, err := store.Open(ctx, dsn, store.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))), store.WithReplica(dead))
	if err != nil {
		t.Fatalf("Open with a replica that is down: %v (the primary must be enough)", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if st := s.ReplicaStats(); !st.Configured || !st.Down || st.Fallbacks != 1 {
		t.Fatalf("stats after Open = %+v, want configured, down, one failure", st)
	}
	if !strings.Contains(logs.String(), "read replica failed; reading from the primary") {
		t.Fatalf("no warning logged:\n%s", logs.String())
	}
	certs, err := s.CertificatesOf(ctx, account.DocResidentID, "11010519491231002X", "张三")
	if err != nil || len(certs) != 0 {
		t.Fatalf("CertificatesOf with the replica down = %v, %v; want the primary's empty answer", certs, err)
	}
	if st := s.ReplicaStats(); st.Reads != 0 || st.Fallbacks != 1 {
		t.Fatalf("stats = %+v: within the retry pause the replica must not be tried", st)
	}
}

func TestReplicaThatIsNotAStandbyIsNotRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn, _ := storetest.PostgresSchema(t)
	var logs lockedLog
	// A "replica" that is a primary (say, a promoted standby): pg_is_in_recovery() is false.
	s, err := store.Open(ctx, dsn, store.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))), store.WithReplica(dsn))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.CertificatesOf(ctx, account.DocResidentID, "11010519491231002X", "张三"); err != nil {
		t.Fatalf("CertificatesOf: %v (the primary must answer)", err)
	}
	if st := s.ReplicaStats(); st.Reads != 0 || st.Fallbacks != 1 || !st.Down {
		t.Fatalf("stats = %+v, want no replica read, one fallback, down", st)
	}
	if !strings.Contains(logs.String(), "not a standby streaming from its primary") {
		t.Fatalf("the refusal was not logged:\n%s", logs.String())
	}
}

// lockedLog collects log output written from several goroutines.
type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// A read the replica cancels for statement_timeout is the read's problem, not the replica's:
// it is returned as ErrUnavailable, without running it again on the primary (where it would
// wait as long) and without setting the replica aside.
func TestReplicaStatementTimeoutIsNotAFallback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn, _ := storetest.PostgresSchema(t)
	s, err := store.Open(ctx, dsn, quiet, store.WithReplicaUnchecked(dsn), store.WithStatementTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	// Another session holds the certificates table: the read waits for it until its
	// statement_timeout cancels it (57014).
	locker, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = locker.Close() })
	tx, err := locker.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	if _, err := tx.ExecContext(ctx, "LOCK TABLE certificates IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	_, err = s.CertificatesOf(ctx, account.DocResidentID, "11010519491231002X", "张三")
	if !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("CertificatesOf behind a lock = %v, want ErrUnavailable", err)
	}
	if st := s.ReplicaStats(); st.Fallbacks != 0 || st.Down {
		t.Fatalf("stats = %+v: a statement timeout must neither fall back nor set the replica aside", st)
	}
	_ = tx.Rollback()
	if _, err := s.CertificatesOf(ctx, account.DocResidentID, "11010519491231002X", "张三"); err != nil {
		t.Fatal(err)
	}
	if st := s.ReplicaStats(); st.Reads != 1 {
		t.Fatalf("stats = %+v: the replica must answer the next read", st)
	}
}
