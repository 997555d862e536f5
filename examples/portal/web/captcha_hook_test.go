package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/static"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/web"
)

// hookPortal starts a dev-mode portal with the default (store-backed) captcha on a fresh SQLite
// database, after setting TQREG_LOADTEST_CAPTCHA to env.
func hookPortal(t *testing.T, env string) (*httptest.Server, *http.Client) {
	t.Helper()
	t.Setenv("TQREG_LOADTEST_CAPTCHA", env)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "hook.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	hasher, err := account.NewHasher(account.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 2)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Store: st, Static: static.FS, Dev: true, BaseURL: "http://portal.test",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: web.Services{Hasher: hasher}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	jar, _ := cookiejar.New(nil)
	return hs, &http.Client{Jar: jar}
}

func hookGet(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestLoadtestCaptchaHook(t *testing.T) {
	tests := []struct {
		name     string
		env      string
		wantHook bool
	}{
		// The production (default) build has no hook even with the variable set; a loadtest
		// build has it only with the variable set to 1.
		{"variable set: hook only in a -tags loadtest build", "1", loadtestHookBuilt},
		{"variable unset: no hook in any build", "", false},
		{"variable set to something else: no hook", "true", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, c := hookPortal(t, tt.env)
			if code, _ := hookGet(t, c, hs.URL+"/login"); code != http.StatusOK {
				t.Fatalf("GET /login = %d", code)
			}
			code, body := hookGet(t, c, hs.URL+"/_loadtest/captcha")
			if !tt.wantHook {
				if code != http.StatusNotFound {
					t.Errorf("GET /_loadtest/captcha = %d, want 404 (hook must not exist)", code)
				}
				return
			}
			if code != http.StatusOK {
				t.Fatalf("GET /_loadtest/captcha = %d, want 200", code)
			}
			id, answer, ok := strings.Cut(strings.TrimSpace(body), " ")
			if !ok || !regexp.MustCompile(`^\d+$`).MatchString(answer) {
				t.Fatalf("hook answered %q, want \"<id> <answer>\"", body)
			}
			// the revealed answer passes the real login path's captcha check: a wrong password
			// (no account) is reported, not the captcha
			form := url.Values{"doc_type": {account.DocResidentID.Code()}, "doc_number": {"110101199003078515"},
				"password": {"Secret-pass-123"}, "captcha_id": {id}, "captcha_answer": {answer},
				"captcha_kind": {"1"}}
			req, _ := http.NewRequest(http.MethodPost, hs.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if !strings.Contains(string(b), "证件号码或密码错误") {
				t.Errorf("login with the hook's answer did not get past the captcha: status %d", res.StatusCode)
			}
		})
	}
}
