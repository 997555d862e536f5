package testenv_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tqreg/tqreg/internal/testenv"
)

// fakeTB records whether the helper skipped or failed the test; both end the calling
// goroutine, as they do on a real testing.T.
type fakeTB struct {
	testing.TB
	skipped, failed bool
	msg             string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Skip(args ...any) {
	f.skipped, f.msg = true, fmt.Sprint(args...)
	runtime.Goexit()
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed, f.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls helper with a fake TB on its own goroutine and returns what it recorded and
// returned.
func run(helper func(testing.TB) string) (f *fakeTB, got string) {
	f = &fakeTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		got = helper(f)
	}()
	<-done
	return f, got
}

func TestPostgresURL(t *testing.T) {
	tests := []struct {
		name, url, require string
		skip, fail         bool
		msg                string
	}{
		{"no URL skips with the variable to set", "", "", true, false, "TEST_DATABASE_URL="},
		{"no URL under REQUIRE_POSTGRES=1 fails", "", "1", false, true, "REQUIRE_POSTGRES=1 requires it"},
		{"REQUIRE_POSTGRES other than 1 still skips", "", "0", true, false, "Postgres test skipped"},
		{"a URL runs the test", "postgres://x@127.0.0.1/test", "1", false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TEST_DATABASE_URL", tt.url)
			t.Setenv("REQUIRE_POSTGRES", tt.require)
			f, got := run(testenv.PostgresURL)
			if f.skipped != tt.skip || f.failed != tt.fail || !strings.Contains(f.msg, tt.msg) {
				t.Errorf("skipped %v, failed %v, message %q; want skip %v, fail %v, message with %q", f.skipped, f.failed, f.msg, tt.skip, tt.fail, tt.msg)
			}
			if !tt.skip && !tt.fail && got != tt.url {
				t.Errorf("returned %q, want %q", got, tt.url)
			}
		})
	}
}

func TestBrowser(t *testing.T) {
	empty := t.TempDir()
	withChromium := t.TempDir()
	exe := filepath.Join(withChromium, "chromium")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, chromiumPath, require string
		skip, fail                        bool
		msg, want                         string
	}{
		{"no browser skips with how to install one", empty, "", "", true, false, "apt-get install -y chromium", ""},
		{"no browser under REQUIRE_BROWSER=1 fails", empty, "", "1", false, true, "REQUIRE_BROWSER=1 requires it", ""},
		{"chromium on PATH", withChromium, "", "1", false, false, "", exe},
		{"CHROMIUM_PATH wins", empty, "/opt/chrome/chrome", "1", false, false, "", "/opt/chrome/chrome"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PATH", tt.path)
			t.Setenv("CHROMIUM_PATH", tt.chromiumPath)
			t.Setenv("REQUIRE_BROWSER", tt.require)
			f, got := run(testenv.Browser)
			if f.skipped != tt.skip || f.failed != tt.fail || !strings.Contains(f.msg, tt.msg) {
				t.Errorf("skipped %v, failed %v, message %q; want skip %v, fail %v, message with %q", f.skipped, f.failed, f.msg, tt.skip, tt.fail, tt.msg)
			}
			if got != tt.want {
				t.Errorf("returned %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRequireFailsARealTest re-runs this test binary on TestHelperNeedsPostgres with a real
// testing.T: without Postgres it skips (exit 0, SKIP with the message), and under
// REQUIRE_POSTGRES=1 the binary fails.
func TestRequireFailsARealTest(t *testing.T) {
	for _, tt := range []struct {
		require  string
		wantFail bool
		want     string
	}{
		{"", false, "--- SKIP: TestHelperNeedsPostgres"},
		{"1", true, "--- FAIL: TestHelperNeedsPostgres"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperNeedsPostgres$", "-test.v")
		cmd.Env = append(os.Environ(), "TESTENV_HELPER=1", "TEST_DATABASE_URL=", "REQUIRE_POSTGRES="+tt.require)
		out, err := cmd.CombinedOutput()
		if failed := err != nil; failed != tt.wantFail || !strings.Contains(string(out), tt.want) || !strings.Contains(string(out), "TEST_DATABASE_URL=") {
			t.Errorf("REQUIRE_POSTGRES=%q: err %v, output:\n%s", tt.require, err, out)
		}
	}
}

func TestHelperNeedsPostgres(t *testing.T) {
	if os.Getenv("TESTENV_HELPER") != "1" {
		t.Skip("only run by TestRequireFailsARealTest")
	}
	testenv.PostgresURL(t)
	t.Log("reached past PostgresURL")
}
