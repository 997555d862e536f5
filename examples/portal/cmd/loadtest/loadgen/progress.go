package loadgen

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Progress prints a one-line status to w every interval until ctx is done: elapsed time,
// arrivals sent of total, in flight, passed and failed. The line is rewritten in place (\r).
func Progress(ctx context.Context, w io.Writer, interval time.Duration, label string, total int, r *Runner, rec *Recorder) {
	start := time.Now()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(w)
			return
		case <-t.C:
			fmt.Fprint(w, ProgressLine(label, time.Since(start), int(r.Sent()), total, int(r.InFlight()), rec))
		}
	}
}

// ProgressLine is one progress line (starting with \r, no newline).
func ProgressLine(label string, elapsed time.Duration, sent, total, inFlight int, rec *Recorder) string {
	passed, failed := rec.Totals()
	return fmt.Sprintf("\r%-14s %6.1fs  sent %d/%d  in flight %d  %s   ", label, elapsed.Seconds(), sent, total, inFlight, Summary(passed, failed))
}
