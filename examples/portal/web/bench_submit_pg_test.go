package web_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/static"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/examples/portal/web"
	"github.com/tqreg/tqreg/photo"
	"github.com/tqreg/tqreg/registration"
)

// BenchmarkPostgresWizardSubmit measures the portal's submission, the step-6 (个人承诺) POST
// that creates the application, through the whole handler stack over HTTP on Postgres with 8
// concurrent clients, next to its floor measured in the same run, in alternating rounds: a bare
// one-row INSERT transaction through pgx, 8 clients, as many as submissions. Each iteration submits one wizard that was driven to
// step 6 (login, steps 0–5, photo stored at step 2) before the timer started. Runs only with
// TQREG_BENCH_PG=1 and TEST_DATABASE_URL (a fresh schema per run):
//
//	TQREG_BENCH_PG=1 TEST_DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
//	  go test -run '^$' -bench PostgresWizardSubmit -benchtime 400x -count 5 ./examples/portal/web
//
// TQREG_BENCH_CPUPROFILE=file writes a CPU profile of the timed rounds only (not of the
// preparation; the floor's pgx calls are a small part of it).
func BenchmarkPostgresWizardSubmit(b *testing.B) {
	base := os.Getenv("TEST_DATABASE_URL")
	if os.Getenv("TQREG_BENCH_PG") != "1" || base == "" {
		b.Skip("Postgres benchmark: set TQREG_BENCH_PG=1 and TEST_DATABASE_URL")
	}
	ctx := context.Background()
	clock := newClock()
	st := storetest.OpenPostgres(b, store.WithClock(clock.Now), store.WithLogger(discardLogger()))
	srv, err := web.New(web.Config{Store: st, Static: static.FS, Now: clock.Now, Logger: discardLogger(), Dev: true,
		BaseURL:  "http://portal.test",
		Services: web.Services{Captcha: testCaptcha{account.CaptchaSlider}, TextCaptcha: testCaptcha{account.CaptchaText}, Hasher: testHasher}})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	hs.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = 16

	cat := benchCatalogue(b, st, clock.Now())
	good, err := photo.Normalize(portrait(400, 560), photo.Registration)
	if err != nil {
		b.Fatal(err)
	}
	hash, err := testHasher.Hash("Registration-2026!")
	if err != nil {
		b.Fatal(err)
	}
	var accounts atomic.Int64

	// ready drives one new applicant's wizard to step 6 and returns its browser.
	ready := func() (*benchBrowser, error) {
		n := accounts.Add(1)
		doc := residentID("110105" + time.Date(1975, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n/1000)).Format("20060102") + fmt.Sprintf("%03d", n%1000))
		acc, err := st.CreateAccount(ctx, account.Account{DocType: account.DocResidentID, DocNumber: doc,
			Name: "压测" + fmt.Sprint(n), Phone: fmt.Sprintf("139%08d", n), Email: fmt.Sprintf("b%d@example.com", n),
			RegisteredAt: clock.Now(), PasswordHash: hash, PasswordChangedAt: clock.Now(), RealNameVerified: true})
		if err != nil {
			return nil, err
		}
		cert := certificate.MustParseNumber(fmt.Sprintf("20154400121%06d", n))
		if err := st.AddCertificate(ctx, certificate.Certificate{Number: cert, HolderName: acc.Name,
			DocType: account.DocResidentID, DocNumber: doc, Kind: cert.Kind(), Subject: "语文", Authority: "广州市教育局",
			Issued: clock.Now().AddDate(-11, 0, 0)}, 0); err != nil {
			return nil, err
		}
		key, err := st.SavePhoto(ctx, acc.ID, good, clock.Now())
		if err != nil {
			return nil, err
		}
		c := newBenchBrowser(hs)
		steps := []struct {
			path string
			form url.Values
			want int
		}{
			{"/login", loginForm(doc, "Registration-2026!"), http.StatusSeeOther},
			{"/platform/wizard/start", url.Values{"window": {cat.window}, "point": {cat.point}}, http.StatusSeeOther},
			{"/platform/wizard", url.Values{"step": {"1"}, "agree": {"1"}}, http.StatusSeeOther},
			{"/platform/wizard", merge(infoValues(), url.Values{"step": {"2"}, "certificate": {cert.String()}, "photo": {key}, "action": {"next"}}), http.StatusSeeOther},
			{"/platform/wizard", url.Values{"step": {"3"}, "province": {"44"}, "city": {"440100"}, "subject": {"01"}, "authority": {cat.authority}, "point": {cat.point}}, http.StatusSeeOther},
			{"/platform/wizard", url.Values{"step": {"4"}}, http.StatusSeeOther},
			{"/platform/wizard", url.Values{"step": {"5"}}, http.StatusSeeOther},
		}
		if _, _, err := c.do("GET", "/login", nil); err != nil {
			return nil, err
		}
		for _, s := range steps {
			code, body, err := c.do("POST", s.path, s.form)
			if err != nil {
				return nil, err
			}
			if code != s.want {
				return nil, fmt.Errorf("POST %s step %s: status %d\n%s", s.path, s.form.Get("step"), code, snippet(body))
			}
		}
		return c, nil
	}

	var schema string
	if err := st.DB().NewRaw("SELECT current_schema()").Scan(ctx, &schema); err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("pool_max_conns", "16")
	u.RawQuery = q.Encode()
	pool, err := pgxpool.New(ctx, u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, "CREATE TABLE bench_floor (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		b.Fatal(err)
	}
	floor := func() error {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO bench_floor (v) VALUES ($1)", "x"); err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		return tx.Commit(ctx)
	}

	browsers := make(chan *benchBrowser, b.N)
	if err := parallelN(8, b.N, func() error {
		c, err := ready()
		if err == nil {
			browsers <- c
		}
		return err
	}); err != nil {
		b.Fatal(err)
	}
	close(browsers)
	commit := url.Values{"step": {"6"}, "commitment": {"agree"}}
	b.ResetTimer()
	// Rounds of at most 100 floor transactions, then as many submissions, so that load changes
	// on a shared machine affect both alike.
	var floorTime, portalTime time.Duration
	stopProfile := profileFrom(b, os.Getenv("TQREG_BENCH_CPUPROFILE"))
	for done := 0; done < b.N; {
		n := min(100, b.N-done)
		start := time.Now()
		if err := parallelN(8, n, floor); err != nil {
			b.Fatal(err)
		}
		floorTime += time.Since(start)
		start = time.Now()
		err := parallelN(8, n, func() error {
			c := <-browsers
			code, body, err := c.do("POST", "/platform/wizard", commit)
			if err == nil && code != http.StatusSeeOther {
				err = fmt.Errorf("step 6: status %d\n%s", code, snippet(body))
			}
			return err
		})
		portalTime += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		done += n
	}
	b.StopTimer()
	stopProfile()
	portal, floorTPS := float64(b.N)/portalTime.Seconds(), float64(b.N)/floorTime.Seconds()
	b.ReportMetric(portal, "submissions/s")
	b.ReportMetric(floorTPS, "floor-tx/s")
	b.ReportMetric(portal/floorTPS, "ratio")
	b.ReportMetric(0, "ns/op")
	var stored int
	if err := st.DB().NewRaw("SELECT count(*) FROM applications").Scan(ctx, &stored); err != nil || stored != b.N {
		b.Fatalf("%d applications stored after %d submissions: %v", stored, b.N, err)
	}
}

// profileFrom starts a CPU profile into path (none when path is empty) and returns its stop:
// -cpuprofile would also record the wizards' preparation.
func profileFrom(b *testing.B, path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}

type benchCat struct{ window, point, authority string }

// benchCatalogue stores 广东省/广州市, one authority with a confirmation point and a
// primary-school window open now.
func benchCatalogue(b *testing.B, st *store.Store, now time.Time) benchCat {
	ctx := context.Background()
	for _, err := range []error{
		st.AddProvince(ctx, registration.Province{Code: "44", Name: "广东省"}),
		st.AddCity(ctx, registration.City{Code: "440100", Name: "广州市", Province: "44"}),
	} {
		if err != nil && !errors.Is(err, store.ErrDuplicate) {
			b.Fatal(err)
		}
	}
	auth, err := st.SaveAuthority(ctx, registration.Authority{Name: "广州市教育局", Province: "44", City: "440100",
		Stages: registration.Stages, Kinds: certificate.Kinds()})
	if err != nil {
		b.Fatal(err)
	}
	pt, err := st.SaveConfirmationPoint(ctx, registration.ConfirmationPoint{AuthorityID: auth.ID, Name: "广州市教师发展中心确认点", ScopeText: "广州市中小学教师"})
	if err != nil {
		b.Fatal(err)
	}
	win, err := st.SaveWindow(ctx, registration.Window{AuthorityID: auth.ID, Stage: registration.StagePrimary, Opens: now.Add(-24 * time.Hour), Closes: now.Add(30 * 24 * time.Hour)})
	if err != nil {
		b.Fatal(err)
	}
	return benchCat{window: win.ID, point: pt.ID, authority: auth.ID}
}

// parallelN runs n calls of op on k goroutines; the first error stops the others.
func parallelN(k, n int, op func() error) error {
	var next atomic.Int64
	var first atomic.Value
	var wg sync.WaitGroup
	for range min(k, max(n, 1)) {
		wg.Go(func() {
			for first.Load() == nil && next.Add(1) <= int64(n) {
				if err := op(); err != nil {
					first.CompareAndSwap(nil, err)
					return
				}
			}
		})
	}
	wg.Wait()
	err, _ := first.Load().(error)
	return err
}

// benchBrowser is one applicant's browser for benchmarks: a cookie jar, redirects not followed,
// same-origin posts.
type benchBrowser struct {
	base string
	http *http.Client
}

func newBenchBrowser(hs *httptest.Server) *benchBrowser {
	jar, _ := cookiejar.New(nil)
	return &benchBrowser{base: hs.URL, http: &http.Client{Jar: jar, Transport: hs.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *benchBrowser) do(method, path string, form url.Values) (int, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return 0, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}
