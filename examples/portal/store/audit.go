package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// AdminAuditEntry is one line of the administrators' audit log (系统管理操作记录): who (actor
// and role as they were), what (Action, a code the portal names, and Subject), the state before
// and after (From is empty for a new entry), when, and the note.
type AdminAuditEntry struct {
	ID       int64
	At       time.Time
	StaffID  int64
	Actor    string
	Role     StaffRole
	Action   string
	Subject  string
	From, To string
	Note     string
}

type adminAuditRow struct {
	bun.BaseModel `bun:"table:admin_audit"`

	ID      int64     `bun:"id,pk,autoincrement"`
	At      time.Time `bun:"at,notnull"`
	StaffID int64     `bun:"staff_id,nullzero"`
	Actor   string    `bun:"actor,notnull"`
	Role    string    `bun:"role,notnull"`
	Action  string    `bun:"action,notnull"`
	Subject string    `bun:"subject,notnull"`
	From    string    `bun:"from_value,notnull"`
	To      string    `bun:"to_value,notnull"`
	Note    string    `bun:"note,notnull"`
}

// MaxAdminAudit bounds one read of the audit log.
const MaxAdminAudit = 1000

// Audited runs an administrator's change and writes its audit entry in one transaction: fn makes
// the change through tx (reading the state before it there) and returns the entry, which is
// stored unless fn fails; At defaults to the store's clock. Nothing is changed unless both are.
// The catalogue cache is dropped again after the commit, so no reader keeps a copy loaded while
// the transaction was still open.
func (s *Store) Audited(ctx context.Context, fn func(ctx context.Context, tx *Store) (AdminAuditEntry, error)) error {
	defer s.catalogue.invalidate()
	return s.RunInTx(ctx, func(ctx context.Context, tx *Store) error {
		e, err := fn(ctx, tx)
		if err != nil {
			return err
		}
		return tx.addAdminAudit(ctx, e)
	})
}

func (s *Store) addAdminAudit(ctx context.Context, e AdminAuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	row := adminAuditRow{At: ts(e.At), StaffID: e.StaffID, Actor: e.Actor, Role: string(e.Role), Action: e.Action,
		Subject: e.Subject, From: e.From, To: e.To, Note: e.Note}
	_, err := s.idb.NewInsert().Model(&row).Returning("id").Exec(ctx)
	return s.wrap("add admin audit", err)
}

// AdminAudit returns up to limit entries of the audit log (≤ 0: 200; at most MaxAdminAudit),
// newest first.
func (s *Store) AdminAudit(ctx context.Context, limit int) ([]AdminAuditEntry, error) {
	if limit <= 0 {
		limit = 200
	}
	limit = min(limit, MaxAdminAudit)
	var rows []adminAuditRow
	if err := s.idb.NewSelect().Model(&rows).Order("at DESC", "id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, s.wrap("admin audit", err)
	}
	out := make([]AdminAuditEntry, len(rows))
	for i, r := range rows {
		out[i] = AdminAuditEntry{ID: r.ID, At: r.At.UTC(), StaffID: r.StaffID, Actor: r.Actor, Role: StaffRole(r.Role),
			Action: r.Action, Subject: r.Subject, From: r.From, To: r.To, Note: r.Note}
	}
	return out, nil
}
