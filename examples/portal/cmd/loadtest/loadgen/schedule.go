package loadgen

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Clock is the time source of the scheduler; RealClock in the program, a fake in tests.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// SleepUntil blocks until t or until ctx is done (then it returns ctx.Err()).
	SleepUntil(ctx context.Context, t time.Time) error
}

// RealClock is the wall clock.
type RealClock struct{}

// Now implements Clock.
func (RealClock) Now() time.Time { return time.Now() }

// SleepUntil implements Clock.
func (RealClock) SleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Plan is an open-loop arrival schedule: Rate arrivals per second, at most Count of them (0: no
// limit by count) and none scheduled at or after Duration (0: no limit by time). At least one of
// Count and Duration must be set.
type Plan struct {
	Rate     float64
	Count    int
	Duration time.Duration
}

// Total returns how many arrivals the plan schedules.
func (p Plan) Total() int {
	if p.Rate <= 0 || (p.Count <= 0 && p.Duration <= 0) {
		return 0
	}
	n := math.MaxInt
	if p.Count > 0 {
		n = p.Count
	}
	if p.Duration > 0 {
		// arrivals at i/Rate for i = 0, 1, ... strictly before Duration
		byTime := int(math.Ceil(p.Duration.Seconds()*p.Rate - 1e-9))
		n = min(n, byTime)
	}
	return n
}

// Offset returns when arrival i is due, relative to the start: i / Rate, exactly (no drift
// accumulates however long the run).
func (p Plan) Offset(i int) time.Duration {
	return time.Duration(float64(i) / p.Rate * float64(time.Second))
}

// Arrival is one scheduled unit of work.
type Arrival struct {
	// Index counts arrivals from 0.
	Index int
	// Scheduled is when the arrival was due; latency is measured from it, not from when the
	// work actually began, so a slow server cannot hide queueing (coordinated omission).
	Scheduled time.Time
}

// RunResult is what Run did.
type RunResult struct {
	// Started arrivals ran their function; Dropped ones found MaxInFlight arrivals still running
	// and were not started (each is a failure the caller should count).
	Started, Dropped int
	// MaxLag is the largest delay between an arrival's due time and its dispatch: a large value
	// means the load generator itself could not keep the schedule.
	MaxLag time.Duration
	// Elapsed is from the start to the last arrival's completion.
	Elapsed time.Duration
}

// Runner dispatches a Plan's arrivals on schedule, each in its own goroutine, without waiting
// for earlier ones to finish (open loop).
type Runner struct {
	// Clock is the time source; nil means RealClock.
	Clock Clock
	// MaxInFlight bounds concurrently running arrivals; 0 means 10000. An arrival that finds the
	// bound reached is dropped and reported to OnDrop.
	MaxInFlight int
	// OnDrop is called (synchronously) for each dropped arrival; may be nil.
	OnDrop func(Arrival)

	inFlight atomic.Int64
	sent     atomic.Int64
}

// InFlight returns how many arrivals are running now.
func (r *Runner) InFlight() int64 { return r.inFlight.Load() }

// Sent returns how many arrivals have been dispatched so far.
func (r *Runner) Sent() int64 { return r.sent.Load() }

// Run dispatches every arrival of p at start+p.Offset(i) and calls fn for it in a new goroutine,
// then waits for all of them. It stops dispatching when ctx is done.
func (r *Runner) Run(ctx context.Context, p Plan, fn func(context.Context, Arrival)) RunResult {
	clock := r.Clock
	if clock == nil {
		clock = RealClock{}
	}
	maxIn := int64(r.MaxInFlight)
	if maxIn <= 0 {
		maxIn = 10000
	}
	var res RunResult
	var wg sync.WaitGroup
	start := clock.Now()
	total := p.Total()
	for i := 0; i < total; i++ {
		due := start.Add(p.Offset(i))
		if clock.SleepUntil(ctx, due) != nil {
			break
		}
		a := Arrival{Index: i, Scheduled: due}
		if lag := clock.Now().Sub(due); lag > res.MaxLag {
			res.MaxLag = lag
		}
		if r.inFlight.Load() >= maxIn {
			res.Dropped++
			if r.OnDrop != nil {
				r.OnDrop(a)
			}
			continue
		}
		res.Started++
		r.inFlight.Add(1)
		r.sent.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.inFlight.Add(-1)
			fn(ctx, a)
		}()
	}
	wg.Wait()
	res.Elapsed = clock.Now().Sub(start)
	return res
}

// Saturate runs fn in a closed loop on workers goroutines until d has passed (or ctx is done) and
// returns how many calls succeeded and failed and the time taken. It measures capacity: the
// highest rate the system sustains, for floors and their ratios.
func Saturate(ctx context.Context, clock Clock, workers int, d time.Duration, fn func(context.Context) error) (ok, failed int, elapsed time.Duration) {
	if clock == nil {
		clock = RealClock{}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := clock.Now()
	end := start.Add(d)
	var okN, failN atomic.Int64
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && clock.Now().Before(end) {
				if err := fn(ctx); err != nil {
					if ctx.Err() != nil {
						return
					}
					failN.Add(1)
				} else {
					okN.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return int(okN.Load()), int(failN.Load()), clock.Now().Sub(start)
}
