package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/sessions"
	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/templates"
)

// Session value keys. Values are strings (SessionStore keeps only strings).
const (
	sessKind    = "kind"    // "applicant" once logged in; staff consoles use their own kind
	sessAccount = "account" // the applicant's account id (decimal)
	sessFlash   = "flash"   // "kind\x1fmessage", shown once
)

// Applicant is the logged-in applicant (申请人) as handlers see it.
type Applicant struct {
	ID   int64
	Name string
	// Account is the full account record as loaded for this request.
	Account account.Account
}

type applicantKey struct{}

// CurrentAccount returns the logged-in applicant of the request, if any.
func CurrentAccount(ctx context.Context) (Applicant, bool) {
	a, ok := ctx.Value(applicantKey{}).(Applicant)
	return a, ok
}

// session returns the request's session (a new, unsaved one when there is none).
func (s *Server) session(r *http.Request) (*sessions.Session, error) {
	return s.sessions.Get(r, s.cookieName)
}

// withAccount loads the session of every request, refreshes its idle clock, and puts the
// logged-in applicant (if any) into the request context.
func (s *Server) withAccount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		sess, err := s.session(r)
		if err != nil {
			s.log.Warn("session load failed", slog.String("error", err.Error()))
			s.errorPage(w, r, http.StatusServiceUnavailable, "")
			return
		}
		if sess.Values[sessKind] == "applicant" {
			id, _ := strconv.ParseInt(stringValue(sess, sessAccount), 10, 64)
			a, err := s.loadApplicant(r.Context(), id)
			switch {
			case err == nil:
				r = r.WithContext(context.WithValue(r.Context(), applicantKey{}, a))
			case errors.Is(err, errNotFound):
				// The account is gone: end the session.
				_ = s.sessions.Destroy(r, w, sess)
			default:
				s.fail(w, r, err)
				return
			}
		}
		if s.sessions.needsTouch(sess) {
			if err := s.sessions.Save(r, w, sess); err != nil {
				s.log.Warn("session touch failed", slog.String("error", err.Error()))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// requireApplicant lets logged-in applicants through; a GET from anyone else is sent to the login
// page (which returns here afterwards), other methods get the 401 page.
func (s *Server) requireApplicant(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := CurrentAccount(r.Context()); !ok {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				target := "/login?next=" + url.QueryEscape(r.URL.Path)
				if r.Header.Get("HX-Request") == "true" {
					w.Header().Set("HX-Redirect", target)
					w.WriteHeader(http.StatusNoContent)
					return
				}
				http.Redirect(w, r, target, http.StatusSeeOther)
				return
			}
			s.errorPage(w, r, http.StatusUnauthorized, "登录已超时或尚未登录,请重新登录。")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// logIn starts an applicant session: the session id is rotated (a pre-login id is worthless) and
// the account stored server-side.
func (s *Server) logIn(w http.ResponseWriter, r *http.Request, accountID int64) error {
	sess, err := s.session(r)
	if err != nil {
		return err
	}
	for k := range sess.Values {
		delete(sess.Values, k)
	}
	sess.Values[sessKind] = "applicant"
	sess.Values[sessAccount] = strconv.FormatInt(accountID, 10)
	return s.sessions.Rotate(r, w, sess)
}

// rotateSession gives the current session a new id, keeping its values (password change).
func (s *Server) rotateSession(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.session(r)
	if err != nil {
		return err
	}
	return s.sessions.Rotate(r, w, sess)
}

// logOut destroys the session server-side and expires its cookie.
func (s *Server) logOut(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.session(r)
	if err != nil {
		return err
	}
	return s.sessions.Destroy(r, w, sess)
}

// setFlash keeps a one-time message for the next page the browser shows.
func (s *Server) setFlash(w http.ResponseWriter, r *http.Request, kind, message string) {
	sess, err := s.session(r)
	if err != nil {
		return
	}
	sess.Values[sessFlash] = kind + "\x1f" + message
	if err := s.sessions.Save(r, w, sess); err != nil {
		s.log.Warn("flash save failed", slog.String("error", err.Error()))
	}
}

// takeFlash returns and clears the pending flash message.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) *templates.Flash {
	sess, err := s.session(r)
	if err != nil || sess.IsNew {
		return nil
	}
	v := stringValue(sess, sessFlash)
	if v == "" {
		return nil
	}
	delete(sess.Values, sessFlash)
	if err := s.sessions.Save(r, w, sess); err != nil {
		s.log.Warn("flash clear failed", slog.String("error", err.Error()))
	}
	kind, msg, _ := strings.Cut(v, "\x1f")
	return &templates.Flash{Kind: kind, Message: msg}
}

func stringValue(sess *sessions.Session, key string) string {
	v, _ := sess.Values[key].(string)
	return v
}
