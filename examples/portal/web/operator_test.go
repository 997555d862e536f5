package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// TestOperatorUnlocksStaffFromTheCommand: when no administrator can sign in (all locked), the
// portal command's -unlock-staff (Server.UnlockStaff) lifts the lock, audited as the operator's.
func TestOperatorUnlocksStaffFromTheCommand(t *testing.T) {
	h := newReviewHarness(t)
	ctx := context.Background()
	c := h.client()
	c.get("/review/login")
	for range account.DefaultHardCap {
		c.post("/review/login", url.Values{"username": {adminUser}, "password": {"wrong-password"}})
		h.Clock.Advance(25 * time.Hour)
	}
	wantStatus(t, c.post("/review/login", url.Values{"username": {adminUser}, "password": {staffPassword}}), http.StatusTooManyRequests)

	if err := h.Server.UnlockStaff(ctx, "nobody-by-that-name", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown name: %v, want ErrNotFound", err)
	}
	if err := h.Server.UnlockStaff(ctx, adminUser, "运维人员通过 -unlock-staff 解除"); err != nil {
		t.Fatal(err)
	}
	c.staffPassword(adminUser)

	entries, err := h.Store.AdminAudit(ctx, 1)
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit: %v %v", entries, err)
	}
	e := entries[0]
	if e.Role != store.RoleOperator || e.StaffID != 0 || !strings.Contains(e.Subject, adminUser) || e.Note == "" {
		t.Errorf("audit entry %+v", e)
	}
}
