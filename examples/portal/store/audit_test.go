package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/registration"
)

func TestAdminChangesAreAuditedInTheirOwnTransaction(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _, w := addCatalogue(t, s)
		admin, err := s.CreateStaff(ctx, store.Staff{Username: "admin-audit", Name: "管理员乙", Role: store.RoleAdmin, PasswordHash: "h"})
		must(t, err)
		entry := func(action, from, to string, at time.Time) store.AdminAuditEntry {
			return store.AdminAuditEntry{At: at, StaffID: admin.ID, Actor: admin.Name, Role: admin.Role, Action: action,
				Subject: "网报时间 " + w.ID, From: from, To: to, Note: "说明"}
		}
		closes := func() time.Time {
			t.Helper()
			cat, err := s.Catalogue(ctx)
			must(t, err)
			win, _ := cat.Window(w.ID)
			return win.Closes
		}
		before := closes()

		t.Run("the change and its entry together", func(t *testing.T) {
			at := t0.Add(time.Hour)
			must(t, s.Audited(ctx, func(ctx context.Context, tx *store.Store) (store.AdminAuditEntry, error) {
				return entry("window.close", "旧", "新", at), tx.CloseWindow(ctx, w.ID, at)
			}))
			if got := closes(); !got.Equal(at) {
				t.Errorf("window closes %v, want %v", got, at)
			}
			log, err := s.AdminAudit(ctx, 0)
			must(t, err)
			want := entry("window.close", "旧", "新", at)
			if len(log) != 1 {
				t.Fatalf("log %+v", log)
			}
			got := log[0]
			got.ID = 0
			if !got.At.Equal(want.At) {
				t.Errorf("at %v, want %v", got.At, want.At)
			}
			got.At = want.At
			if got != want {
				t.Errorf("entry %+v, want %+v", got, want)
			}
		})

		t.Run("a failed change writes no entry", func(t *testing.T) {
			boom := errors.New("boom")
			err := s.Audited(ctx, func(ctx context.Context, tx *store.Store) (store.AdminAuditEntry, error) {
				if _, err := tx.SaveAuthority(ctx, registration.Authority{ID: a.ID, Name: "改名", Province: a.Province, City: a.City, Stages: a.Stages, Kinds: a.Kinds}); err != nil {
					return store.AdminAuditEntry{}, err
				}
				return entry("authority.save", "", "", t0), boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("Audited = %v", err)
			}
			cat, _ := s.Catalogue(ctx)
			if got, _ := cat.Authority(a.ID); got.Name != a.Name {
				t.Errorf("the failed change stayed: %q", got.Name)
			}
			if log, _ := s.AdminAudit(ctx, 0); len(log) != 1 {
				t.Errorf("log has %d entries, want 1", len(log))
			}
		})

		t.Run("an entry that cannot be written undoes the change", func(t *testing.T) {
			bad := entry("window.close", "", "", t0.Add(2*time.Hour))
			bad.StaffID = 987654 // no such staff member
			err := s.Audited(ctx, func(ctx context.Context, tx *store.Store) (store.AdminAuditEntry, error) {
				return bad, tx.CloseWindow(ctx, w.ID, t0.Add(2*time.Hour))
			})
			if err == nil {
				t.Fatal("an entry naming an unknown staff member was written")
			}
			if got := closes(); !got.Equal(t0.Add(time.Hour)) {
				t.Errorf("window closes %v after a failed audit (first %v)", got, before)
			}
		})

		t.Run("newest first, bounded", func(t *testing.T) {
			for i := range 3 {
				must(t, s.Audited(ctx, func(ctx context.Context, tx *store.Store) (store.AdminAuditEntry, error) {
					return entry("restriction.add", "", string(rune('A'+i)), t0.Add(time.Duration(10+i)*time.Hour)), nil
				}))
			}
			log, err := s.AdminAudit(ctx, 2)
			must(t, err)
			if len(log) != 2 || log[0].To != "C" || log[1].To != "B" {
				t.Errorf("log %+v", log)
			}
		})

		t.Run("restriction entries keep their author", func(t *testing.T) {
			e, err := s.AddRestriction(ctx, store.RestrictionEntry{DocType: account.DocResidentID, DocNumber: "11010519491231002X", CreatedBy: admin.ID,
				Restriction: registration.Restriction{Kind: registration.RestrictionCheating, Since: t0}})
			must(t, err)
			got, err := s.RestrictionByID(ctx, e.ID)
			if err != nil || got.CreatedBy != admin.ID {
				t.Errorf("author %d, %v; want %d", got.CreatedBy, err, admin.ID)
			}
		})
	})
}
