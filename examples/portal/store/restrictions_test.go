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

func TestLiftedRestrictionsStayListedButNoLongerBlock(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s)
		admin, err := s.CreateStaff(ctx, store.Staff{Username: "admin-lift", Name: "管理员甲", Role: store.RoleAdmin, PasswordHash: "h"})
		must(t, err)
		add := func(kind registration.RestrictionKind) store.RestrictionEntry {
			e, err := s.AddRestriction(ctx, store.RestrictionEntry{DocType: account.DocResidentID, DocNumber: f.acct.DocNumber,
				Restriction: registration.Restriction{Kind: kind, Since: t0, Note: "决定书"}})
			must(t, err)
			return e
		}
		lifted, kept := add(registration.RestrictionCheating), add(registration.RestrictionRevoked)
		at := t0.Add(48 * time.Hour)
		must(t, s.LiftRestriction(ctx, lifted.ID, admin.ID, "复议撤销原决定", at))

		rs, err := s.Restrictions(ctx, account.DocResidentID, f.acct.DocNumber)
		if err != nil || len(rs) != 1 || rs[0] != kept.Restriction {
			t.Errorf("the gate sees %+v, %v; want only the standing entry", rs, err)
		}
		list, err := s.ListRestrictions(ctx, 0)
		must(t, err)
		if len(list) != 2 {
			t.Fatalf("list has %d entries, want both", len(list))
		}
		for _, e := range list {
			switch e.ID {
			case lifted.ID:
				if !e.LiftedAt.Equal(at) || e.LiftedBy != admin.ID || e.LiftNote != "复议撤销原决定" {
					t.Errorf("lifted entry %+v", e)
				}
			case kept.ID:
				if !e.LiftedAt.IsZero() || e.LiftedBy != 0 || e.LiftNote != "" {
					t.Errorf("standing entry marked: %+v", e)
				}
			}
		}
		if got, err := s.RestrictionByID(ctx, lifted.ID); err != nil || got.LiftNote != "复议撤销原决定" {
			t.Errorf("RestrictionByID = %+v, %v", got, err)
		}
		if err := s.LiftRestriction(ctx, lifted.ID, admin.ID, "again", at); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("lifting twice: %v, want ErrNotFound", err)
		}
		if err := s.LiftRestriction(ctx, 999999, admin.ID, "x", at); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("lifting an unknown entry: %v, want ErrNotFound", err)
		}
		if _, err := s.RestrictionByID(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("RestrictionByID(unknown): %v", err)
		}
	})
}
