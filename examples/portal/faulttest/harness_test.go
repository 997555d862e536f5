package faulttest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// gate skips unless TQREG_FAULTS=1 and returns the admin DSN (TEST_DATABASE_URL).
func gate(t *testing.T) string {
	t.Helper()
	if os.Getenv("TQREG_FAULTS") != "1" {
		t.Skip("fault tests run with TQREG_FAULTS=1 (and TEST_DATABASE_URL); see package doc")
	}
	dsn := os.Getenv("TEST_DATABASE_URL")
	if dsn == "" {
		t.Fatal("TQREG_FAULTS=1 needs TEST_DATABASE_URL=postgres://…")
	}
	return dsn
}

// freshDB creates an empty database for the test and drops it at the end; returns its DSN.
func freshDB(t *testing.T, admin string) string {
	t.Helper()
	ctx := context.Background()
	name := "tqreg_fault_" + strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9]`).ReplaceAllString(t.Name(), "_"))
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect %s: %v", admin, err)
	}
	defer conn.Close(ctx)
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries builds the portal with the load-test hook and the load program, once per run.
func binaries(t *testing.T) (portal, loadtest string) {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "tqreg-faults-")
		if buildErr != nil {
			return
		}
		for _, b := range [][]string{
			{"build", "-tags", "loadtest", "-o", filepath.Join(binDir, "portal"), "github.com/tqreg/tqreg/examples/portal"},
			{"build", "-o", filepath.Join(binDir, "loadtest"), "github.com/tqreg/tqreg/examples/portal/cmd/loadtest"},
		} {
			out, err := exec.Command("go", b...).CombinedOutput()
			if err != nil {
				buildErr = fmt.Errorf("go %s: %v\n%s", strings.Join(b, " "), err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(binDir, "portal"), filepath.Join(binDir, "loadtest")
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// portal is a running portal process.
type portal struct {
	t    *testing.T
	bin  string
	dsn  string
	port int
	args []string // extra flags
	cmd  *exec.Cmd
	log  *bytes.Buffer
	mu   *sync.Mutex
}

func (p *portal) URL() string { return fmt.Sprintf("http://127.0.0.1:%d", p.port) }

// startPortal starts the portal on port (0: a free one) with the extra flags and waits until
// /healthz answers.
func startPortal(t *testing.T, bin, dsn string, port int, args ...string) *portal {
	t.Helper()
	if port == 0 {
		port = freePort(t)
	}
	p := &portal{t: t, bin: bin, dsn: dsn, port: port, args: args, log: &bytes.Buffer{}, mu: &sync.Mutex{}}
	p.start()
	t.Cleanup(func() { p.stop(syscall.SIGTERM) })
	return p
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func (p *portal) start() {
	p.t.Helper()
	cmd := exec.Command(p.bin, append([]string{"-addr", fmt.Sprintf("127.0.0.1:%d", p.port), "-db", p.dsn, "-log", "json"}, p.args...)...)
	cmd.Env = append(os.Environ(), "TQREG_LOADTEST_CAPTCHA=1")
	cmd.Stdout = io.Discard
	cmd.Stderr = lockedWriter{p.mu, p.log}
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	p.cmd = cmd
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(p.URL() + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatalf("portal on %d did not become healthy:\n%s", p.port, p.logText())
}

// stop sends sig and waits for the process to end.
func (p *portal) stop(sig syscall.Signal) {
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(sig)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
	p.cmd = nil
}

func (p *portal) pid() int { return p.cmd.Process.Pid }

func (p *portal) logText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// panics returns the panic lines of the portal's log.
func (p *portal) panics() []string {
	var out []string
	for _, l := range strings.Split(p.logText(), "\n") {
		if strings.Contains(l, `"msg":"panic"`) {
			out = append(out, l)
		}
	}
	return out
}

// loadtest runs the load program and returns its output and exit code.
func loadtest(t *testing.T, bin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-progress=false"}, args...)...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), code
}

// startLoadtest starts the load program in the background and returns once its open-loop run
// has begun; wait returns its output and exit code.
func startLoadtest(t *testing.T, bin string, args ...string) (wait func() (string, int)) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-progress=false"}, args...)...)
	var out bytes.Buffer
	var mu sync.Mutex
	cmd.Stdout = lockedWriter{&mu, &out}
	cmd.Stderr = lockedWriter{&mu, &out}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var code int
	go func() {
		err := cmd.Wait()
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		close(done)
	}()
	text := func() string { mu.Lock(); defer mu.Unlock(); return out.String() }
	for !strings.Contains(text(), "== open-loop run") {
		select {
		case <-done:
			t.Fatalf("load program ended before its open-loop run (exit %d):\n%s", code, text())
		case <-time.After(50 * time.Millisecond):
		}
	}
	return func() (string, int) {
		<-done
		return text(), code
	}
}

// applicant is a logged-in browser of a load user (created by `loadtest -mode seed`).
type applicant struct {
	c *http.Client
}

// loginFirstLoadUser logs load user 0 in on base through the load-test captcha hook.
func loginFirstLoadUser(t *testing.T, base string) *applicant {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	get := func(path string) string {
		res, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		return string(b)
	}
	get("/login")
	id, answer, _ := strings.Cut(strings.TrimSpace(get("/_loadtest/captcha")), " ")
	form := url.Values{"doc_type": {"1"}, "doc_number": {firstLoadUserDoc}, "password": {"Tqreg-Load-2026"},
		"captcha_id": {id}, "captcha_answer": {answer}, "captcha_kind": {"1"}}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", base)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/platform" {
		t.Fatalf("login of load user 0 ended on %s (status %d)", res.Request.URL.Path, res.StatusCode)
	}
	return &applicant{c: c}
}

// firstLoadUserDoc is load user 0's document number (cmd/loadtest's loadUserAt(0)).
const firstLoadUserDoc = "440106197501011005"

// platformStatus returns the status of GET /platform on base with the applicant's cookies
// (redirects not followed: 200 means the session is valid there).
func (a *applicant) platformStatus(t *testing.T, base string) int {
	t.Helper()
	c := &http.Client{Jar: a.c.Jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/platform")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// handedOut extracts how many numbers verify was told about.
func handedOut(out string) int {
	m := regexp.MustCompile(`verify: (\d+) numbers handed out`).FindStringSubmatch(out)
	if m == nil {
		return -1
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

// summary extracts "N passed, N failed" from the load program's output.
func summary(out string) (passed, failed int) {
	m := regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed$`).FindStringSubmatch(out)
	if m == nil {
		return -1, -1
	}
	fmt.Sscan(m[1], &passed)
	fmt.Sscan(m[2], &failed)
	return
}
