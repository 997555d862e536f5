// Package testenv decides whether tests that need outside services (Postgres, a browser)
// run, skip with a clear message, or fail because CI demanded them.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// PostgresURL returns TEST_DATABASE_URL. When it is unset the test is skipped, or failed
// when REQUIRE_POSTGRES=1 (CI sets that, so a silent skip cannot hide a broken backend).
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		missing(tb, "REQUIRE_POSTGRES", "Postgres test skipped: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run it")
	}
	return u
}

// Browser returns the path of a Chromium executable (CHROMIUM_PATH, then chromium,
// chromium-browser, google-chrome on PATH). When none is found the test is skipped, or
// failed when REQUIRE_BROWSER=1.
func Browser(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(tb, "REQUIRE_BROWSER", "browser test skipped: no chromium on PATH (apt-get install -y chromium)")
	return ""
}

func missing(tb testing.TB, requireVar, msg string) {
	tb.Helper()
	if os.Getenv(requireVar) == "1" {
		tb.Fatalf("%s, but %s=1 requires it", msg, requireVar)
	}
	tb.Skip(msg)
}
