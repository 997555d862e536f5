package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// failSlowly posts n wrong passwords for doc, a day and more apart, so no wait ever applies and
// every quiet window passes: only the hard cap can stop them. (A key's record lives 30 days after
// its last failure below MaxFailures and two years from there on, so failures a day apart add up.)
func failSlowly(t *testing.T, h *harness, doc string, n int) {
	t.Helper()
	c := h.client()
	c.get("/login")
	for i := range n {
		r := c.post("/login", loginForm(doc, "Wrong-password-1"))
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: status %d, %v", i+1, r.StatusCode, errorsOf(r))
		}
		h.Clock.Advance(25 * time.Hour)
	}
}

func TestLoginLocksAfterHardCapHoweverSlow(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	failSlowly(t, h, a.DocNumber, account.DefaultHardCap-1)
	if n := locksNoticed(t, h, a.Email); n != 0 {
		t.Fatalf("%d lock notices before the lock", n)
	}
	failSlowly(t, h, a.DocNumber, 1)
	// The owner hears of the lock at once, not at the next login.
	if n := locksNoticed(t, h, a.Email); n != 1 {
		t.Fatalf("%d lock notices after the lock, want 1", n)
	}
	c := h.client()
	c.get("/login")
	r := c.post("/login", loginForm(a.DocNumber, a.Password))
	wantStatus(t, r, http.StatusTooManyRequests)
	if got := errorsOf(r)["password"]; got != account.ErrLocked.Error() || !strings.Contains(got, "忘记密码") {
		t.Errorf("locked answer %q, want %q", got, account.ErrLocked.Error())
	}
	h.Clock.Advance(365 * 24 * time.Hour)
	wantStatus(t, c.post("/login", loginForm(a.DocNumber, a.Password)), http.StatusTooManyRequests)
	// Another spelling of the same number is the same key.
	wantStatus(t, c.post("/login", loginForm(" "+strings.ToLower(a.DocNumber)+" ", a.Password)), http.StatusTooManyRequests)
	// Kept two years after the last failure (not forever: the table must stay bounded), then
	// the key starts over.
	h.Clock.Advance(365*24*time.Hour + 48*time.Hour)
	c = h.client()
	c.get("/login")
	if r := c.post("/login", loginForm(a.DocNumber, a.Password)); r.StatusCode == http.StatusTooManyRequests {
		t.Errorf("still locked more than two years after the last failure: %v", errorsOf(r))
	}
}

// locksNoticed counts the lock notices e-mailed to the address.
func locksNoticed(t *testing.T, h *harness, email string) int {
	t.Helper()
	msgs, err := h.Store.Outbox(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.Recipient == email && strings.Contains(m.Subject, "账号锁定提醒") {
			n++
		}
	}
	return n
}

func TestLoginLockIsTheSameForUnknownAccounts(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	unknown := residentID("11010519900307123")
	failSlowly(t, h, a.DocNumber, account.DefaultHardCap)
	failSlowly(t, h, unknown, account.DefaultHardCap)
	c := h.client()
	c.get("/login")
	known := c.post("/login", loginForm(a.DocNumber, a.Password))
	none := c.post("/login", loginForm(unknown, a.Password))
	if known.StatusCode != none.StatusCode || errorsOf(known)["password"] != errorsOf(none)["password"] {
		t.Errorf("known account %d %v; unknown %d %v", known.StatusCode, errorsOf(known), none.StatusCode, errorsOf(none))
	}
}

func TestLoginBelowHardCapThenSuccessStartsOver(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	failSlowly(t, h, a.DocNumber, account.DefaultHardCap-1)
	h.client().login(a)
	failSlowly(t, h, a.DocNumber, account.DefaultHardCap-1)
	h.client().login(a)
}

func TestPasswordResetUnlocksTheLogin(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	failSlowly(t, h, a.DocNumber, account.DefaultHardCap)
	c := h.client()
	wantStatus(t, c.post("/password/forgot", identify(a.DocNumber, a.Name)), http.StatusSeeOther)
	wantStatus(t, c.post("/password/forgot/sms", nil), http.StatusSeeOther)
	code := h.lastCode(a.Phone)
	r := c.post("/password/forgot/sms/complete", url.Values{"code": {code}, "password": {"New-password-2026"}, "password2": {"New-password-2026"}})
	wantStatus(t, r, http.StatusOK)
	a.Password = "New-password-2026"
	h.client().login(a)
}

func TestPasswordChangeUnlocksTheLogin(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.client()
	c.login(a) // a session from before the lock
	if err := h.Server.FailLogin(context.Background(), account.DocResidentID, a.DocNumber, account.DefaultHardCap); err != nil {
		t.Fatal(err)
	}
	other := h.client()
	other.get("/login")
	wantStatus(t, other.post("/login", loginForm(a.DocNumber, a.Password)), http.StatusTooManyRequests)
	r := c.post("/centre/password", url.Values{"current": {a.Password}, "password": {"New-password-2026"}, "password2": {"New-password-2026"}})
	wantStatus(t, r, http.StatusSeeOther)
	a.Password = "New-password-2026"
	h.client().login(a)
}

func TestStaffLoginLocksAfterHardCap(t *testing.T) {
	h := newReviewHarness(t)
	h.addStaff("locked-staff", store.RoleAdmin, "", "")
	_, adminSecret := h.demoStaff(adminUser)
	c := h.client()
	c.get("/review/login")

	// A name that is not locked — never failed, or failed below the cap — is refused, unaudited.
	notLocked := func(when string) {
		t.Helper()
		admin := h.staffLogin(adminUser, adminSecret)
		before := len(auditLines(admin.get("/review/admin/audit")))
		r := admin.post("/review/admin/staff/unlock", url.Values{"username": {"locked-staff"}, "note": {"已电话核实本人"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.find("admin-errors").Text(), "该工作人员未被锁定") {
			t.Errorf("unlock %s: %d %q, want 422 该工作人员未被锁定", when, r.StatusCode, r.find("admin-errors").Text())
		}
		if n := len(auditLines(admin.get("/review/admin/audit"))); n != before {
			t.Errorf("unlock %s was audited: %d entries, were %d", when, n, before)
		}
	}
	notLocked("of a name without failures")
	for range 3 {
		wantStatus(t, c.post("/review/login", url.Values{"username": {"locked-staff"}, "password": {"wrong-password"}}), http.StatusUnprocessableEntity)
	}
	notLocked("of a name with a few failures")

	for i := 3; i < account.DefaultHardCap; i++ {
		r := c.post("/review/login", url.Values{"username": {"locked-staff"}, "password": {"wrong-password"}})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: status %d", i+1, r.StatusCode)
		}
		if i+1 >= account.DefaultThrottlePolicy.MaxFailures { // see failSlowly
			h.Clock.Advance(25 * time.Hour)
		}
	}
	r := c.post("/review/login", url.Values{"username": {"locked-staff"}, "password": {staffPassword}})
	wantStatus(t, r, http.StatusTooManyRequests)
	if got := errorsOf(r)["password"]; !strings.Contains(got, "锁定") {
		t.Errorf("locked staff answer %q", got)
	}

	// An administrator lifts the lock (a note is required, an unknown name is refused), audited;
	// then the staff member logs in.
	admin := h.staffLogin(adminUser, adminSecret)
	if form := admin.get("/review/admin").find("staff-unlock-form"); form.Length() != 1 || form.AttrOr("novalidate", "missing") == "missing" {
		t.Errorf("the unlock form lacks novalidate (the server's messages, not the browser's, must show)")
	}
	if r := admin.post("/review/admin/staff/unlock", url.Values{"username": {"locked-staff"}}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.find("admin-errors").Text(), "请填写核实情况") {
		t.Errorf("unlock without a note: %d %q", r.StatusCode, r.find("admin-errors").Text())
	}
	if r := admin.post("/review/admin/staff/unlock", url.Values{"username": {"nobody-here"}, "note": {"电话核实"}}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.find("admin-errors").Text(), "没有用户名为") {
		t.Errorf("unlock of an unknown name: %d %q", r.StatusCode, r.find("admin-errors").Text())
	}
	wantStatus(t, admin.post("/review/admin/staff/unlock", url.Values{"username": {"locked-staff"}, "note": {"已电话核实本人"}}), http.StatusSeeOther)
	lines := auditLines(admin.get("/review/admin/audit"))
	wantFrom := "已锁定(连续登录失败 " + strconv.Itoa(account.DefaultHardCap) + " 次)"
	if len(lines) == 0 || lines[0].action != "解除工作人员登录锁定" || lines[0].note != "已电话核实本人" || !strings.Contains(lines[0].subject, "locked-staff") ||
		lines[0].from != wantFrom || lines[0].to != "已解除" {
		t.Errorf("audit after unlock: %+v, want from %q to 已解除", lines, wantFrom)
	}
	notLocked("a second time")
	c.staffPassword("locked-staff")

	// Other staff cannot unlock.
	_, pointSecret := h.demoStaff(pointUser)
	pc := h.staffLogin(pointUser, pointSecret)
	wantStatus(t, pc.post("/review/admin/staff/unlock", url.Values{"username": {"locked-staff"}, "note": {"x"}}), http.StatusNotFound)
}
