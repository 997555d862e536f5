package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/static"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/examples/portal/web"
)

// BenchmarkPages measures the full handler stack (log, recover, headers, cross-origin check,
// session, render) on the SQLite store, next to its floor: a bare handler writing the same bytes.
//
//	go test -run '^$' -bench BenchmarkPages -benchmem ./examples/portal/web
func BenchmarkPages(b *testing.B) {
	clock := newClock()
	st := storetest.OpenSQLite(b, store.WithClock(clock.Now), store.WithLogger(discardLogger()))
	srv, err := web.New(web.Config{Store: st, Static: static.FS, Now: clock.Now, Logger: discardLogger(), Dev: true,
		Services: web.Services{Captcha: testCaptcha{account.CaptchaSlider}, TextCaptcha: testCaptcha{account.CaptchaText}, Hasher: testHasher}})
	if err != nil {
		b.Fatal(err)
	}
	hash, _ := testHasher.Hash("Registration-2026!")
	doc := residentID("11010519850101001")
	if _, err := st.CreateAccount(context.Background(), account.Account{DocType: account.DocResidentID, DocNumber: doc,
		Name: "张三", Phone: "13800000000", Email: "a@example.com", RegisteredAt: clock.Now(), PasswordHash: hash,
		PasswordChangedAt: clock.Now(), RealNameVerified: true}); err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()

	// Log in once through the handler to get a session cookie.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/login", nil))
	cookie := rec.Result().Cookies()[0]
	form := url.Values{"doc_type": {"1"}, "doc_number": {doc}, "password": {"Registration-2026!"}, "captcha_id": {"x"}, "captcha_kind": {"1"}, "captcha_answer": {"ok"}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		b.Fatalf("login: %d", rec.Code)
	}
	session := rec.Result().Cookies()[0]

	for _, bc := range []struct {
		name, path string
		auth       bool
	}{
		{"home anonymous", "/", false},
		{"password page logged in", "/centre/password", true},
		{"identity logged in", "/centre/identity", true},
		{"centre logged in", "/centre", true},
	} {
		get := func() *httptest.ResponseRecorder {
			r := httptest.NewRequest("GET", bc.path, nil)
			if bc.auth {
				r.AddCookie(session)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w
		}
		page := get()
		if page.Code != http.StatusOK {
			b.Fatalf("%s: %d", bc.path, page.Code)
		}
		body := page.Body.Bytes()
		floor := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(body)
		})
		b.Run(bc.name+"/floor bare handler", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				floor.ServeHTTP(w, httptest.NewRequest("GET", bc.path, nil))
			}
		})
		b.Run(bc.name+"/portal", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if w := get(); w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
			}
		})
	}
}
