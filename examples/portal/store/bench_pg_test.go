package store_test

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/registration"
)

// The Postgres benchmarks run only with TQREG_BENCH_PG=1 and TEST_DATABASE_URL set:
//
//	TQREG_BENCH_PG=1 TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  go test -run '^$' -bench 'Postgres' -benchtime 5000x -count 3 ./examples/portal/store/
//
// They keep their data in the schema bench_store (1 000 000 certificates, 100 000
// applications), created on the first run and reused afterwards (DROP SCHEMA bench_store
// CASCADE to start over).

const (
	benchSchema       = "bench_store"
	benchCertificates = 1_000_000
	benchApplications = 100_000
)

type benchEnv struct {
	store *store.Store
	pool  *pgxpool.Pool
	dsn   string
}

var (
	benchOnce sync.Once
	benchE    *benchEnv
	benchErr  error
)

func pgBench(b *testing.B) *benchEnv {
	b.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if os.Getenv("TQREG_BENCH_PG") != "1" || base == "" {
		b.Skip("Postgres benchmark: set TQREG_BENCH_PG=1 and TEST_DATABASE_URL")
	}
	benchOnce.Do(func() { benchE, benchErr = setupBench(base) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchE
}

func setupBench(base string) (*benchEnv, error) {
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		return nil, err
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+benchSchema); err != nil {
		return nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("search_path", benchSchema)
	u.RawQuery = q.Encode()
	dsn := u.String()
	s, err := store.Open(ctx, dsn, quiet)
	if err != nil {
		return nil, err
	}
	var n int
	if err := s.DB().NewRaw("SELECT count(*) FROM certificates").Scan(ctx, &n); err != nil {
		return nil, err
	}
	if n < benchCertificates {
		start := time.Now()
		h, err := account.NewHasher(account.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 0)
		if err != nil {
			return nil, err
		}
		if _, err := s.SeedDemo(ctx, time.Now(), h); err != nil {
			return nil, err
		}
		if err := s.GenerateSynthetic(ctx, store.SyntheticOptions{Certificates: benchCertificates, Applications: benchApplications}, time.Now()); err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "bench_store: generated %d certificates and %d applications in %v\n",
			benchCertificates, benchApplications, time.Since(start).Round(time.Second))
	}
	// pgx's defaults (extended protocol, cached statements) with the store's pool size.
	pool, err := pgxpool.New(ctx, dsn+"&pool_max_conns=16")
	if err != nil {
		return nil, err
	}
	return &benchEnv{store: s, pool: pool, dsn: dsn}, nil
}

// reportLatency adds p50 and p99 (µs) of the recorded per-operation latencies.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkPostgresCertificateLookup looks certificates up by holder document number and
// name (本人查询) over 1 000 000 certificates: through the store (bun) and through a
// hand-written pgx query producing the same certificate.Certificate values.
func BenchmarkPostgresCertificateLookup(b *testing.B) {
	env := pgBench(b)
	ctx := context.Background()
	key := func(i int) int { return (i * 7919) % benchCertificates }

	b.Run("store", func(b *testing.B) {
		b.ReportAllocs()
		lat := make([]time.Duration, 0, 1<<16)
		i := 0
		for b.Loop() {
			doc, name := store.SyntheticHolder(key(i))
			t := time.Now()
			certs, err := env.store.CertificatesOf(ctx, account.DocResidentID, doc, name)
			lat = append(lat, time.Since(t))
			if err != nil || len(certs) != 1 {
				b.Fatalf("lookup %d: %d rows, %v", i, len(certs), err)
			}
			i++
		}
		reportLatency(b, lat)
	})

	b.Run("pgx", func(b *testing.B) {
		b.ReportAllocs()
		const query = `SELECT number, holder_doc_type, holder_doc_number, holder_name, kind, subject, authority,
			issued_on, first_registered, first_registered_on, manual
			FROM certificates WHERE holder_doc_number = $1 AND holder_name = $2 AND holder_doc_type = $3
			ORDER BY issued_on, number`
		far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		lat := make([]time.Duration, 0, 1<<16)
		i := 0
		for b.Loop() {
			doc, name := store.SyntheticHolder(key(i))
			t := time.Now()
			rows, err := env.pool.Query(ctx, query, doc, name, int16(account.DocResidentID))
			if err != nil {
				b.Fatal(err)
			}
			var certs []certificate.Certificate
			for rows.Next() {
				var (
					num               string
					dt, kind          int16
					c                 certificate.Certificate
					firstRegisteredOn *time.Time
				)
				if err := rows.Scan(&num, &dt, &c.DocNumber, &c.HolderName, &kind, &c.Subject, &c.Authority,
					&c.Issued, &c.FirstRegistered, &firstRegisteredOn, &c.Manual); err != nil {
					b.Fatal(err)
				}
				if c.Number, err = certificate.ParseNumberAt(num, far); err != nil {
					b.Fatal(err)
				}
				c.DocType, c.Kind, c.Issued = account.DocType(dt), certificate.Kind(kind), c.Issued.UTC()
				if firstRegisteredOn != nil {
					c.FirstRegisteredOn = firstRegisteredOn.UTC()
				}
				certs = append(certs, c)
			}
			lat = append(lat, time.Since(t))
			if rows.Err() != nil || len(certs) != 1 {
				b.Fatalf("lookup %d: %d rows, %v", i, len(certs), rows.Err())
			}
			i++
		}
		reportLatency(b, lat)
	})
}

// parallel8 runs n operations on 8 goroutines and returns the wall time.
func parallel8(n int64, op func() error) (time.Duration, error) {
	var next atomic.Int64
	var first atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range 8 {
		wg.Go(func() {
			for next.Add(1) <= n {
				if err := op(); err != nil {
					first.CompareAndSwap(nil, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err, _ := first.Load().(error); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// BenchmarkPostgresSubmitInterleaved measures the portal's submission, registration.Submit over
// the store (Store.CreateNumbered: the number from the store's sequence, the application and its
// event in one statement, the photo referenced by the key it was stored under at upload), next to its floor, a
// bare one-row INSERT transaction through pgx, in alternating rounds of 300 transactions each
// (8 clients) so that load changes on a shared machine affect both alike. For the record it
// also measures the upload step's photo write (Store.SavePhoto of fresh 60 KB) next to a bare
// INSERT transaction of the same bytes, and the submission with its number drawn first (two
// round trips instead of one).
func BenchmarkPostgresSubmitInterleaved(b *testing.B) {
	env := pgBench(b)
	ctx := context.Background()
	s := env.store
	cat, err := s.Catalogue(ctx)
	if err != nil {
		b.Fatal(err)
	}
	point := cat.Points[0]
	auth, ok := cat.Authority(point.AuthorityID)
	if !ok {
		b.Fatal("no authority for the first confirmation point")
	}
	acct, err := s.CreateAccount(ctx, func() account.Account {
		a := newAccount(fmt.Sprintf("I%08d", time.Now().UnixNano()%100_000_000), "交错压测")
		a.DocType = account.DocPassport
		return a
	}())
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE IF NOT EXISTS bench_floor (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v TEXT NOT NULL)",
		"CREATE TABLE IF NOT EXISTS bench_floor_photo (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v BYTEA NOT NULL)",
		"ALTER TABLE bench_floor_photo ALTER COLUMN v SET STORAGE EXTERNAL",
	} {
		if _, err := env.pool.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	photo := make([]byte, 60*1024)
	_, _ = rand.Read(photo)
	stored, err := s.SavePhoto(ctx, acct.ID, photo, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	var seq atomic.Int64
	app := func() *registration.Application {
		n := seq.Add(1)
		now := time.Now()
		return &registration.Application{AccountID: fmt.Sprint(acct.ID),
			Certificate: certificate.MustParseNumber(fmt.Sprintf("202144%03d21%06d", (n/1_000_000)%1000, n%1_000_000)),
			Kind:        certificate.Primary, Stage: registration.StagePrimary, Subject: "01", Photo: stored,
			AuthorityID: point.AuthorityID, ConfirmationPointID: point.ID, Status: registration.StatusPending,
			SubmittedAt: now,
			Events:      []registration.Event{{Actor: registration.ActorApplicant, To: registration.StatusPending, At: now, Note: "网上报名"}}}
	}
	pgxTx := func(query string, arg any) func() error {
		return func() error {
			tx, err := env.pool.Begin(ctx)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, query, arg); err != nil {
				_ = tx.Rollback(ctx)
				return err
			}
			return tx.Commit(ctx)
		}
	}
	kinds := []struct {
		name string
		op   func() error
	}{
		{"submit", func() error { return registration.Submit(ctx, s, nil, app(), auth.Province) }},
		{"floor", pgxTx("INSERT INTO bench_floor (v) VALUES ($1)", "x")},
		{"save-photo", func() error {
			p := slices.Clone(photo)
			binary.BigEndian.PutUint64(p, uint64(seq.Add(1)))
			_, _ = rand.Read(p[8:16])
			_, err := s.SavePhoto(ctx, acct.ID, p, time.Now())
			return err
		}},
		{"floor-photo", pgxTx("INSERT INTO bench_floor_photo (v) VALUES ($1)", photo)},
		// The same submission numbered first (NextSequence, then CreateApplication): what
		// CreateNumbered's one statement saves.
		{"submit-number-first", func() error {
			return registration.Submit(ctx, s, registration.SequenceNumbers{Seq: s}, app(), auth.Province)
		}},
	}
	const perRound = 300
	total := make([]time.Duration, len(kinds))
	rounds := 0
	for b.Loop() {
		// Earlier rounds' applications are concluded so fresh numbers never meet an active one.
		if _, err := s.DB().NewRaw("UPDATE applications SET status = 3 WHERE account_id = ? AND status IN (1, 2)", acct.ID).Exec(ctx); err != nil {
			b.Fatal(err)
		}
		for i, k := range kinds {
			d, err := parallel8(perRound, k.op)
			if err != nil {
				b.Fatalf("%s: %v", k.name, err)
			}
			total[i] += d
		}
		rounds++
	}
	tps := make([]float64, len(kinds))
	for i, k := range kinds {
		tps[i] = float64(rounds*perRound) / total[i].Seconds()
		b.ReportMetric(tps[i], k.name+"-tx/s")
	}
	b.ReportMetric(tps[0]/tps[1], "submit/floor")
	b.ReportMetric(tps[2]/tps[3], "save-photo/floor-photo")
	b.ReportMetric(tps[4]/tps[1], "submit-number-first/floor")
	b.ReportMetric(0, "ns/op")
}
