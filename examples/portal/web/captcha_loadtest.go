//go:build loadtest

package web

import (
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
)

// LoadtestCaptchaEnv names the environment variable that, in a portal built with
// `-tags loadtest` only, turns on GET /_loadtest/captcha: it answers the current session's
// captcha challenge so the load program (examples/portal/cmd/loadtest) can log in thousands of
// virtual users through the real login path. Both conditions are needed: the default build has
// no such route whatever the environment (captcha_hook_test.go proves it), and a loadtest build
// without TQREG_LOADTEST_CAPTCHA=1 has none either. The route also requires development mode
// and a loopback client.
const LoadtestCaptchaEnv = "TQREG_LOADTEST_CAPTCHA"

func init() {
	registerRoutes(func(s *Server, rt *Router) {
		if os.Getenv(LoadtestCaptchaEnv) != "1" || !s.cfg.Dev {
			return
		}
		s.log.Warn("load-test build: GET /_loadtest/captcha reveals captcha answers to loopback clients; never run this build in production",
			slog.String("env", LoadtestCaptchaEnv))
		rt.Handle("GET /_loadtest/captcha", http.HandlerFunc(s.loadtestCaptcha))
	})
}

// loadtestCaptcha writes "<challenge id> <answer>" for the session's current challenge. The
// secret is taken and put back, so the login that follows verifies it as usual.
func (s *Server) loadtestCaptcha(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		s.notFound(w, r)
		return
	}
	sess, err := s.session(r)
	id := ""
	if err == nil {
		id = stringValue(sess, sessCaptchaID)
	}
	if id == "" {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	cs := s.cfg.Store.Captchas()
	sec, err := cs.Take(ctx, id)
	if err != nil {
		s.notFound(w, r)
		return
	}
	if err := cs.Put(ctx, id, sec); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(id + " " + strconv.Itoa(sec.Answer) + "\n"))
}
