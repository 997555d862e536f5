package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/registration"
)

// addApplicants stores n accounts, each with one certificate and a photo stored at upload,
// and returns applications ready to submit (no number: registration.Submit draws one).
func addApplicants(t *testing.T, s *store.Store, f fixture, n int) []*registration.Application {
	t.Helper()
	ctx := context.Background()
	apps := make([]*registration.Application, n)
	must(t, s.RunInTx(ctx, func(ctx context.Context, tx *store.Store) error {
		for i := range n {
			a := newAccount(fmt.Sprintf("P%08d", i), fmt.Sprintf("申请人%d", i))
			a.DocType = account.DocPassport
			acct, err := tx.CreateAccount(ctx, a)
			if err != nil {
				return err
			}
			c := f.cert
			c.Number = certificate.MustParseNumber(fmt.Sprintf("2014450022%07d", i))
			c.DocType, c.DocNumber, c.HolderName = a.DocType, a.DocNumber, a.Name
			if err := tx.AddCertificate(ctx, c, 0); err != nil {
				return err
			}
			key, err := tx.SavePhoto(ctx, acct.ID, []byte(fmt.Sprintf("photo %d", i)), t0)
			if err != nil {
				return err
			}
			app := f.application("")
			app.AccountID, app.Certificate, app.Photo = fmt.Sprint(acct.ID), c.Number, key
			apps[i] = app
		}
		return nil
	}))
	return apps
}

// submit is the portal's submission: registration.Submit over the store (Store.CreateNumbered:
// a number from the store's sequence and the application, in one statement on Postgres).
func submit(ctx context.Context, s *store.Store, f fixture, a *registration.Application) error {
	return registration.Submit(ctx, s, nil, a, f.auth.Province)
}

func TestConcurrentSubmissionsForOneCertificateMakeOneApplication(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		const n = 50
		var won, refused atomic.Int32
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				a := f.application("")
				switch err := submit(ctx, s, f, a); {
				case err == nil:
					won.Add(1)
				case errors.Is(err, registration.ErrActiveApplication):
					refused.Add(1)
				default:
					t.Errorf("submit: %v", err)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 || refused.Load() != n-1 {
			t.Fatalf("%d submissions won, %d refused; want 1 and %d", won.Load(), refused.Load(), n-1)
		}
		apps, err := s.ApplicationsOf(ctx, fmt.Sprint(f.acct.ID))
		if err != nil || len(apps) != 1 {
			t.Fatalf("stored applications: %d, %v", len(apps), err)
		}
	})
}

func TestConcurrentSubmissionsGetUniqueNumbers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		const n = 500
		apps := addApplicants(t, s, f, n)
		var wg sync.WaitGroup
		for i, a := range apps {
			wg.Go(func() {
				if err := submit(ctx, s, f, a); err != nil {
					t.Errorf("submit %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		seen := map[string]bool{}
		for _, a := range apps {
			if _, err := registration.ParseApplicationNumber(a.Number); err != nil {
				t.Fatalf("number %q: %v", a.Number, err)
			}
			if seen[a.Number] {
				t.Fatalf("number %s given twice", a.Number)
			}
			seen[a.Number] = true
		}
		items, err := s.Queue(ctx, store.QueueQuery{AuthorityID: f.auth.ID, Limit: 1000})
		if err != nil || len(items) != n {
			t.Fatalf("stored: %d, %v; want %d", len(items), err, n)
		}
		for _, it := range items {
			if !seen[it.Application.Number] || len(it.Application.Events) != 1 {
				t.Fatalf("stored application %s: events %d", it.Application.Number, len(it.Application.Events))
			}
		}
	})
}

func TestConcurrentReviewersOneWins(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		for round := range 10 {
			a := f.application(fmt.Sprintf("202645%08d", round+1))
			a.Certificate = certificate.MustParseNumber(fmt.Sprintf("2013450012%07d", round))
			must(t, s.CreateApplication(ctx, a))
			// Two reviewers load the same version; one confirms, one returns it with a message.
			r1, err := s.Application(ctx, a.Number)
			must(t, err)
			r2, err := s.Application(ctx, a.Number)
			must(t, err)
			must(t, r1.Transition(registration.StatusConfirmed, registration.ActorConfirmationPoint, t0, "确认"))
			must(t, r2.Transition(registration.StatusWithdrawn, registration.ActorApplicant, t0, "撤回"))
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i, r := range []*registration.Application{r1, r2} {
				wg.Go(func() { errs[i] = s.SaveApplicationAs(ctx, r, fmt.Sprint("reviewer-", i)) })
			}
			wg.Wait()
			wins := 0
			for _, err := range errs {
				switch {
				case err == nil:
					wins++
				case errors.Is(err, store.ErrConflict) && errors.Is(err, registration.ErrConflict):
				default:
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if wins != 1 {
				t.Fatalf("round %d: %d saves won (%v)", round, wins, errs)
			}
			got, _ := s.Application(ctx, a.Number)
			if got.Version != 2 || len(got.Events) != 2 {
				t.Fatalf("round %d: version %d, %d events; want 2, 2", round, got.Version, len(got.Events))
			}
		}
	})
}

// checkNoPartialApplications opens dsn afresh and checks that every stored application has
// its submission event and its photo.
func checkNoPartialApplications(t *testing.T, dsn string, f fixture, n int) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, quiet)
	if err != nil {
		t.Fatalf("reopen after the fault: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	items, err := s.Queue(ctx, store.QueueQuery{AuthorityID: f.auth.ID, Limit: 10 * n})
	must(t, err)
	for _, it := range items {
		if len(it.Application.Events) != 1 {
			t.Errorf("application %s has %d events", it.Application.Number, len(it.Application.Events))
		}
		if _, err := s.Photo(ctx, it.Application.Photo); err != nil {
			t.Errorf("application %s lost its photo: %v", it.Application.Number, err)
		}
	}
	return s
}

// submitUntilFailure submits apps from 8 goroutines and calls fault once a few succeeded.
// Every error must be a store error kind (never a raw driver error).
func submitUntilFailure(t *testing.T, s *store.Store, f fixture, apps []*registration.Application, fault func()) (ok, failed int32) {
	t.Helper()
	ctx := context.Background()
	var okN, failN atomic.Int32
	next := atomic.Int32{}
	var once sync.Once
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(apps) {
					return
				}
				err := submit(ctx, s, f, apps[i])
				switch {
				case err == nil:
					if okN.Add(1) == 20 {
						once.Do(fault)
					}
				case errors.Is(err, store.ErrUnavailable), errors.Is(err, store.ErrInternal):
					failN.Add(1)
					var se *store.Error
					if !errors.As(err, &se) || se.Error() == "" {
						t.Errorf("untyped error: %v", err)
					}
				default:
					t.Errorf("submit %d: unexpected error %v (%T)", i, err, err)
				}
			}
		})
	}
	wg.Wait()
	return okN.Load(), failN.Load()
}

func TestFaultPoolClosedMidUse(t *testing.T) {
	t.Parallel()
	run := func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn, quiet)
		must(t, err)
		f := newFixture(t, s)
		apps := addApplicants(t, s, f, 200)
		ok, failed := submitUntilFailure(t, s, f, apps, func() { _ = s.Close() })
		if ok < 20 || failed == 0 {
			t.Fatalf("%d succeeded, %d failed; want ≥ 20 and some failures", ok, failed)
		}
		if err := s.Ping(ctx); !errors.Is(err, store.ErrUnavailable) {
			t.Fatalf("closed store: Ping = %v, want ErrUnavailable", err)
		}
		if _, err := s.Application(ctx, apps[0].Number); !errors.Is(err, store.ErrUnavailable) {
			t.Fatalf("closed store: Application = %v, want ErrUnavailable", err)
		}
		s2 := checkNoPartialApplications(t, dsn, f, len(apps))
		last := apps[len(apps)-1]
		last.Number, last.Version = "", 0
		if err := submit(ctx, s2, f, last); err != nil && !errors.Is(err, registration.ErrActiveApplication) {
			t.Fatalf("submit after reopening: %v", err)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, filepath.Join(t.TempDir(), "fault.db")) })
	t.Run("postgres", func(t *testing.T) {
		dsn, _ := storetest.PostgresSchema(t)
		run(t, dsn)
	})
}

// proxy forwards TCP connections to target until stopped; it can be started again on the
// same port, like a database server that goes away and comes back.
type proxy struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func (p *proxy) start(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", p.target)
			if err != nil {
				_ = c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(u, c); _ = u.Close() }()
			go func() { _, _ = io.Copy(c, u); _ = c.Close() }()
		}
	}()
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.ln.Close()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

func TestFaultPostgresGoesAwayAndComesBack(t *testing.T) {
	t.Parallel()
	dsn, _ := storetest.PostgresSchema(t)
	ctx := context.Background()
	p := &proxy{addr: "127.0.0.1:0", target: "127.0.0.1:5432"}
	if u, err := parseHost(dsn); err == nil {
		p.target = u
	}
	p.start(t)
	t.Cleanup(p.stop)
	viaProxy, err := replaceHost(dsn, p.addr)
	must(t, err)
	s, err := store.Open(ctx, viaProxy, quiet)
	must(t, err)
	t.Cleanup(func() { _ = s.Close() })
	f := newFixture(t, s)
	apps := addApplicants(t, s, f, 200)

	ok, failed := submitUntilFailure(t, s, f, apps, p.stop)
	if ok < 20 || failed == 0 {
		t.Fatalf("%d succeeded, %d failed; want ≥ 20 and some failures", ok, failed)
	}
	if _, err := store.Open(ctx, viaProxy+"&connect_timeout=2", quiet); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("Open while the server is away: %v, want ErrUnavailable", err)
	}
	checkNoPartialApplications(t, dsn, f, len(apps))

	// The server comes back: the same store works again, and so does a new Open.
	p.start(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := s.Ping(ctx)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("store did not recover: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A submission that failed and is not stored (one whose commit was cut off on the
	// way back may be stored: the client cannot know, the database is consistent either way).
	var retry *registration.Application
	for _, a := range apps {
		if a.Version != 0 {
			continue
		}
		if _, err := s.ActiveApplication(ctx, a.AccountID, a.Certificate); errors.Is(err, store.ErrNotFound) {
			retry = a
			break
		}
	}
	if retry == nil {
		t.Fatal("no failed submission to retry")
	}
	retry.Number = ""
	if err := submit(ctx, s, f, retry); err != nil {
		t.Fatalf("resubmit after recovery: %v", err)
	}
	s2, err := store.Open(ctx, viaProxy, quiet)
	if err != nil {
		t.Fatalf("Open after recovery: %v", err)
	}
	_ = s2.Close()
}
