package faulttest_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// seedLoadUsers creates the load accounts (user 0 is the one the tests log in by hand).
func seedLoadUsers(t *testing.T, lt, url, dsn string, n int) {
	t.Helper()
	out, code := loadtest(t, lt, "-mode", "seed", "-url", url, "-db", dsn, "-users", itoa(n))
	if code != 0 {
		t.Fatalf("loadtest -mode seed: exit %d\n%s", code, out)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// verify runs the load program's database checks against the numbers it was told.
func verify(t *testing.T, lt, dsn, numbers string) {
	t.Helper()
	out, code := loadtest(t, lt, "-mode", "verify", "-db", dsn, "-numbers", numbers)
	t.Logf("verify:\n%s", out)
	if code != 0 {
		t.Errorf("database checks failed (exit %d)", code)
	}
	if n := handedOut(out); n <= 0 {
		t.Errorf("the portal handed out %d application numbers during the run: the fault was not exercised under load", n)
	}
}

func TestTwoPortalsOneDatabase(t *testing.T) {
	admin := gate(t)
	dsn := freshDB(t, admin)
	pb, lt := binaries(t)
	a := startPortal(t, pb, dsn, 0)
	b := startPortal(t, pb, dsn, 0)
	seedLoadUsers(t, lt, a.URL(), dsn, 60)

	// a session made on one process is valid on the other: sessions live in the database
	app := loginFirstLoadUser(t, a.URL())
	if got := app.platformStatus(t, b.URL()); got != http.StatusOK {
		t.Errorf("session from portal A on portal B: GET /platform = %d, want 200", got)
	}

	// every request of every virtual user alternates between the two processes
	numbers := filepath.Join(t.TempDir(), "numbers")
	out, code := loadtest(t, lt, "-url", a.URL()+","+b.URL(), "-db", dsn, "-floors=false",
		"-rate", "3", "-duration", "8s", "-mix", "70,20,10", "-numbers", numbers, "-max-fail", "0.05")
	t.Logf("load over two processes:\n%s", out)
	if code != 0 {
		t.Errorf("load over two processes: exit %d", code)
	}
	verify(t, lt, dsn, numbers)
	for _, p := range []*portal{a, b} {
		if pan := p.panics(); len(pan) > 0 {
			t.Errorf("portal %d panicked: %v", p.port, pan)
		}
	}
}

func TestKillPortalMidLoad(t *testing.T) {
	admin := gate(t)
	dsn := freshDB(t, admin)
	pb, lt := binaries(t)
	p := startPortal(t, pb, dsn, 0)
	seedLoadUsers(t, lt, p.URL(), dsn, 80)
	app := loginFirstLoadUser(t, p.URL())

	numbers := filepath.Join(t.TempDir(), "numbers")
	wait := startLoadtest(t, lt, "-url", p.URL(), "-db", dsn, "-floors=false", "-rate", "3", "-duration", "10s",
		"-mix", "80,10,10", "-numbers", numbers, "-max-fail", "1")
	time.Sleep(3 * time.Second)
	p.stop(syscall.SIGKILL)
	time.Sleep(500 * time.Millisecond)
	p.start()
	out, _ := wait()
	t.Logf("load across SIGKILL:\n%s", out)
	if passed, _ := summary(out); passed <= 0 {
		t.Errorf("no arrival passed across the kill")
	}
	// the session made before the kill still works: it lives in the database
	if got := app.platformStatus(t, p.URL()); got != http.StatusOK {
		t.Errorf("session from before SIGKILL: GET /platform = %d, want 200", got)
	}
	// every number handed out is stored; no application without its event or photo
	verify(t, lt, dsn, numbers)
}

func TestBadInputUnderLoad(t *testing.T) {
	admin := gate(t)
	dsn := freshDB(t, admin)
	pb, lt := binaries(t)
	p := startPortal(t, pb, dsn, 0)
	out, code := loadtest(t, lt, "-mode", "badinput", "-url", p.URL(), "-db", dsn, "-rate", "20", "-duration", "8s",
		"-pid", itoa(p.pid()), "-max-fail", "0")
	t.Logf("bad input:\n%s", out)
	if code != 0 {
		t.Errorf("bad input: exit %d (every answer must be a 4xx zh-CN page)", code)
	}
	if m := regexp.MustCompile(`peak RSS after: (\d+) kB`).FindStringSubmatch(out); m != nil {
		t.Logf("portal peak RSS after the bad-input run: %s kB", m[1])
	}
	if pan := p.panics(); len(pan) > 0 {
		t.Errorf("portal panicked: %v", pan)
	}
}

func TestRestartPostgresMidLoad(t *testing.T) {
	admin := gate(t)
	if os.Getenv("TQREG_FAULTS_PG_RESTART") != "1" {
		t.Skip("restarting the machine's Postgres needs TQREG_FAULTS_PG_RESTART=1 (scripts/load-and-faults.sh)")
	}
	dsn := freshDB(t, admin)
	pb, lt := binaries(t)
	p := startPortal(t, pb, dsn, 0)
	seedLoadUsers(t, lt, p.URL(), dsn, 80)

	numbers := filepath.Join(t.TempDir(), "numbers")
	wait := startLoadtest(t, lt, "-url", p.URL(), "-db", dsn, "-floors=false", "-rate", "5", "-duration", "15s",
		"-mix", "80,20,0", "-numbers", numbers, "-max-fail", "1")
	time.Sleep(4 * time.Second)
	versions, _ := filepath.Glob("/etc/postgresql/*")
	if len(versions) == 0 {
		t.Fatal("no /etc/postgresql/<version>")
	}
	restart := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", filepath.Base(versions[0]), "main", "restart")
	if out, err := restart.CombinedOutput(); err != nil {
		t.Fatalf("pg_ctlcluster restart: %v\n%s", err, out)
	}
	restarted := time.Now()
	// the portal recovers by itself: /healthz answers 200 again within seconds
	var recovered time.Duration
	for time.Since(restarted) < 30*time.Second {
		res, err := http.Get(p.URL() + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				recovered = time.Since(restarted)
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if recovered == 0 {
		t.Fatal("portal did not recover within 30 s of the Postgres restart")
	}
	t.Logf("portal healthy %s after pg_ctlcluster restart returned", recovered.Round(time.Millisecond))
	out, _ := wait()
	t.Logf("load across the Postgres restart:\n%s", out)
	if passed, _ := summary(out); passed <= 0 {
		t.Errorf("no arrival passed across the restart")
	}
	if !strings.Contains(out, "HTTP 503") {
		t.Logf("no request was in flight against the database during the restart (no 503 seen)")
	}
	// failures are clean: the 503 page, never a 500 or a raw error
	if m := regexp.MustCompile(`HTTP 500×\d+`).FindString(out); m != "" {
		t.Errorf("requests failed with %s during the restart, want only 503", m)
	}
	if pan := p.panics(); len(pan) > 0 {
		t.Errorf("portal panicked: %v", pan)
	}
	verify(t, lt, dsn, numbers)
}
