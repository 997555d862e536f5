package web

import (
	"context"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// Notices to the holder of an account about something another person did with their document
// number. Only existing accounts with an e-mail address are told; the page the other person sees
// answers the same either way, and a failure to write the notice is not that person's problem
// (logged by the store, not shown).

// warnOwner tells the holder of an existing account that someone tried to register with their
// document.
func (s *Server) warnOwner(ctx context.Context, t account.DocType, number string) {
	s.mailOwner(ctx, t, number, "教师资格定期注册-账号注册提醒",
		"有人尝试使用您的证件号码注册新账号。您的账号已存在,无需重复注册;如忘记密码,请使用“忘记密码”功能找回。如非本人操作,请忽略本邮件。")
}

// warnLocked tells the holder of an account that its login has just been locked by the
// throttle's hard cap (20 consecutive failures), so a lock set by someone guessing does not go
// unnoticed until the owner's next login — which may fall in the 网报 window.
func (s *Server) warnLocked(ctx context.Context, t account.DocType, number string) {
	s.mailOwner(ctx, t, number, "教师资格定期注册-账号锁定提醒",
		"您的账号因连续多次登录失败已被锁定。如是本人操作,请使用“忘记密码”重置密码后登录;"+
			"如非本人操作,说明有人在尝试登录您的账号,请尽快通过“忘记密码”设置新的密码。")
}

// mailOwner puts an e-mail to the holder of the account with the document (number as typed or
// canonical) in the outbox: "<name> 您好:" and the text.
func (s *Server) mailOwner(ctx context.Context, t account.DocType, number, subject, text string) {
	canonical, err := account.ValidateDocumentAt(t, number, s.now())
	if err != nil {
		return
	}
	a, err := s.cfg.Store.AccountByDocument(ctx, t, canonical)
	if err != nil || a.Email == "" {
		return
	}
	_, _ = s.cfg.Store.AddOutbox(ctx, store.OutboxMessage{
		Channel: "email", Recipient: a.Email, Subject: subject, Body: a.Name + " 您好:\n" + text,
	})
}
