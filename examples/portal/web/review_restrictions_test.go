package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/registration"
)

// restrictionRowText returns the trimmed text of the element with testID in the row of entry id.
func restrictionRowText(r *response, id, testID string) string {
	return strings.TrimSpace(r.Doc.Find(`[data-testid="restriction-row"][data-id="` + id + `"] [data-testid="` + testID + `"]`).Text())
}

func TestAdministratorLiftsARestrictionWithAReason(t *testing.T) {
	h := newReviewHarness(t)
	ctx := context.Background()
	adminStaff, secret := h.demoStaff(adminUser)
	c := h.staffLogin(adminUser, secret)
	doc := residentID("44010619800101123")
	wantStatus(t, c.post("/review/admin/restrictions", url.Values{"doc_type": {"1"}, "doc_number": {doc}, "kind": {"3"}, "since": {"2026-01-01"}, "note": {"2025年考试作弊"}}), http.StatusSeeOther)
	id := c.get("/review/admin/restrictions").find("restriction-row").AttrOr("data-id", "")
	if id == "" {
		t.Fatal("the entry has no id in the list")
	}
	gate := func() int {
		t.Helper()
		rs, err := h.Store.Restrictions(ctx, account.DocResidentID, doc)
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	lift := "/review/admin/restrictions/" + id + "/lift"

	t.Run("only administrators: other staff and applicants get 404", func(t *testing.T) {
		for _, user := range []string{pointUser, authorityUser} {
			_, sec := h.demoStaff(user)
			if r := h.staffLogin(user, sec).post(lift, url.Values{"note": {"x"}}); r.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", user, r.StatusCode)
			}
		}
		ac := h.client()
		ac.login(h.createApplicant())
		if r := ac.post(lift, url.Values{"note": {"x"}}); r.StatusCode != http.StatusNotFound {
			t.Errorf("applicant: %d, want 404", r.StatusCode)
		}
		if r := h.client().post(lift, url.Values{"note": {"x"}}); r.StatusCode != http.StatusNotFound {
			t.Errorf("anonymous: %d, want 404", r.StatusCode)
		}
		if gate() != 1 {
			t.Fatal("a refused request lifted the entry")
		}
	})

	t.Run("a reason is required", func(t *testing.T) {
		r := c.post(lift, url.Values{"note": {"  "}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.text("restriction-errors"), "请填写解除理由") {
			t.Errorf("errors %q", r.text("restriction-errors"))
		}
		if gate() != 1 || restrictionRowText(r, id, "restriction-status") != "限制中" {
			t.Error("the entry was lifted without a reason")
		}
	})

	t.Run("a refused reason is kept in its form", func(t *testing.T) {
		long := strings.Repeat("理", 501)
		r := c.post(lift, url.Values{"note": {long}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.text("restriction-errors"), "不能超过500字") {
			t.Errorf("errors %q", r.text("restriction-errors"))
		}
		got := r.Doc.Find(`[data-testid="restriction-row"][data-id="`+id+`"] [data-testid="restriction-lift-form"] input[name="note"]`).AttrOr("value", "")
		if got != long {
			t.Errorf("the lift form shows %d characters of the reason, want the %d typed", len([]rune(got)), len([]rune(long)))
		}
		if gate() != 1 {
			t.Error("the entry was lifted with a refused reason")
		}
	})

	t.Run("unknown entries are 404", func(t *testing.T) {
		for _, p := range []string{"/review/admin/restrictions/999999/lift", "/review/admin/restrictions/x/lift"} {
			if r := c.post(p, url.Values{"note": {"x"}}); r.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, r.StatusCode)
			}
		}
	})

	t.Run("lifted: shown with date, administrator and reason; the gate no longer sees it", func(t *testing.T) {
		const reason = "行政复议撤销原处理决定"
		wantStatus(t, c.post(lift, url.Values{"note": {reason}}), http.StatusSeeOther)
		r := c.get("/review/admin/restrictions")
		if got := restrictionRowText(r, id, "restriction-status"); got != "已解除" {
			t.Errorf("status %q", got)
		}
		got := restrictionRowText(r, id, "restriction-lift")
		today := h.Clock.Now().In(registration.CST).Format("2006-01-02")
		for _, want := range []string{today, adminStaff.Name, reason} {
			if !strings.Contains(got, want) {
				t.Errorf("lift cell %q lacks %q", got, want)
			}
		}
		if r.Doc.Find(`[data-testid="restriction-row"][data-id="`+id+`"] [data-testid="restriction-lift-form"]`).Length() != 0 {
			t.Error("a lifted entry still offers 解除限制")
		}
		if gate() != 0 {
			t.Error("the submission gate still sees the lifted entry")
		}
		again := c.post(lift, url.Values{"note": {"再次"}})
		wantStatus(t, again, http.StatusUnprocessableEntity)
		if !strings.Contains(again.text("restriction-errors"), "已解除") {
			t.Errorf("lifting twice: %q", again.text("restriction-errors"))
		}
	})
}
