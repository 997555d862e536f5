package faulttest_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// standby is a Postgres streaming replica of the test's primary, made for one test: a base
// backup (pg_basebackup -R) in a temporary directory, started with pg_ctl on a free local port
// as the postgres user. It is stopped and its directory removed at cleanup, pass or fail.
//
// The primary must be local (127.0.0.1) and accept replication connections from 127.0.0.1; a
// stock Debian cluster does not (its "host all" lines do not cover the replication pseudo-
// database), so startStandby appends one line to the primary's pg_hba.conf if no replication
// line is there, and reloads it:
//
//	host replication all 127.0.0.1/32 trust   # tqreg fault tests: streaming read replica
//
// Nothing else of the primary changes: wal_level=replica and max_wal_senders=10 are Postgres's
// defaults, and no replication slot is made (a slot left behind by a killed test would keep
// WAL on the primary forever); the backup streams its own WAL (-X stream).
type standby struct {
	t        *testing.T
	bin      string // the Postgres server binaries (pg_ctl, pg_basebackup)
	dir      string // temporary directory: data/, the log, the Unix socket
	port     int
	primary  string // the admin DSN of the primary
	running  bool
	conninfo string // primary_conninfo saved by cutOff
}

// replicationHBALine is what startStandby adds to the primary's pg_hba.conf when needed.
const replicationHBALine = "host replication all 127.0.0.1/32 trust   # tqreg fault tests: streaming read replica"

// startStandby makes and starts a streaming replica of the primary at admin and waits until
// it accepts read-only connections.
func startStandby(t *testing.T, admin string) *standby {
	t.Helper()
	ctx := context.Background()
	pu, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	if h := pu.Hostname(); h != "127.0.0.1" && h != "localhost" {
		t.Fatalf("the read-replica test copies the primary with pg_basebackup and needs it on 127.0.0.1, not %q", h)
	}
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var versionNum int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&versionNum); err != nil {
		t.Fatal(err)
	}
	bin := fmt.Sprintf("/usr/lib/postgresql/%d/bin", versionNum/10000)
	if _, err := os.Stat(filepath.Join(bin, "pg_basebackup")); err != nil {
		t.Fatalf("no Postgres %d server binaries in %s: %v", versionNum/10000, bin, err)
	}
	var walLevel string
	var senders int
	if err := conn.QueryRow(ctx, "SELECT current_setting('wal_level'), current_setting('max_wal_senders')::int").Scan(&walLevel, &senders); err != nil {
		t.Fatal(err)
	}
	if walLevel == "minimal" || senders == 0 {
		t.Fatalf("the primary cannot stream WAL (wal_level=%s, max_wal_senders=%d)", walLevel, senders)
	}
	allowReplication(t, conn, admin)

	// Hot standby refuses to start with fewer of these than the primary has.
	settings := map[string]string{}
	rows, err := conn.Query(ctx, `SELECT name, setting FROM pg_settings WHERE name IN
		('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		settings[k] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	dir, err := os.MkdirTemp("", "tqreg-replica-")
	if err != nil {
		t.Fatal(err)
	}
	s := &standby{t: t, bin: bin, dir: dir, port: freePort(t), primary: admin}
	t.Cleanup(s.remove)
	uid, gid := postgresIDs(t)
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}

	primaryPort := pu.Port()
	if primaryPort == "" {
		primaryPort = "5432"
	}
	primaryUser := pu.User.Username()
	if primaryUser == "" {
		primaryUser = "postgres"
	}
	conninfo := fmt.Sprintf("host=127.0.0.1 port=%s user=%s application_name=tqreg_test_replica", primaryPort, primaryUser)
	// pg_hba.conf was just reloaded: a connection may still meet the old rules for a moment.
	var out []byte
	for attempt := 0; ; attempt++ {
		start := time.Now()
		out, err = s.asPostgres(filepath.Join(bin, "pg_basebackup"), "-d", conninfo, "-D", s.data(),
			"-R", "-X", "stream", "-c", "fast", "--no-sync")
		if err == nil {
			t.Logf("pg_basebackup of the primary: %s", time.Since(start).Round(time.Millisecond))
			break
		}
		if attempt == 4 {
			t.Fatalf("pg_basebackup: %v\n%s", err, out)
		}
		_ = os.RemoveAll(s.data())
		time.Sleep(500 * time.Millisecond)
	}

	// The copy has no postgresql.conf or pg_hba.conf (Debian keeps them in /etc); the port,
	// address and socket directory go on the command line so no copied ALTER SYSTEM setting
	// can put the replica on the primary's port.
	conf := "hot_standby = on\nshared_buffers = 32MB\nfsync = off\n" // a throwaway copy
	for k, v := range settings {
		conf += k + " = " + v + "\n"
	}
	s.writeFile(t, "postgresql.conf", conf, uid, gid)
	s.writeFile(t, "pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n", uid, gid)
	s.writeFile(t, "pg_ident.conf", "", uid, gid)
	s.start()
	return s
}

func (s *standby) data() string { return filepath.Join(s.dir, "data") }

// DSN returns the replica's DSN for database name.
func (s *standby) DSN(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, name)
}

func (s *standby) writeFile(t *testing.T, name, content string, uid, gid int) {
	t.Helper()
	p := filepath.Join(s.data(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(p, uid, gid); err != nil {
		t.Fatal(err)
	}
}

// start starts the replica and waits until it answers as a hot standby.
func (s *standby) start() {
	s.t.Helper()
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=%s", s.port, s.dir)
	out, err := s.asPostgres(filepath.Join(s.bin, "pg_ctl"), "start", "-D", s.data(), "-l", filepath.Join(s.dir, "log"),
		"-w", "-t", "60", "-o", opts)
	s.running = true // even on error: stop at cleanup whatever did start
	if err != nil {
		s.t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, s.log())
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var inRecovery bool
		err := s.query("postgres", "SELECT pg_is_in_recovery()", &inRecovery)
		if err == nil && inRecovery {
			return
		}
		if err == nil {
			s.t.Fatalf("the replica on port %d is not in recovery: not a standby", s.port)
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the replica on port %d does not answer: %v\n%s", s.port, err, s.log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop stops the replica (fast shutdown: connections are cut).
func (s *standby) stop() {
	s.t.Helper()
	if !s.running {
		return
	}
	out, err := s.asPostgres(filepath.Join(s.bin, "pg_ctl"), "stop", "-D", s.data(), "-m", "fast", "-w", "-t", "30")
	if err != nil {
		s.t.Errorf("pg_ctl stop: %v\n%s", err, out)
	}
	s.running = false
}

// remove stops the replica if it runs and deletes its directory (cleanup).
func (s *standby) remove() {
	if s.running {
		if out, err := s.asPostgres(filepath.Join(s.bin, "pg_ctl"), "stop", "-D", s.data(), "-m", "immediate", "-w", "-t", "30"); err != nil {
			s.t.Logf("pg_ctl stop at cleanup: %v\n%s", err, out)
		}
		s.running = false
	}
	if err := os.RemoveAll(s.dir); err != nil {
		s.t.Logf("remove %s: %v", s.dir, err)
	}
}

// query runs a one-row, one-column query on the replica's database db.
func (s *standby) query(db, q string, dest any, args ...any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, s.DSN(db))
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	return c.QueryRow(ctx, q, args...).Scan(dest)
}

// pauseReplay stops applying WAL (the replica keeps receiving it) and waits until it is paused.
func (s *standby) pauseReplay() {
	s.t.Helper()
	var ignored any
	if err := s.query("postgres", "SELECT pg_wal_replay_pause()", &ignored); err != nil {
		s.t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		var state string
		if err := s.query("postgres", "SELECT pg_get_wal_replay_pause_state()", &state); err != nil {
			s.t.Fatal(err)
		}
		if state == "paused" {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("WAL replay state %q, want paused", state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *standby) resumeReplay() {
	s.t.Helper()
	var ignored any
	if err := s.query("postgres", "SELECT pg_wal_replay_resume()", &ignored); err != nil {
		s.t.Fatal(err)
	}
}

// cutOff points the replica's primary_conninfo at a port where nobody listens (the replica
// stays up and answers reads, but receives no more WAL) and waits until its WAL receiver is
// gone; reconnect undoes it.
func (s *standby) cutOff() {
	s.t.Helper()
	if err := s.query("postgres", "SHOW primary_conninfo", &s.conninfo); err != nil {
		s.t.Fatal(err)
	}
	s.setConninfo("host=127.0.0.1 port=1 connect_timeout=1")
	s.waitStreaming(false)
}

func (s *standby) reconnect() {
	s.t.Helper()
	s.setConninfo(s.conninfo)
	s.waitStreaming(true)
}

func (s *standby) setConninfo(ci string) {
	s.t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		s.t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "ALTER SYSTEM SET primary_conninfo = "+quoteLiteral(ci)); err != nil {
		s.t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "SELECT pg_reload_conf()"); err != nil {
		s.t.Fatal(err)
	}
}

// waitStreaming waits until the replica's WAL receiver streams (want) or is gone (!want).
func (s *standby) waitStreaming(want bool) {
	s.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var streaming bool
		if err := s.query("postgres", "SELECT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')", &streaming); err != nil {
			s.t.Fatal(err)
		}
		if streaming == want {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the replica's WAL receiver streaming = %v after 30 s, want %v\n%s", streaming, want, s.log())
		}
	}
}

func quoteLiteral(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }

// catchUp waits until the replica has replayed everything the primary had written when it
// was called, and returns how long that took.
func (s *standby) catchUp() time.Duration {
	s.t.Helper()
	start := time.Now()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, s.primary)
	if err != nil {
		s.t.Fatal(err)
	}
	var lsn string
	err = c.QueryRow(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&lsn)
	c.Close(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	for deadline := start.Add(30 * time.Second); ; {
		var done bool
		if err := s.query("postgres", "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", &done, lsn); err != nil {
			s.t.Fatal(err)
		}
		if done {
			return time.Since(start)
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the replica did not replay up to %s within 30 s\n%s", lsn, s.log())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (s *standby) log() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "log"))
	return string(b)
}

// asPostgres runs a Postgres binary as the postgres user: through runuser when the test runs
// as root, directly when it runs as postgres.
func (s *standby) asPostgres(name string, args ...string) ([]byte, error) {
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	} else {
		cmd = exec.Command(name, args...)
	}
	cmd.Dir = s.dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.Bytes(), err
}

// postgresIDs returns the postgres user's uid and gid; the test must run as root or postgres.
func postgresIDs(t *testing.T) (int, int) {
	t.Helper()
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatalf("no postgres user: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if os.Geteuid() != 0 && os.Geteuid() != uid {
		t.Fatalf("the read-replica test runs Postgres binaries as the postgres user: run it as root or postgres")
	}
	return uid, gid
}

// allowReplication makes sure the primary accepts replication connections from 127.0.0.1 for
// the postgres user (see standby): appends replicationHBALine to its pg_hba.conf unless a
// replication line is there, and reloads the configuration. When it added the line, the
// test's cleanup removes exactly that line again and reloads (pass or fail); a replication
// rule it found stays. Harmless to other tests running against the primary meanwhile.
func allowReplication(t *testing.T, conn *pgx.Conn, admin string) {
	t.Helper()
	ctx := context.Background()
	var hbaFile string
	if err := conn.QueryRow(ctx, "SHOW hba_file").Scan(&hbaFile); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(hbaFile)
	if err != nil {
		t.Fatalf("read the primary's %s (to allow replication from 127.0.0.1): %v", hbaFile, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && !strings.HasPrefix(f[0], "#") && strings.Split(f[1], ",")[0] == "replication" {
			return // an operator's replication rule: leave it as it is
		}
	}
	text := string(b)
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	if err := os.WriteFile(hbaFile, []byte(text+replicationHBALine+"\n"), 0o640); err != nil {
		t.Fatalf("allow replication in %s: %v", hbaFile, err)
	}
	t.Cleanup(func() { disallowReplication(t, admin, hbaFile) })
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT pg_reload_conf()").Scan(&ok); err != nil || !ok {
		t.Fatalf("reload the primary's configuration: %v", err)
	}
	t.Logf("added to %s and reloaded: %s", hbaFile, replicationHBALine)
}

// disallowReplication removes the replicationHBALine allowReplication added to hbaFile (the
// last line that is exactly it, nothing else) and reloads the primary's configuration.
func disallowReplication(t *testing.T, admin, hbaFile string) {
	b, err := os.ReadFile(hbaFile)
	if err != nil {
		t.Errorf("read %s to remove the replication rule the test added: %v", hbaFile, err)
		return
	}
	lines := strings.SplitAfter(string(b), "\n")
	found := false
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.TrimRight(lines[i], "\n") == replicationHBALine {
			lines = append(lines[:i], lines[i+1:]...)
			found = true
			break
		}
	}
	if !found {
		t.Logf("%s no longer holds the replication rule the test added", hbaFile)
		return
	}
	if err := os.WriteFile(hbaFile, []byte(strings.Join(lines, "")), 0o640); err != nil {
		t.Errorf("remove the replication rule from %s: %v", hbaFile, err)
		return
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Errorf("reload the primary's configuration after removing the replication rule: %v", err)
		return
	}
	defer conn.Close(ctx)
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT pg_reload_conf()").Scan(&ok); err != nil || !ok {
		t.Errorf("reload the primary's configuration after removing the replication rule: %v", err)
		return
	}
	t.Logf("removed from %s and reloaded: %s", hbaFile, replicationHBALine)
}
