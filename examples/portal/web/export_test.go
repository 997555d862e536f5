package web

import (
	"context"
	"net/http"

	"github.com/tqreg/tqreg/account"
)

// Test-only routes: a handler that panics, to prove the recover middleware's 500 page, and one
// that returns a typed error, to prove the error table.
func init() {
	registerRoutes(func(s *Server, rt *Router) {
		rt.Public("GET /test/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
		rt.Public("GET /test/fail/{kind}", func(w http.ResponseWriter, r *http.Request) {
			err, ok := testErrors[r.PathValue("kind")]
			if !ok {
				s.notFound(w, r)
				return
			}
			s.fail(w, r, err)
		})
	})
}

// Classify exposes the error table to the black-box tests.
func Classify(err error) (status int, message string, known bool) { return classify(err) }

var testErrors = map[string]error{
	"internal": errorString("secret detail of a database failure"),
}

type errorString string

func (e errorString) Error() string { return string(e) }

// LocalPath exposes the ?next= guard to the black-box tests.
func LocalPath(p, fallback string) string { return localPath(p, fallback) }

// FailLogin records n failed logins for the document on its login throttle key at once (the
// clock does not move), for tests that need a locked account while a session stays alive.
func (s *Server) FailLogin(ctx context.Context, t account.DocType, number string, n int) error {
	for range n {
		if err := s.throttleFail(ctx, s.svc.LoginThrottle, s.loginAcctKey(t, number)); err != nil {
			return err
		}
	}
	return nil
}

// HoldPhotoWork takes every photo work slot and makes uploads not wait for one, as if the
// machine were busy decoding other photos, until release is called.
func (s *Server) HoldPhotoWork() (release func()) {
	s.photoWork.wait.Store(0)
	n := cap(s.photoWork.slots)
	for range n {
		s.photoWork.slots <- struct{}{}
	}
	return func() {
		for range n {
			<-s.photoWork.slots
		}
		s.photoWork.wait.Store(int64(photoSlotWait))
	}
}
