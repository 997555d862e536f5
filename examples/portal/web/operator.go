package web

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/tqreg/tqreg/examples/portal/store"
)

// errNotLocked: the staff user name has no login lock to lift.
var errNotLocked = errors.New("该工作人员未被锁定")

// unlockStaffName lifts the login lock of the staff user name in one audited transaction, for
// the administrator's 解除工作人员登录锁定 and the operator's -unlock-staff alike: entry builds the
// audit entry from the state before ("已锁定(连续登录失败 N 次)"). errNotLocked when the name is
// not locked (nothing is written).
func (s *Server) unlockStaffName(ctx context.Context, username string, entry func(before string) store.AdminAuditEntry) error {
	key, p, now := s.throttleKey("review:user", username), s.svc.LoginThrottle, s.now()
	return s.cfg.Store.Audited(ctx, func(ctx context.Context, tx *store.Store) (store.AdminAuditEntry, error) {
		st, err := throttleStateIn(ctx, tx, key, now)
		if err != nil {
			return store.AdminAuditEntry{}, err
		}
		if !p.Locked(p.State(st, now)) {
			return store.AdminAuditEntry{}, errNotLocked
		}
		if err := tx.ClearThrottle(ctx, key); err != nil {
			return store.AdminAuditEntry{}, err
		}
		return entry("已锁定(连续登录失败 " + strconv.Itoa(st.Consecutive) + " 次)"), nil
	})
}

// UnlockStaff lifts the login lock of the staff user name for the person running the portal
// command (its -unlock-staff flag): the way back when no administrator can sign in to do it in
// 系统管理. The audit entry is the operator's, with the note. store.ErrNotFound when there is no
// such staff member, an error saying so when the name is not locked. The throttle keys depend
// on Config.SecretKey, so the command must run with the same TQREG_SECRET as the portal
// processes.
func (s *Server) UnlockStaff(ctx context.Context, username, note string) error {
	username = strings.TrimSpace(username)
	if _, err := s.cfg.Store.StaffByUsername(ctx, username); err != nil {
		return err
	}
	return s.unlockStaffName(ctx, username, func(before string) store.AdminAuditEntry {
		return store.AdminAuditEntry{Actor: "命令行", Role: store.RoleOperator, Action: auditStaffUnlock,
			Subject: "工作人员 " + username, From: before, To: "已解除", Note: note}
	})
}
