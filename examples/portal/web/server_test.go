package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tqreg/tqreg/examples/portal/static"
	"github.com/tqreg/tqreg/examples/portal/web"
)

// htmlGETRoutes are public pages every test run renders.
func publicPages(h *harness) []string {
	var out []string
	for _, r := range h.Server.Routes() {
		if r.Method == http.MethodGet && r.Auth == "public" && !strings.Contains(r.Path, "{") && !strings.HasSuffix(r.Path, "/") || r.Path == "/{$}" {
			out = append(out, strings.TrimSuffix(r.Path, "{$}"))
		}
	}
	return out
}

// applicantPages are the GET pages of logged-in applicants without path parameters.
func applicantPages(h *harness) []string {
	var out []string
	for _, r := range h.Server.Routes() {
		if r.Method == http.MethodGet && r.Auth == "applicant" && !strings.Contains(r.Path, "{") {
			out = append(out, r.Path)
		}
	}
	return out
}

func TestSecurityHeadersOnEveryHTMLResponse(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	c.login(h.createApplicant())
	paths := append(append(publicPages(h), applicantPages(h)...), "/no/such/page", "/test/panic")
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			r := c.get(p)
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
				return // a redirect or a non-HTML answer
			}
			want := map[string]string{
				"Content-Security-Policy": web.ContentSecurityPolicy,
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "same-origin",
				"Cache-Control":           "no-store",
			}
			for k, v := range want {
				if got := r.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			for _, banned := range []string{"'unsafe-inline'", "'unsafe-eval'"} {
				if strings.Contains(r.Header.Get("Content-Security-Policy"), banned) {
					t.Errorf("CSP allows %s", banned)
				}
			}
			if r.Doc.Find("script:not([src])").Length() > 0 {
				t.Error("inline <script> (the CSP would block it)")
			}
			r.Doc.Find("*").Each(func(_ int, s *goquery.Selection) {
				for _, a := range s.Nodes[0].Attr {
					if strings.HasPrefix(a.Key, "on") || strings.HasPrefix(strings.TrimSpace(a.Val), "js:") || strings.HasPrefix(strings.TrimSpace(a.Val), "javascript:") {
						t.Errorf("<%s %s=%q>: inline script (the CSP would block it)", s.Nodes[0].Data, a.Key, a.Val)
					}
				}
			})
		})
	}
}

func TestEveryPOSTRouteRefusesCrossSiteRequests(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	n := 0
	for _, rt := range h.Server.Routes() {
		if rt.Method != http.MethodPost {
			continue
		}
		n++
		path := strings.NewReplacer("{id}", "1", "{number}", "1", "{token}", "x").Replace(rt.Path)
		r := c.post(path, url.Values{"x": {"1"}}, "Sec-Fetch-Site", "cross-site")
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s from another site: status %d, want 403", rt.Path, r.StatusCode)
		}
		// The same POST from an old browser without Sec-Fetch-Site but with a foreign Origin.
		r = c.post(path, url.Values{"x": {"1"}}, "Sec-Fetch-Site", "", "Origin", "https://evil.example")
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s with a foreign Origin: status %d, want 403", rt.Path, r.StatusCode)
		}
	}
	if n == 0 {
		t.Fatal("no POST routes registered")
	}
}

func TestNotFoundPageIsChineseAnd404(t *testing.T) {
	h := newHarness(t)
	r := h.client().get("/no/such/page")
	wantStatus(t, r, http.StatusNotFound)
	if got := r.find("error-page").AttrOr("data-status", ""); got != "404" {
		t.Errorf("error page status %q, want 404", got)
	}
	if !strings.Contains(r.text("error-message"), "页面不存在") {
		t.Errorf("message %q", r.text("error-message"))
	}
}

func TestHTMXRequestGetsTheFragmentPlainRequestTheWholePage(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	c.login(h.createApplicant())
	for _, p := range append(publicPages(h), applicantPages(h)...) {
		t.Run(p, func(t *testing.T) {
			full := c.get(p)
			if full.StatusCode != http.StatusOK || !strings.HasPrefix(full.Header.Get("Content-Type"), "text/html") {
				return
			}
			if full.find("site-header").Length() != 1 || full.find("page-title").Length() != 1 {
				t.Fatalf("full page lacks header or title")
			}
			frag := c.get(p, "HX-Request", "true")
			wantStatus(t, frag, http.StatusOK)
			if frag.find("site-header").Length() != 0 || strings.Contains(frag.Body, "<html") {
				t.Errorf("fragment contains the layout")
			}
			if frag.text("page-title") != full.text("page-title") {
				t.Errorf("fragment title %q, page title %q", frag.text("page-title"), full.text("page-title"))
			}
			boosted := c.get(p, "HX-Request", "true", "HX-Boosted", "true")
			if boosted.find("site-header").Length() != 1 {
				t.Errorf("boosted request did not get the whole page")
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	h := newHarness(t)
	r := h.client().get("/healthz")
	wantStatus(t, r, http.StatusOK)
	h.Store.Close()
	r = h.client().get("/healthz")
	wantStatus(t, r, http.StatusServiceUnavailable)
}

func TestStaticFilesAreEmbedded(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/static/css/portal.css", "/static/js/portal.js", "/static/vendor/htmx/htmx.min.js", "/static/vendor/htmx/LICENSE", "/static/vendor/htmx/VERSION"} {
		r := h.client().get(p)
		wantStatus(t, r, http.StatusOK)
		if len(r.Body) == 0 {
			t.Errorf("%s is empty", p)
		}
	}
}

// TestNewWithoutAStoreIsAnError: the 定期注册 pages and the reviewer console run on the store, so a
// server without one is refused when it is built (there is no in-memory stand-in catalogue).
func TestNewWithoutAStoreIsAnError(t *testing.T) {
	srv, err := web.New(web.Config{Static: static.FS, Dev: true})
	if err == nil || srv != nil {
		t.Fatalf("New without a store = %v, %v; want no server and an error", srv, err)
	}
}
