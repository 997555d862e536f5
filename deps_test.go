package tqreg_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// domainPackages are the pure packages: they decide, they never do I/O.
var domainPackages = []string{"account", "certificate", "photo", "form", "registration"}

// forbiddenDeps are import paths (or prefixes ending in "/") a domain package must not
// depend on, directly or indirectly.
var forbiddenDeps = []string{
	"net/http",
	"database/sql",
	"github.com/uptrace/bun",
	"github.com/a-h/templ",
	"github.com/gorilla/",
	"github.com/jackc/",
	"modernc.org/sqlite",
}

func TestDomainPackagesDoNotDependOnAdapters(t *testing.T) {
	goCmd := goCommand(t)
	for _, pkg := range domainPackages {
		t.Run(pkg, func(t *testing.T) {
			out, err := exec.Command(goCmd, "list", "-deps", "./"+pkg).CombinedOutput()
			if err != nil {
				t.Fatalf("go list -deps ./%s: %v\n%s", pkg, err, out)
			}
			deps := strings.Fields(string(out))
			if len(deps) == 0 {
				t.Fatalf("go list -deps ./%s listed nothing", pkg)
			}
			for _, d := range deps {
				if bad := forbidden(d); bad != "" {
					t.Errorf("%s depends on %s (forbidden: %s)", pkg, d, bad)
				}
			}
		})
	}
}

// goCommand finds the go command that runs this test: the toolchain's own (GOROOT/bin/go),
// then go on PATH. It fails rather than skips: a test that cannot run must not pass.
func goCommand(t *testing.T) string {
	t.Helper()
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); runtime.GOROOT() != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command in %s/bin nor on PATH: %v", runtime.GOROOT(), err)
	}
	return p
}

func forbidden(dep string) string {
	for _, f := range forbiddenDeps {
		if dep == f || strings.HasPrefix(dep, strings.TrimSuffix(f, "/")+"/") {
			return f
		}
	}
	return ""
}

// TestForbiddenMatcher proves the matcher itself catches what it must, so the test above
// cannot pass vacuously.
func TestForbiddenMatcher(t *testing.T) {
	for dep, want := range map[string]bool{
		"net/http":                                 true,
		"net/http/httptest":                        true,
		"database/sql":                             true,
		"database/sql/driver":                      true,
		"github.com/uptrace/bun":                   true,
		"github.com/uptrace/bun/dialect/pgdialect": true,
		"github.com/a-h/templ":                     true,
		"github.com/gorilla/sessions":              true,
		"net/url":                                  false,
		"golang.org/x/crypto/argon2":               false,
		"github.com/pquerna/otp":                   false,
		"net/httpx":                                false,
	} {
		if got := forbidden(dep) != ""; got != want {
			t.Errorf("forbidden(%q) = %v, want %v", dep, got, want)
		}
	}
}
