package web

import (
	"net/http"
	"strings"

	"github.com/tqreg/tqreg/examples/portal/store"
)

func init() {
	registerRoutes(func(s *Server, rt *Router) {
		if s.cfg.Dev {
			rt.Public("GET /dev/outbox", s.outboxPage)
		}
	})
}

// outboxPage is the development outbox (开发信箱): the e-mails and SMS the portal "sent", newest
// first. It exists only with -dev; it shows codes and links on purpose, so never enable -dev on
// a public server.
func (s *Server) outboxPage(w http.ResponseWriter, r *http.Request) {
	msgs, err := s.cfg.Store.Outbox(r.Context(), 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, OutboxPage(msgs, s.outboxLink))
}

// outboxLink returns the path of the first link of this portal in a message ("" when none), so the
// page can make it clickable.
func (s *Server) outboxLink(body string) string {
	base := s.cfg.BaseURL + "/"
	i := strings.Index(body, base)
	if s.cfg.BaseURL == "" || i < 0 {
		return ""
	}
	rest := body[i+len(base)-1:]
	if j := strings.IndexFunc(rest, func(r rune) bool { return r <= ' ' || r > '~' || r == ',' }); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func channelLabel(m store.OutboxMessage) string {
	switch m.Channel {
	case "email":
		return "邮件"
	case "sms":
		return "短信"
	case "wechat":
		return "微信"
	}
	return m.Channel
}
