package loadgen_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tqreg/tqreg/examples/portal/cmd/loadtest/loadgen"
)

// fakeClock is a Clock whose time moves only when somebody sleeps until a later time or
// advances it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) SleepUntil(ctx context.Context, t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	return ctx.Err()
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestPlanTotal(t *testing.T) {
	tests := []struct {
		name string
		plan loadgen.Plan
		want int
	}{
		{"count bounds a long duration", loadgen.Plan{Rate: 100, Count: 50, Duration: time.Minute}, 50},
		{"duration bounds a large count", loadgen.Plan{Rate: 100, Count: 1e6, Duration: 2 * time.Second}, 200},
		{"duration alone: arrivals strictly before the end", loadgen.Plan{Rate: 10, Duration: time.Second}, 10},
		{"fractional rate and duration round up to the arrival at t=0", loadgen.Plan{Rate: 0.5, Duration: time.Second}, 1},
		{"count alone", loadgen.Plan{Rate: 3, Count: 7}, 7},
		{"no bound schedules nothing", loadgen.Plan{Rate: 3}, 0},
		{"zero rate schedules nothing", loadgen.Plan{Count: 5}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.plan.Total(); got != tt.want {
				t.Errorf("Total() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestPlanOffsetHasNoDrift(t *testing.T) {
	p := loadgen.Plan{Rate: 3}
	// after a million arrivals at 3/s the schedule is still exactly i/3 s: no accumulated error
	if got, want := p.Offset(3_000_000), 1_000_000*time.Second; got != want {
		t.Errorf("Offset(3e6) = %v, want %v", got, want)
	}
	if got, want := p.Offset(1), time.Second/3; got != want {
		t.Errorf("Offset(1) = %v, want %v", got, want)
	}
}

func TestRunDispatchesOnScheduleWhateverTheResponses(t *testing.T) {
	clock := newFakeClock()
	start := clock.Now()
	release := make(chan struct{})
	var mu sync.Mutex
	due := map[int]time.Time{}
	r := &loadgen.Runner{Clock: clock}
	done := make(chan loadgen.RunResult)
	go func() {
		done <- r.Run(context.Background(), loadgen.Plan{Rate: 100, Count: 20}, func(_ context.Context, a loadgen.Arrival) {
			mu.Lock()
			due[a.Index] = a.Scheduled
			mu.Unlock()
			<-release // the server never answers until the schedule is over
		})
	}()
	// every arrival is dispatched although none has finished: open loop
	deadline := time.Now().Add(5 * time.Second)
	for r.Sent() < 20 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := r.InFlight(); got != 20 {
		t.Fatalf("InFlight = %d with no response back, want 20 (the schedule must not wait for responses)", got)
	}
	close(release)
	res := <-done
	if res.Started != 20 || res.Dropped != 0 {
		t.Errorf("Started, Dropped = %d, %d, want 20, 0", res.Started, res.Dropped)
	}
	for i := range 20 {
		if want := start.Add(time.Duration(i) * 10 * time.Millisecond); !due[i].Equal(want) {
			t.Errorf("arrival %d due %v, want %v", i, due[i].Sub(start), want.Sub(start))
		}
	}
}

func TestRunDropsAboveMaxInFlight(t *testing.T) {
	clock := newFakeClock()
	release := make(chan struct{})
	var drops atomic.Int32
	r := &loadgen.Runner{Clock: clock, MaxInFlight: 3, OnDrop: func(loadgen.Arrival) { drops.Add(1) }}
	done := make(chan loadgen.RunResult)
	var started sync.WaitGroup
	started.Add(3)
	go func() {
		done <- r.Run(context.Background(), loadgen.Plan{Rate: 10, Count: 8}, func(context.Context, loadgen.Arrival) {
			started.Done()
			<-release
		})
	}()
	started.Wait()
	// the 3 running arrivals hold their slots; the other 5 are dropped, not queued
	deadline := time.Now().Add(5 * time.Second)
	for drops.Load() < 5 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(release)
	res := <-done
	if res.Started != 3 || res.Dropped != 5 || drops.Load() != 5 {
		t.Errorf("Started, Dropped, OnDrop calls = %d, %d, %d, want 3, 5, 5", res.Started, res.Dropped, drops.Load())
	}
}

// cancelAt is a fake clock that cancels the run's context once time reaches at.
type cancelAt struct {
	*fakeClock
	at     time.Time
	cancel context.CancelFunc
}

func (c cancelAt) SleepUntil(ctx context.Context, t time.Time) error {
	if !t.Before(c.at) {
		c.cancel()
	}
	return c.fakeClock.SleepUntil(ctx, t)
}

func TestRunStopsWhenContextIsDone(t *testing.T) {
	fc := newFakeClock()
	ctx, cancel := context.WithCancel(context.Background())
	clock := cancelAt{fakeClock: fc, at: fc.Now().Add(5 * time.Second), cancel: cancel}
	r := &loadgen.Runner{Clock: clock}
	res := r.Run(ctx, loadgen.Plan{Rate: 1, Count: 100}, func(context.Context, loadgen.Arrival) {})
	// arrivals due at 0..4 s ran; the one due at 5 s found the context done
	if res.Started != 5 {
		t.Errorf("Started = %d after cancel at 5s, want 5", res.Started)
	}
}

func TestRunElapsedIncludesTheLastResponse(t *testing.T) {
	clock := newFakeClock()
	r := &loadgen.Runner{Clock: clock}
	res := r.Run(context.Background(), loadgen.Plan{Rate: 10, Count: 1}, func(context.Context, loadgen.Arrival) {
		clock.Advance(350 * time.Millisecond)
	})
	if res.Elapsed != 350*time.Millisecond {
		t.Errorf("Elapsed = %v, want 350ms", res.Elapsed)
	}
}

// oversleeper wakes up late by a fixed amount, like an overloaded load generator.
type oversleeper struct {
	*fakeClock
	late time.Duration
}

func (c oversleeper) SleepUntil(ctx context.Context, t time.Time) error {
	err := c.fakeClock.SleepUntil(ctx, t)
	c.Advance(c.late)
	return err
}

func TestRunReportsSchedulerLagAndKeepsDueTimes(t *testing.T) {
	fc := newFakeClock()
	start := fc.Now()
	r := &loadgen.Runner{Clock: oversleeper{fakeClock: fc, late: 30 * time.Millisecond}}
	var mu sync.Mutex
	due := map[int]time.Duration{}
	res := r.Run(context.Background(), loadgen.Plan{Rate: 10, Count: 3}, func(_ context.Context, a loadgen.Arrival) {
		mu.Lock()
		due[a.Index] = a.Scheduled.Sub(start)
		mu.Unlock()
	})
	// the first start is read before the first sleep, so every wake-up is 30 ms late
	if res.MaxLag != 30*time.Millisecond {
		t.Errorf("MaxLag = %v, want 30ms", res.MaxLag)
	}
	for i := range 3 {
		if want := time.Duration(i) * 100 * time.Millisecond; due[i] != want {
			t.Errorf("arrival %d due at %v, want %v (lateness must not move the schedule)", i, due[i], want)
		}
	}
}

func TestLatencyIsMeasuredFromTheScheduledTime(t *testing.T) {
	rec := loadgen.NewRecorder()
	t0 := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	// due at t0, dispatched late at t0+40ms (queueing), answered 10ms after dispatch:
	// the recorded latency is 50ms, not 10ms
	rec.Record("page", t0, t0.Add(50*time.Millisecond), nil)
	if got := rec.Endpoint("page").P50; got != 50*time.Millisecond {
		t.Errorf("P50 = %v, want 50ms", got)
	}
}

func TestPercentileNearestRank(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty is zero", nil, 50, 0},
		{"one sample is every percentile", ms(7), 99, 7 * time.Millisecond},
		{"p50 of 1..100 is 50", hundred, 50, 50 * time.Millisecond},
		{"p95 of 1..100 is 95", hundred, 95, 95 * time.Millisecond},
		{"p99 of 1..100 is 99", hundred, 99, 99 * time.Millisecond},
		{"p100 is the max", hundred, 100, 100 * time.Millisecond},
		{"p50 of four rounds the rank up", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p99 of ten is the max (rank 10)", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"p0 is the min", ms(3, 4), 0, 3 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := loadgen.Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("Percentile(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

func TestRecorderStats(t *testing.T) {
	rec := loadgen.NewRecorder()
	t0 := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	for i := range 10 {
		s := t0.Add(time.Duration(i) * 100 * time.Millisecond)
		rec.Record("status", s, s.Add(time.Duration(i+1)*time.Millisecond), nil)
	}
	rec.Record("status", t0, t0.Add(time.Second), &loadgen.StatusError{Status: 503, Want: "200"})
	rec.Record("status", t0, t0.Add(time.Second), &loadgen.StatusError{Status: 503, Want: "200"})
	rec.Record("status", t0, t0.Add(time.Second), errors.New("dial tcp: connection refused"))
	s := rec.Endpoint("status")
	if s.OK != 10 || s.Errors != 3 {
		t.Errorf("OK, Errors = %d, %d, want 10, 3", s.OK, s.Errors)
	}
	if s.P50 != 5*time.Millisecond || s.P99 != 10*time.Millisecond || s.Max != 10*time.Millisecond {
		t.Errorf("P50, P99, Max = %v, %v, %v, want 5ms, 10ms, 10ms", s.P50, s.P99, s.Max)
	}
	// 10 successes over the span from the first due time to the last end (1 s)
	if s.Throughput != 10 {
		t.Errorf("Throughput = %v, want 10", s.Throughput)
	}
	if s.TopErrors != "HTTP 503×2, refused×1" {
		t.Errorf("TopErrors = %q", s.TopErrors)
	}
}

func TestWriteReportAndSummary(t *testing.T) {
	rec := loadgen.NewRecorder()
	t0 := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	rec.Record("login", t0, t0.Add(12*time.Millisecond), nil)
	rec.Record("status", t0, t0.Add(3*time.Millisecond), nil)
	rec.Record("status", t0, t0.Add(3*time.Millisecond), &loadgen.StatusError{Status: 500, Want: "200"})
	rec.Done(nil)
	rec.Done(errors.New("x"))
	rec.Done(nil)
	var buf bytes.Buffer
	if err := loadgen.WriteReport(&buf, rec.Stats()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("report has %d lines, want header + 2:\n%s", len(lines), out)
	}
	for _, want := range []string{"endpoint", "p50", "p95", "p99", "req/s", "errors"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("header lacks %q: %s", want, lines[0])
		}
	}
	if !strings.Contains(lines[1], "login") || !strings.Contains(lines[1], "12ms") {
		t.Errorf("login row: %s", lines[1])
	}
	if !strings.Contains(lines[2], "status") || !strings.Contains(lines[2], "HTTP 500×1") {
		t.Errorf("status row: %s", lines[2])
	}
	p, f := rec.Totals()
	if got := loadgen.Summary(p, f); got != "2 passed, 1 failed" {
		t.Errorf("Summary = %q", got)
	}
}

func TestFailing(t *testing.T) {
	tests := []struct {
		name           string
		passed, failed int
		maxRate        float64
		want           bool
	}{
		{"no failure passes", 100, 0, 0, false},
		{"any failure fails at rate 0", 100, 1, 0, true},
		{"1 % allowed, 1 of 100 passes", 99, 1, 0.01, false},
		{"1 % allowed, 2 of 100 fails", 98, 2, 0.01, true},
		{"nothing ran fails", 0, 0, 0.5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := loadgen.Failing(tt.passed, tt.failed, tt.maxRate); got != tt.want {
				t.Errorf("Failing = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckLocal(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.0.0.2:8080/x", true},
		{"http://localhost:8080", true},
		{"http://[::1]:8080", true},
		{"https://127.0.0.1", true},
		{"http://example.com", false},
		{"http://10.0.0.1:8080", false},
		{"http://0.0.0.0:8080", false},
		{"http://localhost.:8080", false},
		{"http://a.localhost:8080", false},
		{"http://127.0.0.1.nip.io", false},
		{"ftp://127.0.0.1", false},
		{"http://user:pw@127.0.0.1", false},
		{"127.0.0.1:8080", false},
		{"://bad", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			err := loadgen.CheckLocal(tt.url)
			if (err == nil) != tt.ok {
				t.Errorf("CheckLocal(%q) = %v, want ok=%v", tt.url, err, tt.ok)
			}
			if err != nil && !errors.Is(err, loadgen.ErrNotLocal) {
				t.Errorf("error %v does not wrap ErrNotLocal", err)
			}
		})
	}
}

func TestLocalTransportRefusesARedirectElsewhere(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/away" {
			http.Redirect(w, r, "http://192.0.2.1:9/", http.StatusFound)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer ts.Close()
	c := &http.Client{Transport: loadgen.LocalTransport(4), Timeout: 5 * time.Second}
	res, err := c.Get(ts.URL + "/")
	if err != nil {
		t.Fatalf("local GET: %v", err)
	}
	res.Body.Close()
	_, err = c.Get(ts.URL + "/away")
	if !errors.Is(err, loadgen.ErrNotLocal) {
		t.Errorf("redirect to 192.0.2.1: err = %v, want ErrNotLocal", err)
	}
}

func TestSaturateCountsSuccessesAndFailures(t *testing.T) {
	clock := newFakeClock()
	var n atomic.Int32
	ok, failed, elapsed := loadgen.Saturate(context.Background(), clock, 1, time.Second, func(context.Context) error {
		clock.Advance(100 * time.Millisecond)
		if n.Add(1)%5 == 0 {
			return errors.New("boom")
		}
		return nil
	})
	if ok != 8 || failed != 2 || elapsed != time.Second {
		t.Errorf("ok, failed, elapsed = %d, %d, %v, want 8, 2, 1s", ok, failed, elapsed)
	}
}

func TestRatio(t *testing.T) {
	if got := loadgen.Ratio(3, 2); got != "1.50×" {
		t.Errorf("Ratio(3,2) = %q", got)
	}
	if got := loadgen.Ratio(3, 0); got != "n/a" {
		t.Errorf("Ratio(3,0) = %q", got)
	}
}
