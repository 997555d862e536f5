package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/tqreg/tqreg/templates"
)

// isFragment reports whether the request wants only the page's main fragment: an HTMX request
// that is not a boosted navigation.
func isFragment(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true"
}

// render writes c with status: the whole page, or only its templates.MainFragment for an HTMX
// request. The page frame (logged-in name, dev flag, flash) comes from the request. The output is
// buffered, so a failing component gives a clean 500 page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	ctx := templates.WithPage(r.Context(), s.pageFrame(w, r))
	var buf bytes.Buffer
	var err error
	if isFragment(r) {
		err = templ.RenderFragments(ctx, &buf, c, templates.MainFragment)
	} else {
		err = c.Render(ctx, &buf)
	}
	if err != nil {
		s.log.Error("render", slog.String("route", r.Pattern), slog.String("error", err.Error()))
		if status != http.StatusInternalServerError {
			s.render(w, r, http.StatusInternalServerError, ErrorPage(http.StatusInternalServerError, "系统错误", "页面生成失败,请稍后再试。"))
			return
		}
		http.Error(w, "系统错误", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Add("Vary", "HX-Request")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pageFrame is the layout's per-request data.
func (s *Server) pageFrame(w http.ResponseWriter, r *http.Request) templates.Page {
	p := templates.Page{Dev: s.cfg.Dev}
	if a, ok := CurrentAccount(r.Context()); ok {
		p.UserName = a.Name
	} else {
		// The staff console (its login included) shows its own staff bar, not 登录/注册.
		p.Staff = r.URL.Path == "/review" || strings.HasPrefix(r.URL.Path, "/review/")
	}
	p.Flash = s.takeFlash(w, r)
	return p
}

// redirect sends the browser to target after a POST (303 See Other). For an HTMX request it sets
// HX-Redirect instead, so htmx loads the new page in full (header, title and URL included).
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, target string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath returns p when it is a path on this site ("/..." but not "//..." or "/\..."),
// otherwise fallback; it guards the ?next= parameter against open redirects.
func localPath(p, fallback string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return fallback
	}
	u, err := url.Parse(p)
	if err != nil || u.IsAbs() || u.Host != "" {
		return fallback
	}
	return p
}

// parseForm parses the body (url-encoded or multipart, within the route's body limit). On failure
// it answers with the 413 or 400 page and returns false.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(PhotoBodyLimit)
	} else {
		err = r.ParseForm()
	}
	if err == nil {
		return true
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		s.errorPage(w, r, http.StatusRequestEntityTooLarge, tooLargeMessage(mbe.Limit))
		return false
	}
	s.errorPage(w, r, http.StatusBadRequest, "")
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }

// pageFor returns the context's page, marked private when it shows personal data.
func pageFor(ctx context.Context, private bool, title, nav string) templates.Page {
	if private {
		return templates.Private(ctx, title, nav)
	}
	return templates.Titled(ctx, title, nav)
}
