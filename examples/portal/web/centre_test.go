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

func TestApplicantPagesNeedLogin(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	for _, rt := range h.Server.Routes() {
		if rt.Auth != "applicant" || strings.Contains(rt.Path, "{") {
			continue
		}
		switch rt.Method {
		case http.MethodGet:
			r := c.get(rt.Path)
			if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
				t.Errorf("GET %s without login: %d → %q", rt.Path, r.StatusCode, r.Header.Get("Location"))
			}
		case http.MethodPost:
			if r := c.post(rt.Path, url.Values{}); r.StatusCode != http.StatusUnauthorized {
				t.Errorf("POST %s without login: %d, want 401", rt.Path, r.StatusCode)
			}
		}
	}
}

func TestCentreShowsTheSevenModules(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.client()
	c.login(a)
	r := c.get("/centre")
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", r.Header.Get("Cache-Control"))
	}
	if r.Doc.Find(`[hx-history="false"]`).Length() == 0 {
		t.Error("personal page without hx-history=false")
	}
	for _, m := range []string{"identity", "exam", "mandarin", "education", "degree", "certificates", "other"} {
		if r.find("module-"+m).Length() != 1 {
			t.Errorf("module %s missing", m)
		}
	}
	if strings.Contains(r.Body, a.DocNumber) || strings.Contains(r.Body, a.Phone) {
		t.Error("full document or phone number on the page")
	}
	frag := c.get("/centre", "HX-Request", "true")
	if frag.find("site-header").Length() != 0 || frag.find("module-identity").Length() != 1 || frag.Doc.Find(`[hx-history="false"]`).Length() == 0 {
		t.Error("the HTMX fragment is not the main content with the history guard")
	}
}

func TestIdentityNameChangeGoesThroughRealNameVerification(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.client()
	c.login(a)
	r := c.post("/centre/identity", url.Values{"name": {"张三测试失败"}, "email": {a.Email}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(errorsOf(r)["name"], "实名审核失败,信息更新未成功") {
		t.Errorf("errors %v", errorsOf(r))
	}
	if got := c.get("/centre/identity").text("identity-name"); got != a.Name {
		t.Errorf("name after a failed verification = %q, want the old %q", got, a.Name)
	}
	r = c.post("/centre/identity", url.Values{"name": {""}, "email": {"bad"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if len(errorsOf(r)) != 2 || len(summaryOf(r)) != 2 {
		t.Errorf("errors %v summary %v", errorsOf(r), summaryOf(r))
	}
	r = c.post("/centre/identity", url.Values{"name": {"张三丰"}, "email": {"new@example.com"}})
	wantStatus(t, r, http.StatusSeeOther)
	page := c.get("/centre/identity")
	if page.text("identity-name") != "张三丰" || !strings.Contains(page.text("flash"), "修改成功") {
		t.Errorf("after the change: name %q flash %q", page.text("identity-name"), page.text("flash"))
	}
}

func TestChangePasswordAsksForTheCurrentOneAndRotatesTheSession(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	other := h.client()
	other.login(a)
	c := h.client()
	c.login(a)
	r := c.post("/centre/password", url.Values{"current": {"wrong-one"}, "password": {"New-password-2026"}, "password2": {"New-password-2026"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if errorsOf(r)["current"] == "" {
		t.Errorf("errors %v", errorsOf(r))
	}
	r = c.post("/centre/password", url.Values{})
	if len(errorsOf(r)) != 3 {
		t.Errorf("empty form errors %v", errorsOf(r))
	}
	before := c.cookie(sessionCookie)
	r = c.post("/centre/password", url.Values{"current": {a.Password}, "password": {"New-password-2026"}, "password2": {"New-password-2026"}})
	wantStatus(t, r, http.StatusSeeOther)
	if after := c.cookie(sessionCookie); after == before || after == "" {
		t.Error("session not rotated at password change")
	}
	if c.get("/").text("user-name") != a.Name {
		t.Error("this browser was logged out")
	}
	if other.get("/").text("user-name") != "" {
		t.Error("another session survived the password change")
	}
	a.Password = "New-password-2026"
	h.client().login(a)
}

func TestChangePhoneNeedsACodeSentToTheNewPhone(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.client()
	c.login(a)
	r := c.post("/centre/phone/code", url.Values{"phone": {"123"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if errorsOf(r)["phone"] == "" {
		t.Errorf("errors %v", errorsOf(r))
	}
	wantStatus(t, c.post("/centre/phone/code", url.Values{"phone": {"13700001111"}}), http.StatusSeeOther)
	code := h.lastCode("13700001111")
	bad := c.post("/centre/phone", url.Values{"code": {"12"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	if errorsOf(bad)["code"] == "" {
		t.Errorf("errors %v", errorsOf(bad))
	}
	wantStatus(t, c.post("/centre/phone", url.Values{"code": {code}}), http.StatusSeeOther)
	acc, err := h.Store.AccountByID(context.Background(), a.ID)
	if err != nil || acc.Phone != "13700001111" {
		t.Errorf("phone %q, %v", acc.Phone, err)
	}
}

func TestOversizedBodyGetsAClear413Page(t *testing.T) {
	h := newHarness(t)
	big := url.Values{"name": {strings.Repeat("张", 40000)}}
	r := h.client().post("/register", big)
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	if !strings.Contains(r.text("error-message"), "超过") {
		t.Errorf("413 message %q", r.text("error-message"))
	}
}

func TestIdentityIsLockedWhileACertificateIsInARegistration(t *testing.T) {
	confirm := registration.Event{To: registration.StatusConfirmed, Actor: registration.ActorConfirmationPoint}
	for _, tt := range []struct {
		status registration.Status
		after  []registration.Event // the moves from 网报待确认 to status
		locked bool
	}{
		{registration.StatusPending, nil, true},
		{registration.StatusConfirmed, []registration.Event{confirm}, true},
		{registration.StatusWithdrawn, []registration.Event{{To: registration.StatusWithdrawn, Actor: registration.ActorApplicant}}, false},
		{registration.StatusQualified, []registration.Event{confirm, {To: registration.StatusQualified, Actor: registration.ActorAuthority}}, false},
	} {
		t.Run(tt.status.String(), func(t *testing.T) {
			h := newRegHarness(t)
			a := h.createApplicant()
			c := h.client()
			c.login(a)
			cat, err := h.Store.Catalogue(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			app := h.placeApp(cat, a, h.Point, registration.StatusPending)
			for _, e := range tt.after {
				if err := app.Transition(e.To, e.Actor, h.Clock.Now(), ""); err != nil {
					t.Fatal(err)
				}
			}
			if err := h.Store.SaveApplication(context.Background(), app); err != nil || app.Status != tt.status {
				t.Fatalf("application %v after saving (%v), want %v", app.Status, err, tt.status)
			}
			page := c.get("/centre/identity")
			if (page.find("identity-locked").Length() == 1) != tt.locked {
				t.Errorf("lock notice shown = %v, want %v", !tt.locked, tt.locked)
			}
			r := c.post("/centre/identity", url.Values{"name": {"张三丰"}, "email": {a.Email}})
			if tt.locked {
				wantStatus(t, r, http.StatusConflict)
				if !strings.Contains(errorsOf(r)["name"], "认定机构") {
					t.Errorf("errors %v", errorsOf(r))
				}
				return
			}
			wantStatus(t, r, http.StatusSeeOther)
		})
	}
}

// TestPasswordChangeLogsAThrottleClearFailure: the password changes (and the page says so) even
// when its throttle keys cannot be cleared; the failure is logged, without personal data.
func TestPasswordChangeLogsAThrottleClearFailure(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.client()
	c.login(a)
	ctx := context.Background()
	// A failed login leaves a record to clear; deleting it fails.
	if err := h.Server.FailLogin(ctx, account.DocResidentID, a.DocNumber, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Store.DB().ExecContext(ctx, `CREATE TRIGGER keep_throttles BEFORE DELETE ON throttle_counters
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
		t.Fatal(err)
	}
	r := c.post("/centre/password", url.Values{"current": {a.Password}, "password": {"New-password-2026"}, "password2": {"New-password-2026"}})
	wantStatus(t, r, http.StatusSeeOther)
	if _, err := h.Store.DB().ExecContext(ctx, `DROP TRIGGER keep_throttles`); err != nil {
		t.Fatal(err)
	}
	logs := h.Logs.String()
	if !strings.Contains(logs, "clear login throttle after password change") || !strings.Contains(logs, "injected failure") {
		t.Errorf("the failed throttle clear was not logged:\n%s", logs)
	}
	for _, personal := range []string{a.DocNumber, a.Phone, a.Password, "New-password-2026"} {
		if strings.Contains(logs, personal) {
			t.Errorf("the log holds personal data %q", personal)
		}
	}
	a.Password = "New-password-2026"
	h.client().login(a)
}
