// Command portal is tqreg's reference applicant portal: the whole applicant side of the 教师资格
// 定期注册 manual in a browser, in zh-CN, on the embedded SQLite default or Postgres.
//
//	go run ./examples/portal                      # http://127.0.0.1:8080, SQLite in ./data/tqreg.db, dev mode
//	go run ./examples/portal -db postgres://…     # or DATABASE_URL=postgres://…
//
// Flags:
//
//	-addr            listen address (default 127.0.0.1:8080)
//	-db              database: postgres://… or an SQLite path / file: URI (default $DATABASE_URL,
//	                 else ./data/tqreg.db, created if missing)
//	-db-replica      a Postgres streaming replica (postgres://…, default $DATABASE_REPLICA_URL) for
//	                 the reads that tolerate replication lag: certificate queries, the information
//	                 centre's records, the window catalogue, the school search. Writes, transactions
//	                 and an applicant's own applications stay on the primary; a failing replica,
//	                 or one no longer streaming from its primary, makes those reads fall back to
//	                 the primary with a logged warning.
//	-db-max-conns    Postgres pool size (default $TQREG_DB_MAX_CONNS, else sized for the machine:
//	                 4 connections per GOMAXPROCS, at least 4, at most 32; see store/pool.go)
//	-dev             development mode (default on): the /dev/outbox page shows the e-mails and SMS
//	                 the portal "sent"; turn it off with -dev=false
//	-demo            load the demo dataset into an empty database and print its logins (default:
//	                 the value of -dev). Its passwords and TOTP secrets are published, so without
//	                 -demo a database that still holds them is refused
//	-bootstrap-admin without -demo, on a database with no staff: create the first administrator
//	                 with this user name and a random password, printed once
//	-unlock-staff    lift the login lock of a staff user name (audited) and exit, for when no
//	                 administrator can sign in; run with the portal processes' TQREG_SECRET
//	-secure-cookies  Secure + __Host- session cookies: "auto" (default) is off only when listening on
//	                 a loopback address over plain HTTP (browsers drop Secure cookies on
//	                 http://127.0.0.1), on otherwise; "on"/"off" force it. Behind a TLS proxy use on.
//	-log             log format: text (default) or json
//
// Environment: DATABASE_URL (the -db default); DATABASE_REPLICA_URL (the -db-replica default);
// TQREG_DB_MAX_CONNS (the -db-max-conns default); TQREG_SECRET, 64 hex characters (32 bytes)
// that sign password-reset tickets and key the throttle counters — set the same value on every
// portal process behind one load balancer; unset, a random key is made at start.
//
// Mail and SMS: the portal's senders are interfaces (web.Services.Mail, .SMS). This command uses
// the development outbox, which keeps every message in the database; /dev/outbox shows them only
// with -dev. A production deployment plugs real senders into web.Services.
//
// Logs never contain ID numbers, phone numbers, e-mail addresses or tokens: requests are logged
// by method, route pattern, status and duration only.
package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/static"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/web"
)

func main() {
	if err := run(os.Args[1:]); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("portal", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	dsn := fs.String("db", os.Getenv("DATABASE_URL"), "postgres://… or an SQLite path (default ./data/tqreg.db)")
	replicaDSN := fs.String("db-replica", os.Getenv("DATABASE_REPLICA_URL"), "postgres://… of a streaming read replica for lag-tolerant reads (optional)")
	dev := fs.Bool("dev", true, "development mode: /dev/outbox shows sent mail and SMS")
	secure := fs.String("secure-cookies", "auto", "Secure and __Host- cookies: auto, on or off")
	logFormat := fs.String("log", "text", "log format: text or json")
	maxConns := fs.String("db-max-conns", os.Getenv("TQREG_DB_MAX_CONNS"), "Postgres pool size; empty or 0 sizes it for the machine (4 per GOMAXPROCS, 4 to 64)")
	demo := fs.Bool("demo", true, "load the demo dataset (published passwords and TOTP secrets) into an empty database and print its logins; default: the value of -dev")
	bootstrap := fs.String("bootstrap-admin", "", "without -demo: create the first administrator with this user name when there is no staff account (password printed once)")
	unlockStaff := fs.String("unlock-staff", "", "lift the login lock of this staff user name (audited), then exit; needs the portal's TQREG_SECRET")
	if err := fs.Parse(args); err != nil {
		return err
	}
	*demo = demoMode(fs, *dev, *demo)
	poolSize, err := dbMaxConns(*maxConns)
	if err != nil {
		return err
	}

	var handler slog.Handler = slog.NewTextHandler(os.Stderr, nil)
	if *logFormat == "json" {
		handler = slog.NewJSONHandler(os.Stderr, nil)
	}
	logger := slog.New(handler)
	slog.SetDefault(logger)

	if *dsn == "" {
		*dsn = filepath.Join("data", "tqreg.db")
	}
	secureCookies, err := secureCookieSetting(*secure, *addr)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	opts := []store.Option{store.WithLogger(logger), store.WithReplica(*replicaDSN)}
	if poolSize > 0 {
		opts = append(opts, store.WithMaxOpenConns(poolSize))
	}
	st, err := store.Open(ctx, *dsn, opts...)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer st.Close()
	if *replicaDSN != "" {
		logger.Info("read replica configured for lag-tolerant reads", slog.Bool("answering", !st.ReplicaStats().Down))
	}
	logger.Info("database pool", slog.Int("max_conns", st.MaxOpenConns()))

	secret, err := secretKey(os.Getenv("TQREG_SECRET"))
	if err != nil {
		return err
	}
	if secret == nil && !*dev {
		logger.Warn("TQREG_SECRET is not set: a random key is used, so login locks and waits last only until the next start")
	}
	go pruneLoop(ctx, st, logger)

	hasher, err := account.NewHasher(account.DefaultParams, max(2, runtime.NumCPU()))
	if err != nil {
		return err
	}
	seeded, err := prepareData(ctx, st, hasher, *demo, *bootstrap, time.Now(), os.Stdout)
	if err != nil {
		return fmt.Errorf("prepare the database: %w", err)
	}
	if seeded {
		logger.Info("demo data seeded into the empty database")
	}

	srv, err := web.New(web.Config{
		Store:         st,
		SecretKey:     secret,
		BaseURL:       "http://" + *addr,
		Static:        static.FS,
		Logger:        logger,
		Dev:           *dev,
		SecureCookies: secureCookies,
		Services:      web.Services{Hasher: hasher},
	})
	if err != nil {
		return err
	}

	if *unlockStaff != "" {
		if os.Getenv("TQREG_SECRET") == "" {
			return errors.New("-unlock-staff needs TQREG_SECRET, the same as the portal processes' (without it every start has its own throttle keys)")
		}
		if err := srv.UnlockStaff(ctx, *unlockStaff, "运维人员通过 -unlock-staff 解除"); err != nil {
			return fmt.Errorf("unlock staff %q: %w", *unlockStaff, err)
		}
		fmt.Printf("the login lock of staff %q is lifted (written to the administrators' audit log)\n", *unlockStaff)
		return nil
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}

	printBanner(os.Stdout, "http://"+ln.Addr().String(), *dev, *demo, secureCookies)

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// demoMode resolves -demo: as given, else the value of -dev (the demo dataset's published
// logins belong to development only).
func demoMode(fs *flag.FlagSet, dev, demo bool) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == "demo" })
	if set {
		return demo
	}
	return dev
}

// secureCookieSetting resolves -secure-cookies: auto is off only on a loopback address.
func secureCookieSetting(v, addr string) (bool, error) {
	switch strings.ToLower(v) {
	case "on", "true", "1":
		return true, nil
	case "off", "false", "0":
		return false, nil
	case "auto", "":
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return false, fmt.Errorf("-addr %q: %w", addr, err)
		}
		if host == "localhost" {
			return false, nil
		}
		ip := net.ParseIP(host)
		return !(ip != nil && ip.IsLoopback()), nil
	}
	return false, fmt.Errorf("-secure-cookies must be auto, on or off, not %q", v)
}

// secretKey decodes TQREG_SECRET (64 hex characters); empty means a random key (nil).
func secretKey(v string) ([]byte, error) {
	if v == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(strings.TrimSpace(v))
	if err != nil || len(b) < 32 {
		return nil, errors.New("TQREG_SECRET must be at least 64 hex characters (32 random bytes)")
	}
	return b, nil
}

// pruneLoop deletes expired sessions, captcha challenges, codes, reset tokens and throttle
// counters every five minutes until ctx ends.
func pruneLoop(ctx context.Context, st *store.Store, logger *slog.Logger) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := st.PruneExpired(ctx, time.Now())
			if err != nil {
				logger.Warn("prune expired rows failed", slog.String("error", err.Error()))
				continue
			}
			if n > 0 {
				logger.Info("pruned expired rows", slog.Int64("rows", n))
			}
		}
	}
}

// dbMaxConns reads -db-max-conns / TQREG_DB_MAX_CONNS: empty or 0 leaves the pool to the store's
// machine-sized default (store.DefaultMaxOpenConns), a positive number fixes it.
func dbMaxConns(v string) (int, error) {
	if strings.TrimSpace(v) == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("-db-max-conns: %q is not a connection count", v)
	}
	return n, nil
}
