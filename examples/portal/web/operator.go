package web

import (
	"context"
	"strings"

	"github.com/tqreg/tqreg/examples/portal/store"
)

// UnlockStaff lifts the login lock of the staff user name for the person running the portal
// command (its -unlock-staff flag): the way back when no administrator can sign in to do it in
// 系统管理. The failures recorded for the name are forgotten, and the administrators' audit log
// gets an entry by the operator with the note. store.ErrNotFound when there is no such staff
// member. The throttle keys depend on Config.SecretKey, so the command must run with the same
// TQREG_SECRET as the portal processes.
func (s *Server) UnlockStaff(ctx context.Context, username, note string) error {
	username = strings.TrimSpace(username)
	if _, err := s.cfg.Store.StaffByUsername(ctx, username); err != nil {
		return err
	}
	return s.cfg.Store.Audited(ctx, func(ctx context.Context, tx *store.Store) (store.AdminAuditEntry, error) {
		if err := tx.ClearThrottle(ctx, s.throttleKey("review:user", username)); err != nil {
			return store.AdminAuditEntry{}, err
		}
		return store.AdminAuditEntry{Actor: "命令行", Role: store.RoleOperator, Action: auditStaffUnlock,
			Subject: "工作人员 " + username, To: "已解除", Note: note}, nil
	})
}
