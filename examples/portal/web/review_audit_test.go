package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/registration"
)

type auditLine struct{ at, actor, role, action, subject, from, to, note string }

func auditLines(r *response) []auditLine {
	var out []auditLine
	r.find("audit-row").Each(func(_ int, s *goquery.Selection) {
		cell := func(id string) string { return strings.TrimSpace(s.Find(`[data-testid="` + id + `"]`).Text()) }
		out = append(out, auditLine{cell("audit-at"), cell("audit-actor"), cell("audit-role"), cell("audit-action"),
			cell("audit-subject"), cell("audit-from"), cell("audit-to"), cell("audit-note")})
	})
	return out
}

func TestAdministratorChangesAreAudited(t *testing.T) {
	h := newReviewHarness(t)
	ctx := context.Background()
	adminStaff, secret := h.demoStaff(adminUser)
	c := h.staffLogin(adminUser, secret)
	city := h.Cat.Cities[0]
	step := func(path string, v url.Values) {
		t.Helper()
		h.Clock.Advance(time.Minute) // one change per minute: the log's order is the changes' order
		wantStatus(t, c.post(path, v), http.StatusSeeOther)
	}

	step("/review/admin/authorities", url.Values{"name": {"审计测试教育局"}, "province": {city.Province}, "city": {city.Code}})
	cat, err := h.Store.Catalogue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var authID string
	for _, a := range cat.Authorities {
		if a.Name == "审计测试教育局" {
			authID = a.ID
		}
	}
	if authID == "" {
		t.Fatal("authority not created")
	}
	step("/review/admin/authorities", url.Values{"id": {authID}, "name": {"审计测试教育委员会"}, "province": {city.Province}, "city": {city.Code}})
	step("/review/admin/points", url.Values{"authority": {authID}, "name": {"审计确认点"}, "scope": {"全市教师"}})
	step("/review/admin/windows", url.Values{"authority": {authID}, "stage": {"1"}, "opens": {"2026-08-01"}, "closes": {"2026-10-31"}})
	var winID string
	cat, _ = h.Store.Catalogue(ctx)
	for _, w := range cat.Windows {
		if w.AuthorityID == authID {
			winID = w.ID
		}
	}
	step("/review/admin/windows", url.Values{"id": {winID}, "authority": {authID}, "stage": {"1"}, "opens": {"2026-08-01"}, "closes": {"2026-11-30"}})
	step("/review/admin/windows/"+winID+"/close", url.Values{})
	closedAt := h.Clock.Now().In(registration.CST).Format("2006-01-02 15:04")
	doc := residentID("44010619800101123")
	step("/review/admin/restrictions", url.Values{"doc_type": {"1"}, "doc_number": {doc}, "kind": {"3"}, "since": {"2026-01-01"}, "note": {"2025年考试作弊"}})
	rid := c.get("/review/admin/restrictions").find("restriction-row").AttrOr("data-id", "")
	step("/review/admin/restrictions/"+rid+"/lift", url.Values{"note": {"复议撤销"}})

	r := c.get("/review/admin/audit")
	wantStatus(t, r, http.StatusOK)
	lines := auditLines(r)
	want := []struct{ action, subject, from, to, note string }{
		{"解除限制", "限制库 " + rid, "限制中", "已解除", "复议撤销"},
		{"加入限制库", "限制库 " + rid, "—", "考试作弊", "2025年考试作弊"},
		{"提前截止网报", "网报时间 " + winID, "至 2026-12-01 00:00", "至 " + closedAt, "提前截止"},
		{"修改网报时间", "网报时间 " + winID, "2026-11-01 00:00", "2026-12-01 00:00", ""},
		{"新增网报时间", "网报时间 " + winID, "—", "2026-08-01 00:00 至 2026-11-01 00:00", ""},
		{"新增确认点", "确认点 ", "—", "审计确认点 · 审计测试教育委员会 · 确认范围:全市教师", ""},
		{"修改注册机构", "注册机构 " + authID, "审计测试教育局 · " + city.Name, "审计测试教育委员会 · " + city.Name, ""},
		{"新增注册机构", "注册机构 " + authID, "—", "审计测试教育局 · " + city.Name, ""},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d audit lines, want %d: %+v", len(lines), len(want), lines)
	}
	for i, w := range want {
		got := lines[i]
		if got.actor != adminStaff.Name || got.role != "管理员" || got.action != w.action || !strings.HasPrefix(got.subject, w.subject) ||
			!strings.Contains(got.from, w.from) || !strings.Contains(got.to, w.to) || got.note != w.note {
			t.Errorf("line %d = %+v, want %+v by %s", i, got, w, adminStaff.Name)
		}
		if i > 0 && got.at > lines[i-1].at {
			t.Errorf("line %d (%s) is newer than line %d (%s)", i, got.at, i-1, lines[i-1].at)
		}
	}
	if strings.Contains(r.Body, doc) {
		t.Error("the audit log shows the full document number")
	}

	t.Run("other staff get 404", func(t *testing.T) {
		for _, user := range []string{pointUser, authorityUser} {
			_, sec := h.demoStaff(user)
			if r := h.staffLogin(user, sec).get("/review/admin/audit"); r.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", user, r.StatusCode)
			}
		}
	})

	t.Run("the page is bounded", func(t *testing.T) {
		for i := range 205 {
			err := h.Store.Audited(ctx, func(context.Context, *store.Store) (store.AdminAuditEntry, error) {
				return store.AdminAuditEntry{StaffID: adminStaff.ID, Actor: adminStaff.Name, Role: store.RoleAdmin, Action: "window.update", Subject: fmt.Sprint(i)}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := c.get("/review/admin/audit").find("audit-row").Length(); n != 200 {
			t.Errorf("%d rows, want the newest 200", n)
		}
	})
}

func TestMessagesAreInTheHistory(t *testing.T) {
	h := newReviewHarness(t)
	point, _ := h.demoStaff(pointUser)
	_, authSecret := h.demoStaff(authorityUser)
	a, ap := h.newApp(point.PointID, registration.StatusConfirmed)
	ac := h.staffLogin(authorityUser, authSecret)
	h.Clock.Advance(time.Minute)
	const text = "请补充培训学时证明。"
	wantStatus(t, ac.post("/review/applications/"+a.Number+"/message", url.Values{"text": {text}, "version": {strconv.FormatInt(h.app(a.Number).Version, 10)}}), http.StatusSeeOther)

	c := h.client()
	c.login(ap)
	r := c.get("/platform/applications/" + a.Number)
	wantStatus(t, r, http.StatusOK)
	rows := r.find("history").Find(`[data-testid="history-row"]`)
	if rows.Length() != 3 {
		t.Fatalf("applicant's history has %d rows, want submission, confirmation and the message", rows.Length())
	}
	last := rows.Last()
	cell := func(id string) string { return strings.TrimSpace(last.Find(`[data-testid="` + id + `"]`).Text()) }
	if cell("history-actor") != "注册机构" || cell("history-note") != "留言:"+text || cell("history-from") != "—" || cell("history-to") != "—" {
		t.Errorf("message row: actor %q from %q to %q note %q", cell("history-actor"), cell("history-from"), cell("history-to"), cell("history-note"))
	}
	if c.get("/platform/applications/"+a.Number+"/form").find("history").Length() != 0 {
		t.Error("the form preview shows the history")
	}

	staff := ac.get("/review/applications/" + a.Number).find("history-row")
	if staff.Length() != 3 || !strings.Contains(staff.Last().Text(), "留言:"+text) {
		t.Errorf("staff history: %d rows, last %q", staff.Length(), strings.TrimSpace(staff.Last().Text()))
	}
}
