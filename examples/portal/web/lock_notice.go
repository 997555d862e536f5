package web

import (
	"context"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// warnLocked tells the holder of an account that its login has just been locked by the
// throttle's hard cap (20 consecutive failures), so a lock set by someone guessing does not go
// unnoticed until the owner's next login — which may fall in the 网报 window. Only existing
// accounts with an e-mail address are told; the page answers the same either way, and a
// failure to write the notice is not the person's problem (logged by the store, not shown).
func (s *Server) warnLocked(ctx context.Context, t account.DocType, number string) {
	canonical, err := account.ValidateDocumentAt(t, number, s.now())
	if err != nil {
		return
	}
	a, err := s.cfg.Store.AccountByDocument(ctx, t, canonical)
	if err != nil || a.Email == "" {
		return
	}
	_, _ = s.cfg.Store.AddOutbox(ctx, store.OutboxMessage{
		Channel: "email", Recipient: a.Email, Subject: "教师资格定期注册-账号锁定提醒",
		Body: a.Name + " 您好:\n您的账号因连续多次登录失败已被锁定。如是本人操作,请使用“忘记密码”重置密码后登录;" +
			"如非本人操作,说明有人在尝试登录您的账号,请尽快通过“忘记密码”设置新的密码。",
	})
}
