package web

import (
	"context"
	"io/fs"
	"net/http"
	"time"
)

// coreRoutes registers the routes this file set owns: home, health, static files and the
// account pages. Feature files add theirs through registerRoutes (see the package comment).
func (s *Server) coreRoutes(rt *Router) {
	rt.Public("GET /{$}", s.homePage)
	rt.Handle("GET /healthz", http.HandlerFunc(s.healthz))
	if s.cfg.Static != nil {
		rt.Handle("GET /static/", staticFiles(s.cfg.Static))
	}
}

// healthz answers 200 "ok" when the database answers a ping, 503 otherwise.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.cfg.Store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// staticFiles serves the embedded static tree under /static/ with a short public cache.
func staticFiles(fsys fs.FS) http.Handler {
	files := http.StripPrefix("/static/", http.FileServerFS(fsys))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// notFound is the catch-all: the zh-CN 404 page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "")
}

// homePage is 首页: the entry points of manual §1.1.1.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, HomePage())
}
