package e2e_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/static"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/web"
)

// clock is the portal's injected clock: the wall clock's progress since the test started, moved
// from a fixed start by Advance (so "one hour later" takes no time).
type clock struct {
	mu     sync.Mutex
	start  time.Time // the portal's time when the test started
	began  time.Time // the wall clock then
	offset time.Duration
}

func newClock(start time.Time) *clock { return &clock{start: start, began: time.Now()} }

// Now is the portal's current time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.start.Add(time.Since(c.began) + c.offset)
}

// Advance moves the portal's time forward by d.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// captchaRecorder is the portal's real captcha store with a window for the test: it remembers
// the target offset of every slider puzzle it stores, the way a person sees where the hole is.
type captchaRecorder struct {
	account.CaptchaStore
	mu      sync.Mutex
	targets map[string]int
}

// Put implements account.CaptchaStore.
func (r *captchaRecorder) Put(ctx context.Context, id string, s account.CaptchaSecret) error {
	if s.Kind == account.CaptchaSlider {
		r.mu.Lock()
		r.targets[id] = s.Answer
		r.mu.Unlock()
	}
	return r.CaptchaStore.Put(ctx, id, s)
}

// target returns the X offset of the hole of the slider puzzle id.
func (r *captchaRecorder) target(id string) (int, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	x, ok := r.targets[id]
	return x, ok
}

// portal is the running application under test.
type portal struct {
	URL      string
	Clock    *clock
	Store    *store.Store
	Server   *web.Server
	Captchas *captchaRecorder
}

// startPortal serves the portal as `go run ./examples/portal` does — dev mode, plain-HTTP
// cookies, the SQLite store — on 127.0.0.1, with the test's clock and captcha recorder.
func startPortal(t *testing.T, start time.Time) *portal {
	t.Helper()
	clk := newClock(start)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "tqreg.db"), store.WithClock(clk.Now))
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	baseURL := "http://" + ln.Addr().String()
	// The request log (method, route, status; nothing personal) is shown when the test fails.
	logs := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("portal log:\n%s", logs.String())
		}
	})
	// The portal's own hasher (argon2id at its default cost), also for the demo accounts.
	hasher, err := account.NewHasher(account.DefaultParams, 2)
	if err != nil {
		t.Fatal(err)
	}
	if seeded, err := st.SeedDemo(context.Background(), clk.Now(), hasher); err != nil || !seeded {
		t.Fatalf("store.SeedDemo: seeded %v, %v", seeded, err)
	}
	rec := &captchaRecorder{CaptchaStore: st.Captchas(), targets: map[string]int{}}
	srv, err := web.New(web.Config{
		Store:         st,
		BaseURL:       baseURL,
		Static:        static.FS,
		Now:           clk.Now,
		Logger:        slog.New(slog.NewTextHandler(logs, nil)),
		Dev:           true,
		SecureCookies: false,
		Services:      web.Services{Captcha: &account.SliderCaptcha{Store: rec}, Hasher: hasher},
	})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	hs := httptest.NewUnstartedServer(srv.Handler())
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(hs.Close)
	return &portal{URL: hs.URL, Clock: clk, Store: st, Server: srv, Captchas: rec}
}

// syncBuffer is a bytes.Buffer for several writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
