package loadgen

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted by the nearest-rank method: the
// smallest sample such that at least p % of the samples are ≤ it. Zero for no samples.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	if p <= 0 {
		return sorted[0]
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// Recorder collects the outcome of every request by endpoint name. Safe for concurrent use.
type Recorder struct {
	mu  sync.Mutex
	eps map[string]*endpoint
	// ok and failed count whole arrivals (flows), for the summary line.
	ok, failed int
}

type endpoint struct {
	lat    []time.Duration
	errors int
	kinds  map[string]int
	first  time.Time
	last   time.Time
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{eps: map[string]*endpoint{}} }

// Record adds one request to endpoint name: it was due at scheduled and finished at end; err nil
// means it succeeded. Failed requests count in the error column, not in the latencies.
func (r *Recorder) Record(name string, scheduled, end time.Time, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.eps[name]
	if e == nil {
		e = &endpoint{kinds: map[string]int{}, first: scheduled}
		r.eps[name] = e
	}
	if scheduled.Before(e.first) {
		e.first = scheduled
	}
	if end.After(e.last) {
		e.last = end
	}
	if err != nil {
		e.errors++
		e.kinds[ErrorKind(err)]++
		return
	}
	e.lat = append(e.lat, end.Sub(scheduled))
}

// Done counts one finished arrival (a whole flow) as passed or failed.
func (r *Recorder) Done(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.failed++
	} else {
		r.ok++
	}
}

// Totals returns how many arrivals passed and failed so far.
func (r *Recorder) Totals() (passed, failed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ok, r.failed
}

// EndpointStats is one endpoint's figures.
type EndpointStats struct {
	Name           string
	OK, Errors     int
	Throughput     float64 // successful requests per second over the endpoint's active span
	P50, P95, P99  time.Duration
	Max            time.Duration
	TopErrors      string // the most frequent error kinds, "kind×n, ..."
	activeFrom, to time.Time
}

// Stats returns every endpoint's figures, sorted by name.
func (r *Recorder) Stats() []EndpointStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]EndpointStats, 0, len(r.eps))
	for name, e := range r.eps {
		lat := slices.Clone(e.lat)
		slices.Sort(lat)
		s := EndpointStats{Name: name, OK: len(lat), Errors: e.errors, activeFrom: e.first, to: e.last}
		if span := e.last.Sub(e.first).Seconds(); span > 0 {
			s.Throughput = float64(len(lat)) / span
		}
		s.P50, s.P95, s.P99 = Percentile(lat, 50), Percentile(lat, 95), Percentile(lat, 99)
		if len(lat) > 0 {
			s.Max = lat[len(lat)-1]
		}
		s.TopErrors = topKinds(e.kinds, 3)
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Endpoint returns the figures of one endpoint (zero value when it saw no request).
func (r *Recorder) Endpoint(name string) EndpointStats {
	for _, s := range r.Stats() {
		if s.Name == name {
			return s
		}
	}
	return EndpointStats{Name: name}
}

func topKinds(kinds map[string]int, n int) string {
	type kv struct {
		k string
		v int
	}
	var all []kv
	for k, v := range kinds {
		all = append(all, kv{k, v})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].v != all[j].v {
			return all[i].v > all[j].v
		}
		return all[i].k < all[j].k
	})
	var parts []string
	for i, e := range all {
		if i == n {
			break
		}
		parts = append(parts, fmt.Sprintf("%s×%d", e.k, e.v))
	}
	return strings.Join(parts, ", ")
}

// StatusError is a response with an unexpected HTTP status.
type StatusError struct {
	Status int
	// Want says what was expected, e.g. "200" or "303 to /platform".
	Want string
}

func (e *StatusError) Error() string { return fmt.Sprintf("HTTP %d, want %s", e.Status, e.Want) }

// ErrorKind is a short stable label for an error, for the error column: "HTTP 503", "timeout",
// "dropped", or the error text cut to 40 bytes.
func ErrorKind(err error) string {
	var se *StatusError
	if asStatus(err, &se) {
		return fmt.Sprintf("HTTP %d", se.Status)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Client.Timeout") || strings.Contains(msg, "deadline exceeded"):
		return "timeout"
	case strings.Contains(msg, "connection refused"):
		return "refused"
	case strings.Contains(msg, "connection reset") || strings.Contains(msg, "EOF"):
		return "reset"
	}
	if len(msg) > 40 {
		msg = msg[:40]
	}
	return msg
}

// WriteReport prints the per-endpoint table: requests, errors, throughput, p50/p95/p99 and max
// latency (from the scheduled time), and the most frequent errors.
func WriteReport(w io.Writer, stats []EndpointStats) error {
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\tok\terrors\treq/s\tp50\tp95\tp99\tmax\t\terror kinds")
	for _, s := range stats {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t\t%s\n", s.Name, s.OK, s.Errors, s.Throughput,
			Round(s.P50), Round(s.P95), Round(s.P99), Round(s.Max), s.TopErrors)
	}
	return tw.Flush()
}

// Round rounds d to three significant digits for printing.
func Round(d time.Duration) time.Duration {
	switch {
	case d >= 100*time.Second:
		return d.Round(time.Second)
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= 100*time.Millisecond:
		return d.Round(time.Millisecond)
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// Summary is the final line: "N passed, N failed".
func Summary(passed, failed int) string { return fmt.Sprintf("%d passed, %d failed", passed, failed) }

// Failing reports whether failed arrivals exceed maxRate (a fraction, e.g. 0.01) of all
// arrivals; with maxRate 0 any failure fails, and no arrivals at all fails too.
func Failing(passed, failed int, maxRate float64) bool {
	total := passed + failed
	if total == 0 {
		return true
	}
	return float64(failed) > maxRate*float64(total)
}

// Ratio formats a/b as "1.23×", or "n/a" when b is zero.
func Ratio(a, b float64) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", a/b)
}
