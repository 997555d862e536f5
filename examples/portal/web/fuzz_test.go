package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tqreg/tqreg/examples/portal/web"
)

// FuzzLocalPath: whatever ?next= holds, the login redirect stays on this site.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/centre", "//evil.example", "/\\evil.example", "https://evil.example/", "", "centre", "/%2F%2Fevil", "/a?b=c#d", "/\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := web.LocalPath(p, "/platform")
		if got == "/platform" {
			return
		}
		u, err := url.Parse(got)
		if err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/\\") {
			t.Fatalf("LocalPath(%q) = %q leaves the site", p, got)
		}
		// What a browser would resolve it to must be on the same host.
		base, _ := url.Parse("http://portal.test/login")
		if r := base.ResolveReference(u); r.Host != "portal.test" {
			t.Fatalf("LocalPath(%q) = %q resolves to host %q", p, got, r.Host)
		}
	})
}

// FuzzSessionCookie: no cookie value opens a session that was never issued, and none panics.
func FuzzSessionCookie(f *testing.F) {
	repo := web.NewMemorySessions()
	st := web.NewSessionStore(repo, newClock().Now, false)
	for _, s := range []string{"", "x", strings.Repeat("A", 43), strings.Repeat("_", 43), "%00", strings.Repeat("é", 30)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", "s="+v)
		sess, err := st.New(r, "s")
		if err != nil {
			t.Fatal(err)
		}
		if !sess.IsNew || len(sess.Values) != 0 {
			t.Fatalf("cookie %q opened a session", v)
		}
		w := httptest.NewRecorder()
		if err := st.Save(r, w, sess); err != nil {
			t.Fatal(err)
		}
		if c := w.Result().Cookies(); len(c) != 1 || c[0].Value == v || len(c[0].Value) != 43 {
			t.Fatalf("a new session kept the offered id %q", v)
		}
		_ = http.StatusOK
	})
}
