// Command loadtest drives a running portal (examples/portal) over HTTP the way browsers do, on
// this machine only (127.0.0.1, ::1, localhost), and measures it next to floors taken in the
// same run: a bare net/http page, a bare pgx INSERT transaction, argon2id hashing.
//
// The portal must be built with the load-test captcha hook and run with it switched on:
//
//	go build -tags loadtest -o /tmp/portal-load ./examples/portal
//	TQREG_LOADTEST_CAPTCHA=1 /tmp/portal-load -db postgres://postgres@127.0.0.1:5432/test -addr 127.0.0.1:8080
//	go run ./examples/portal/cmd/loadtest -url http://127.0.0.1:8080 -db postgres://postgres@127.0.0.1:5432/test
//
// scripts/load-and-faults.sh does all of that plus the fault runs. Modes (-mode):
//
//	load      (default) prepare load accounts, measure the floors and the portal's paths, then
//	          an open-loop mixed run: new applicants (login, window query with htmx, the whole
//	          wizard with a photo upload, submit, 查询报名信息), returning applicants (status
//	          page, PDF download) and staff (queue, confirm, decide; TOTP login)
//	badinput  oversized bodies, malformed multipart, broken JPEGs, very long fields and invalid
//	          UTF-8 at a fixed rate; every answer must be a 4xx HTML page; -pid reports peak RSS
//	verify    check the database against the numbers the portal handed out (-numbers file):
//	          every number stored, each application with its event and photo, no duplicate
//	          numbers, at most one active application per (account, certificate)
//	seed      only create the load accounts (and, with -seed-large, the large dataset)
//
// Latency is measured from each arrival's scheduled time (open loop), so a slow portal shows up
// as latency, not as lower load. The run ends with "N passed, N failed" and exits 1 when the
// failed share exceeds -max-fail.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/cmd/loadtest/loadgen"
	"github.com/tqreg/tqreg/examples/portal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type config struct {
	urls        []*url.URL
	dsn         string
	mode        string
	rate        float64
	duration    time.Duration
	count       int
	users       int
	staff       int
	mix         [3]int // new, returning, staff
	floors      bool
	floorDur    time.Duration
	conc        int
	submitN     int
	seedLarge   bool
	maxFail     float64
	numbersFile string
	pid         int
	progress    bool
}

func parse(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	rawURL := fs.String("url", "http://127.0.0.1:8080", "portal URL(s), comma-separated: requests alternate between them (127.0.0.1/localhost only)")
	fs.StringVar(&c.dsn, "db", os.Getenv("DATABASE_URL"), "the portal's Postgres (for load accounts, floors and verify)")
	fs.StringVar(&c.mode, "mode", "load", "load, badinput, verify or seed")
	fs.Float64Var(&c.rate, "rate", 10, "arrivals per second of the open-loop run")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "length of the open-loop run")
	fs.IntVar(&c.count, "count", 0, "at most this many arrivals (0: rate × duration)")
	fs.IntVar(&c.users, "users", 0, "load applicant accounts to prepare (0: enough for the run)")
	fs.IntVar(&c.staff, "staff", 2, "load staff per role")
	mix := fs.String("mix", "60,30,10", "shares of new applicants, returning applicants and staff")
	fs.BoolVar(&c.floors, "floors", true, "measure the floors and the capacity ratios before the open-loop run")
	fs.DurationVar(&c.floorDur, "floor-duration", 5*time.Second, "length of each floor/capacity measurement")
	fs.IntVar(&c.conc, "concurrency", 8, "concurrent clients of the capacity measurements")
	fs.IntVar(&c.submitN, "submissions", 200, "submissions in the submission-vs-INSERT measurement")
	fs.BoolVar(&c.seedLarge, "seed-large", false, "first seed 1 M certificates and 100 k applications (Postgres)")
	fs.Float64Var(&c.maxFail, "max-fail", 0.01, "exit 1 when more than this share of arrivals failed")
	fs.StringVar(&c.numbersFile, "numbers", "", "file: append every application number the portal handed out (load), or read them (verify)")
	fs.IntVar(&c.pid, "pid", 0, "the portal's process id, to report its peak RSS (VmHWM)")
	fs.BoolVar(&c.progress, "progress", true, "print a progress line while running")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	for _, raw := range strings.Split(*rawURL, ",") {
		raw = strings.TrimRight(strings.TrimSpace(raw), "/")
		if err := loadgen.CheckLocal(raw); err != nil {
			return nil, err
		}
		u, _ := url.Parse(raw + "/")
		c.urls = append(c.urls, u)
	}
	if _, err := fmt.Sscanf(*mix, "%d,%d,%d", &c.mix[0], &c.mix[1], &c.mix[2]); err != nil || c.mix[0]+c.mix[1]+c.mix[2] <= 0 {
		return nil, fmt.Errorf("-mix %q: want three shares like 60,30,10", *mix)
	}
	if c.dsn != "" && !strings.HasPrefix(c.dsn, "postgres://") && !strings.HasPrefix(c.dsn, "postgresql://") {
		return nil, errors.New("-db must be a postgres:// URL")
	}
	if c.dsn != "" {
		if u, err := url.Parse(c.dsn); err != nil || !loadgen.LocalHost(u.Hostname()) {
			return nil, fmt.Errorf("-db: %w", loadgen.ErrNotLocal)
		}
	}
	return &c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parse(args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 2
	}
	switch c.mode {
	case "load", "seed":
		err = runLoad(ctx, c, stdout, stderr)
	case "badinput":
		err = runBadInput(ctx, c, stdout, stderr)
	case "verify":
		err = runVerify(ctx, c, stdout)
	default:
		err = fmt.Errorf("unknown -mode %q", c.mode)
	}
	if errors.Is(err, errFailing) {
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 2
	}
	return 0
}

var errFailing = errors.New("too many failures")

// pool hands out items to concurrent users.
type pool[T any] struct {
	mu    sync.Mutex
	items []T
}

func (p *pool[T]) put(v T) { p.mu.Lock(); p.items = append(p.items, v); p.mu.Unlock() }
func (p *pool[T]) take() (T, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var zero T
	if len(p.items) == 0 {
		return zero, false
	}
	v := p.items[len(p.items)-1]
	p.items = p.items[:len(p.items)-1]
	return v, true
}
func (p *pool[T]) pick(i int) (T, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var zero T
	if len(p.items) == 0 {
		return zero, false
	}
	return p.items[i%len(p.items)], true
}
func (p *pool[T]) len() int { p.mu.Lock(); defer p.mu.Unlock(); return len(p.items) }

type returning struct {
	b      *browser
	number string
}

func runLoad(ctx context.Context, c *config, stdout, stderr io.Writer) error {
	if c.dsn == "" {
		return errors.New("-db postgres://… is required (load accounts are created in the portal's database)")
	}
	// the load program's own handle: bulk seeding needs more than the portal's 2.5 s timeout
	st, err := store.Open(ctx, c.dsn, store.WithStatementTimeout(10*time.Minute))
	if err != nil {
		return err
	}
	defer st.Close()
	if c.seedLarge {
		if err := seedLarge(ctx, st, stdout); err != nil {
			return err
		}
	}
	total := loadgen.Plan{Rate: c.rate, Count: c.count, Duration: c.duration}.Total()
	loginAccounts := 2 * c.conc // the login capacity phase cycles through these (see below)
	if c.users == 0 {
		c.users = total + 50
		if c.floors {
			c.users += loginAccounts + c.submitN
		}
	}
	hasher, err := account.NewHasher(account.DefaultParams, runtime.NumCPU())
	if err != nil {
		return err
	}
	t0 := time.Now()
	users, err := ensureUsers(ctx, st, c.users, hasher, time.Now())
	if err != nil {
		return err
	}
	staff, err := ensureStaff(ctx, st, c.staff, hasher, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "prepared %d load applicants and %d staff in %s\n", len(users), len(staff), time.Since(t0).Round(time.Millisecond))
	if c.mode == "seed" {
		return nil
	}
	// users nobody has used for an application yet (a rerun skips those with one)
	fresh := &pool[loadUser]{}
	used, err := usersWithApplications(ctx, st)
	if err != nil {
		return err
	}
	for i := len(users) - 1; i >= 0; i-- {
		if !used[users[i].DocNumber] {
			fresh.put(users[i])
		}
	}
	photos := make([][]byte, 8)
	for i := range photos {
		if photos[i], err = genPhoto(i); err != nil {
			return err
		}
	}
	tr := loadgen.LocalTransport(1024)
	numbers := &numberLog{}
	if c.numbersFile != "" {
		f, err := os.OpenFile(c.numbersFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		numbers.w = f
	}
	rec := loadgen.NewRecorder()
	newB := func() *browser { return newBrowser(c.urls, tr, rec) }
	back := &pool[returning]{}
	var figures []string
	fig := func(format string, a ...any) {
		s := fmt.Sprintf(format, a...)
		figures = append(figures, s)
		fmt.Fprintln(stdout, s)
	}

	if c.floors {
		fmt.Fprintf(stdout, "\n== floors and capacity (%d cores, concurrency %d, %s each) ==\n", runtime.NumCPU(), c.conc, c.floorDur)
		frec := loadgen.NewRecorder()
		// 1. argon2id on all cores vs logins per second
		hps, err := argonFloor(ctx, c.floorDur)
		if err != nil {
			return err
		}
		// The login phase logs the same few accounts in again and again (each login is a new
		// session, which is all it measures), so the accounts it needs do not grow with the
		// login rate and the submission and open-loop phases keep theirs.
		var loginUsers []loadUser
		for range loginAccounts {
			if u, ok := fresh.take(); ok {
				loginUsers = append(loginUsers, u)
			}
		}
		var nextLogin atomic.Int64
		logged := &pool[*browser]{}
		lok, lfail, lel := loadgen.Saturate(ctx, nil, c.conc, c.floorDur, func(ctx context.Context) error {
			if len(loginUsers) == 0 {
				return errors.New("out of load users: raise -users")
			}
			u := loginUsers[int(nextLogin.Add(1)-1)%len(loginUsers)]
			b := newBrowser(c.urls, tr, frec)
			b.at(time.Now())
			if err := login(ctx, b, u); err != nil {
				return err
			}
			logged.put(b)
			return nil
		})
		lps := float64(lok) / lel.Seconds()
		fig("login: %.1f logins/s (%d failed) vs argon2id alone on %d cores %.1f hashes/s → %s", lps, lfail, runtime.NumCPU(), hps, loadgen.Ratio(lps, hps))

		// 2. submissions vs bare INSERT transactions, same concurrency
		ready := &pool[*browser]{}
		var prepWG sync.WaitGroup
		var prepLeft atomic.Int64
		prepLeft.Store(int64(c.submitN))
		for range c.conc {
			prepWG.Add(1)
			go func() {
				defer prepWG.Done()
				for prepLeft.Add(-1) >= 0 && ctx.Err() == nil {
					u, ok := fresh.take()
					if !ok {
						return
					}
					b := newBrowser(c.urls, tr, frec)
					b.at(time.Now())
					err := login(ctx, b, u)
					if err == nil {
						_, err = apply(ctx, b, u, photos[u.Index%len(photos)], true)
					}
					if err != nil {
						fmt.Fprintln(stderr, "prepare submission:", err)
						continue
					}
					ready.put(b)
				}
			}()
		}
		prepWG.Wait()
		n := ready.len()
		var sok, sfail atomic.Int64
		sStart := time.Now()
		var wg sync.WaitGroup
		for range c.conc {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					b, ok := ready.take()
					if !ok {
						return
					}
					b.at(time.Now())
					num, err := commit(ctx, b)
					if err != nil {
						sfail.Add(1)
						continue
					}
					sok.Add(1)
					numbers.add(num)
					back.put(returning{b: b, number: num})
				}
			}()
		}
		wg.Wait()
		sps := float64(sok.Load()) / time.Since(sStart).Seconds()
		ips, err := insertFloor(ctx, c.dsn, c.conc, max(n, 200))
		if err != nil {
			return err
		}
		// what the submission path does besides its INSERTs: every wizard request loads the
		// catalogue (provinces … windows) from the database
		var catTotal time.Duration
		const catN = 20
		for range catN {
			t := time.Now()
			if _, err := st.Catalogue(ctx); err != nil {
				return err
			}
			catTotal += time.Since(t)
		}
		fig("store.Catalogue (loaded by every wizard and window-query request): %s per call, sequential", loadgen.Round(catTotal/catN))
		fig("submission: %.1f submissions/s (%d of %d ok) vs bare pgx one-row INSERT transaction %.1f tx/s → %s", sps, sok.Load(), n, ips, loadgen.Ratio(sps, ips))

		// 3. status page vs a bare page of the same size: capacity, then latency at a fixed rate
		sb, ok := logged.pick(0)
		if !ok {
			if r, ok2 := back.pick(0); ok2 {
				sb, ok = r.b, true
			}
		}
		if ok {
			sb.at(time.Now())
			p, err := status(ctx, sb, "")
			if err != nil {
				return err
			}
			bareURL, stopBare, err := bareServer(len(p.Body))
			if err != nil {
				return err
			}
			bu, _ := url.Parse(bareURL + "/")
			bare := newBrowser([]*url.URL{bu}, tr, frec)
			bok, _, bel := loadgen.Saturate(ctx, nil, c.conc, c.floorDur, func(ctx context.Context) error {
				bare.due = time.Time{}
				_, err := bare.get(ctx, epBare, "/", navigate, 200)
				return err
			})
			var sbs []*browser
			for i := range c.conc {
				if x, ok := logged.pick(i); ok {
					sbs = append(sbs, x)
				}
			}
			var idx atomic.Int64
			pok, pfail, pel := loadgen.Saturate(ctx, nil, c.conc, c.floorDur, func(ctx context.Context) error {
				// each worker its own browser: a browser is not safe for concurrent use
				b := newBrowser(c.urls, tr, frec)
				b.hc.Jar = sbs[int(idx.Add(1))%len(sbs)].hc.Jar
				_, err := status(ctx, b, "")
				return err
			})
			brps, prps := float64(bok)/bel.Seconds(), float64(pok)/pel.Seconds()
			fig("status page (%d bytes): %.0f req/s (%d failed) vs bare net/http page of the same size %.0f req/s → %s", len(p.Body), prps, pfail, brps, loadgen.Ratio(prps, brps))
			// latency at the same fixed rate, open loop
			rate := max(1, prps/2)
			lrec := loadgen.NewRecorder()
			fixed := func(name, base string) loadgen.EndpointStats {
				r := &loadgen.Runner{}
				r.Run(ctx, loadgen.Plan{Rate: rate, Duration: c.floorDur}, func(ctx context.Context, a loadgen.Arrival) {
					var b *browser
					if base != "" {
						b = newBrowser([]*url.URL{bu}, tr, lrec)
					} else {
						b = newBrowser(c.urls, tr, lrec)
						b.hc.Jar = sbs[a.Index%len(sbs)].hc.Jar
					}
					b.at(a.Scheduled)
					if base != "" {
						_, _ = b.get(ctx, name, "/", navigate, 200)
					} else {
						_, _ = b.get(ctx, name, "/platform/applications", navigate, 200)
					}
				})
				return lrec.Endpoint(name)
			}
			fb := fixed("bare page at fixed rate", bareURL)
			fp := fixed("status page at fixed rate", "")
			stopBare()
			fig("status page at %.0f req/s open loop: p50 %s p99 %s vs bare page p50 %s p99 %s → p50 %s, p99 %s",
				rate, loadgen.Round(fp.P50), loadgen.Round(fp.P99), loadgen.Round(fb.P50), loadgen.Round(fb.P99),
				loadgen.Ratio(float64(fp.P50), float64(fb.P50)), loadgen.Ratio(float64(fp.P99), float64(fb.P99)))
		}
		fmt.Fprintln(stdout, "\nfloor-phase requests:")
		_ = loadgen.WriteReport(stdout, frec.Stats())
	}

	// age this run's applications past FormDelay (1 h) so returning users can download the PDF
	if err := ageApplications(ctx, st); err != nil {
		fmt.Fprintln(stderr, "age applications:", err)
	}
	// staff log in once (TOTP codes are single-use per 30 s step)
	var points, authorities []*browser
	for _, s := range staff {
		b := newB()
		b.at(time.Now())
		if err := staffLogin(ctx, b, s); err != nil {
			return fmt.Errorf("staff %s: %w", s.Username, err)
		}
		if s.Role == store.RoleConfirmationPoint {
			points = append(points, b)
		} else {
			authorities = append(authorities, b)
		}
	}

	// the open-loop mixed run
	fmt.Fprintf(stdout, "\n== open-loop run: %.1f arrivals/s, %d arrivals, mix new/returning/staff %d/%d/%d ==\n", c.rate, total, c.mix[0], c.mix[1], c.mix[2])
	runner := &loadgen.Runner{OnDrop: func(loadgen.Arrival) { rec.Done(errors.New("dropped")) }}
	pctx, stopProgress := context.WithCancel(ctx)
	if c.progress {
		go loadgen.Progress(pctx, stderr, time.Second, "open loop", total, runner, rec)
	}
	sum := c.mix[0] + c.mix[1] + c.mix[2]
	var backMu sync.Mutex
	res := runner.Run(ctx, loadgen.Plan{Rate: c.rate, Count: c.count, Duration: c.duration}, func(ctx context.Context, a loadgen.Arrival) {
		r := rand.IntN(sum)
		var err error
		switch {
		case r < c.mix[0]:
			u, ok := fresh.take()
			if !ok {
				err = errors.New("out of load users: raise -users")
				break
			}
			b := newB()
			b.at(a.Scheduled)
			if err = login(ctx, b, u); err != nil {
				break
			}
			var num string
			if num, err = apply(ctx, b, u, photos[u.Index%len(photos)], false); err != nil {
				break
			}
			numbers.add(num)
			_, err = status(ctx, b, num)
		case r < c.mix[0]+c.mix[1]:
			backMu.Lock()
			rb, ok := back.pick(a.Index)
			backMu.Unlock()
			if !ok {
				// nobody has applied yet: a returning user with no application looks at the platform
				b := newB()
				b.at(a.Scheduled)
				u, ok := fresh.take()
				if !ok {
					err = errors.New("out of load users")
					break
				}
				err = login(ctx, b, u)
				break
			}
			// the browser is shared by arrivals: give this one its own client with the same cookies
			b := newB()
			b.hc.Jar = rb.b.hc.Jar
			b.at(a.Scheduled)
			if _, err = status(ctx, b, rb.number); err != nil {
				break
			}
			err = downloadPDF(ctx, b, rb.number)
		default:
			if len(points) == 0 {
				break
			}
			var b *browser
			if a.Index%2 == 0 {
				b = newB()
				b.hc.Jar = points[a.Index%len(points)].hc.Jar
				b.at(a.Scheduled)
				err = confirmOne(ctx, b, a.Index)
			} else {
				b = newB()
				b.hc.Jar = authorities[a.Index%len(authorities)].hc.Jar
				b.at(a.Scheduled)
				err = decideOne(ctx, b, a.Index)
			}
		}
		rec.Done(err)
		if err != nil && c.progress {
			fmt.Fprintf(stderr, "\n%s\n", err)
		}
	})
	stopProgress()
	time.Sleep(10 * time.Millisecond)
	fmt.Fprintln(stdout)
	_ = loadgen.WriteReport(stdout, rec.Stats())
	fmt.Fprintf(stdout, "arrivals: %d started, %d dropped, scheduler max lag %s, %s\n", res.Started, res.Dropped, loadgen.Round(res.MaxLag), loadgen.Round(res.Elapsed))
	if c.pid > 0 {
		fmt.Fprintf(stdout, "portal peak RSS (VmHWM): %s\n", peakRSS(c.pid))
	}
	if len(figures) > 0 {
		fmt.Fprintln(stdout, "\nratios:")
		for _, f := range figures {
			fmt.Fprintln(stdout, "  "+f)
		}
	}
	passed, failed := rec.Totals()
	fmt.Fprintln(stdout, loadgen.Summary(passed, failed))
	if loadgen.Failing(passed, failed, c.maxFail) {
		return errFailing
	}
	return nil
}

// numberLog records the application numbers the portal handed out.
type numberLog struct {
	mu sync.Mutex
	w  io.Writer
	n  int
}

func (l *numberLog) add(n string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	if l.w != nil {
		fmt.Fprintln(l.w, n)
	}
}

func readFile(name string) ([]byte, error) { return os.ReadFile(name) }
