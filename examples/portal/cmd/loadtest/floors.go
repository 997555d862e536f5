package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/cmd/loadtest/loadgen"
)

// bareServer serves one fixed HTML page of size bytes from plain net/http on a loopback port:
// the floor of "a Go server answering a page of that size" on this machine.
func bareServer(size int) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	body := []byte("<!doctype html><html lang=\"zh-CN\"><body><p>" + strings.Repeat("报", max(0, size-60)/3) + "</p></body></html>")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(body)
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// argonFloor hashes with the portal's parameters (account.DefaultParams) on every core for d and
// returns hashes per second: the ceiling of password logins on this machine.
func argonFloor(ctx context.Context, d time.Duration) (float64, error) {
	h, err := account.NewHasher(account.DefaultParams, runtime.NumCPU())
	if err != nil {
		return 0, err
	}
	ok, failed, el := loadgen.Saturate(ctx, nil, runtime.NumCPU(), d, func(ctx context.Context) error {
		_, err := h.HashContext(ctx, "Tqreg-Floor-2026")
		return err
	})
	if failed > 0 {
		return 0, fmt.Errorf("argon2id floor: %d failures", failed)
	}
	return float64(ok) / el.Seconds(), nil
}

// insertFloor runs count one-row INSERT transactions through pgx with workers concurrent
// clients and returns transactions per second: the floor of "one small transaction" on this
// Postgres. The table is the load program's own and is dropped afterwards.
func insertFloor(ctx context.Context, dsn string, workers, count int) (float64, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return 0, err
	}
	cfg.MaxConns = int32(workers)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return 0, err
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS loadtest_floor (id BIGSERIAL PRIMARY KEY, account_id BIGINT NOT NULL, payload TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		return 0, err
	}
	defer pool.Exec(context.Background(), `DROP TABLE IF EXISTS loadtest_floor`)
	var next atomic.Int64
	var failed atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(count) {
					return
				}
				tx, err := pool.Begin(ctx)
				if err == nil {
					_, err = tx.Exec(ctx, `INSERT INTO loadtest_floor (account_id, payload) VALUES ($1, $2)`, i, "网报待确认")
					if err == nil {
						err = tx.Commit(ctx)
					} else {
						_ = tx.Rollback(ctx)
					}
				}
				if err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	if f := failed.Load(); f > 0 {
		return 0, fmt.Errorf("insert floor: %d failures", f)
	}
	return float64(count) / el.Seconds(), nil
}

// peakRSS reads VmHWM (peak resident set) of pid from /proc, e.g. "48212 kB".
func peakRSS(pid int) string {
	b, err := readFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(rest)
		}
	}
	return "unknown"
}
