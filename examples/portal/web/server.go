// Package web is the applicant portal's HTTP layer: routes, security middleware, server-side
// sessions, the error table and the templ pages. Handlers only translate between HTTP and the
// domain packages and the store; no business rule lives here.
//
// # Adding routes and pages
//
// Feature files (wizard*.go, applications*.go, review*.go, ...) register their routes without
// touching this file, from an init function:
//
//	func init() {
//		registerRoutes(func(s *Server, rt *Router) {
//			rt.Applicant("GET /platform/wizard", s.wizardPage)
//			rt.Applicant("POST /platform/wizard", s.wizardNext)
//		})
//	}
//
// Router.Public serves everyone, Router.Applicant requires a logged-in applicant (see
// CurrentAccount), Router.Handle takes any http.Handler (staff consoles wrap their own
// authentication). Every route gets the body limit, the security headers, the cross-origin
// protection and the request log. A page is a .templ file in this package whose component
// starts with @templates.Layout(templates.Titled(ctx, title, nav)); the handler calls
// s.render(w, r, status, component), which sends the whole page or only its main fragment.
package web

import (
	"context"
	"crypto/rand"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tqreg/tqreg/examples/portal/store"
)

// DefaultBodyLimit bounds every request body unless the route sets its own (BodyLimit).
const DefaultBodyLimit = 64 << 10

// PhotoBodyLimit is the body limit of photo upload routes (the photo itself must be < 200 KB).
const PhotoBodyLimit = 256 << 10

// Config is what the server is built from.
type Config struct {
	// Store is the database (examples/portal/store over SQLite or Postgres); required. The
	// 定期注册 pages and the reviewer console use it through one RegistrationBackend.
	Store *store.Store
	// Sessions keeps the server-side sessions; nil keeps them in Store's session table.
	Sessions SessionRepo
	// SecretKey signs short-lived tickets (password reset); at least 32 random bytes, the same
	// on every app server. Nil generates a random key at start (tickets die with the process).
	SecretKey []byte
	// Static holds css/, js/ and vendor/ (examples/portal/static.FS).
	Static fs.FS
	// BaseURL is the portal's public origin for links in mail (e.g. "http://127.0.0.1:8080").
	BaseURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives structured logs; nil means slog.Default().
	Logger *slog.Logger
	// Dev turns on development mode: the /dev/outbox page and dev-only hints.
	Dev bool
	// SecureCookies sets Secure and the __Host- cookie prefix. Turn it off only for plain-HTTP
	// local development (the browser would drop a Secure cookie over http://127.0.0.1).
	SecureCookies bool
	// Services are the domain services (captcha, throttles, senders, verifier); zero fields get
	// development defaults from NewServices.
	Services Services
}

// Server is the portal's HTTP server: build it with New and serve Handler().
type Server struct {
	cfg        Config
	log        *slog.Logger
	now        func() time.Time
	sessions   *SessionStore
	cookieName string
	mux        *http.ServeMux
	routes     []Route
	handler    http.Handler
	svc        Services
	// registration is the store adapter behind the 定期注册 pages and the reviewer console.
	registration RegistrationBackend
	// photoWork bounds the photo decoding and encoding of uploads and 自动调整 running at once.
	photoWork *photoSlots
}

// Route is one registered route, listed by Server.Routes for tests and documentation.
type Route struct {
	// Method is the HTTP method of the pattern ("GET", "POST").
	Method string
	// Path is the pattern's path part, e.g. "/login" or "/certificates/{id}".
	Path string
	// Auth says who may call it: "public", "applicant" or "custom".
	Auth string
}

// routeSets are the route registrations of feature files (see the package comment).
var routeSets []func(*Server, *Router)

// registerRoutes adds a feature's routes; call it from an init function.
func registerRoutes(fn func(*Server, *Router)) { routeSets = append(routeSets, fn) }

// New builds the server and registers every route.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: Config.Store is required (accounts, sessions, the 定期注册 pages and the reviewer console all run on it)")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Sessions == nil {
		cfg.Sessions = StoreSessions{Store: cfg.Store}
	}
	if len(cfg.SecretKey) == 0 {
		cfg.SecretKey = make([]byte, 32)
		if _, err := rand.Read(cfg.SecretKey); err != nil {
			return nil, err
		}
	}
	svc, err := cfg.Services.withDefaults(cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:          cfg,
		log:          cfg.Logger,
		now:          cfg.Now,
		mux:          http.NewServeMux(),
		svc:          svc,
		sessions:     NewSessionStore(cfg.Sessions, cfg.Now, cfg.SecureCookies),
		registration: &storeRegistration{st: cfg.Store, now: cfg.Now},
		photoWork:    newPhotoSlots(),
	}
	s.cookieName = "tqreg_session"
	if cfg.SecureCookies {
		s.cookieName = "__Host-tqreg_session"
	}
	rt := &Router{s: s}
	s.coreRoutes(rt)
	for _, fn := range routeSets {
		fn(s, rt)
	}
	rt.Public("/", s.notFound)
	s.handler = s.middleware(s.mux)
	return s, nil
}

// Handler returns the whole portal as one http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes returns every registered route, sorted by path then method.
func (s *Server) Routes() []Route {
	out := slices.Clone(s.routes)
	slices.SortFunc(out, func(a, b Route) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return out
}

// Router registers routes on the server's mux with the per-route wrapping (body limit, route name
// for the log, authentication).
type Router struct {
	s *Server
}

// RouteOption changes one route's handling.
type RouteOption func(*routeOpts)

type routeOpts struct{ bodyLimit int64 }

// BodyLimit sets the route's request body limit in bytes (DefaultBodyLimit otherwise).
func BodyLimit(n int64) RouteOption { return func(o *routeOpts) { o.bodyLimit = n } }

// Public registers a route everyone may call. pattern is a ServeMux pattern ("GET /login").
func (rt *Router) Public(pattern string, h http.HandlerFunc, opts ...RouteOption) {
	rt.add(pattern, "public", h, opts)
}

// Applicant registers a route for logged-in applicants: others are sent to the login page (GET)
// or get 401 (other methods); responses are marked Cache-Control: no-store.
func (rt *Router) Applicant(pattern string, h http.HandlerFunc, opts ...RouteOption) {
	rt.add(pattern, "applicant", rt.s.requireApplicant(h), opts)
}

// Handle registers a route with any handler; the caller does its own authentication.
func (rt *Router) Handle(pattern string, h http.Handler, opts ...RouteOption) {
	rt.add(pattern, "custom", h, opts)
}

func (rt *Router) add(pattern, auth string, h http.Handler, opts []RouteOption) {
	o := routeOpts{bodyLimit: DefaultBodyLimit}
	for _, opt := range opts {
		opt(&o)
	}
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	rt.s.routes = append(rt.s.routes, Route{Method: method, Path: path, Auth: auth})
	rt.s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := requestInfoFrom(r.Context()); info != nil {
			info.route = r.Pattern
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, o.bodyLimit)
		}
		h.ServeHTTP(w, r)
	}))
}

// ping checks the database.
func (s *Server) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return s.cfg.Store.Ping(ctx)
}
