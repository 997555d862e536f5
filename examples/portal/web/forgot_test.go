package web_test

import (
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
)

func identify(doc, name string) url.Values {
	return url.Values{"doc_type": {"1"}, "doc_number": {doc}, "name": {name}}
}

func TestForgotPasswordShowsEveryErrorAndThe2019Rule(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	page := c.get("/password/forgot")
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.text("reset-rule-2019"), "2019年3月1日之前注册的账号") {
		t.Error("the pre-2019-03-01 rule is not on the page")
	}
	r := c.post("/password/forgot", url.Values{"doc_type": {"9"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	for _, f := range []string{"doc_type", "doc_number", "name"} {
		if errorsOf(r)[f] == "" || summaryOf(r)[f] != errorsOf(r)[f] {
			t.Errorf("%s: inline %q summary %q", f, errorsOf(r)[f], summaryOf(r)[f])
		}
	}
	old := h.createApplicant(func(a *account.Account) { a.RegisteredAt = time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC) })
	r = c.post("/password/forgot", identify(old.DocNumber, old.Name))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(errorsOf(r)["doc_number"], "重新注册") {
		t.Errorf("pre-2019 account: %v", errorsOf(r))
	}
}

func TestForgotPasswordDoesNotRevealAccounts(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	wrongName := h.client().post("/password/forgot", identify(a.DocNumber, "别人"))
	unknown := h.client().post("/password/forgot", identify(residentID("11010519900307123"), "别人"))
	if wrongName.StatusCode != unknown.StatusCode || !maps.Equal(errorsOf(wrongName), errorsOf(unknown)) || len(errorsOf(unknown)) != 1 {
		t.Errorf("wrong name %d %v; unknown document %d %v", wrongName.StatusCode, errorsOf(wrongName), unknown.StatusCode, errorsOf(unknown))
	}
}

func TestForgotPasswordByEmailLink(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	victim := h.client()
	victim.login(a) // a session that must end with the reset
	h.Clock.Advance(time.Minute)
	c := h.client()
	r := c.post("/password/forgot", identify(a.DocNumber, a.Name))
	wantStatus(t, r, http.StatusSeeOther)
	methods := c.get("/password/forgot/method")
	wantStatus(t, methods, http.StatusOK)
	if strings.Contains(methods.Body, a.Email) || strings.Contains(methods.Body, a.Phone) {
		t.Error("the method page shows the contacts unmasked")
	}
	wantStatus(t, c.post("/password/forgot/email", nil), http.StatusOK)
	link := regexp.MustCompile(`/password/reset/[A-Za-z0-9_-]+`).FindString(h.lastMessage(a.Email).Body)
	if link == "" {
		t.Fatal("no link in the e-mail")
	}
	open := c.get(link)
	wantStatus(t, open, http.StatusSeeOther)
	if open.Header.Get("Location") != "/password/reset" {
		t.Errorf("the link goes on to %q", open.Header.Get("Location"))
	}
	weak := c.post("/password/reset", url.Values{"password": {"12345678"}, "password2": {"12345678"}})
	wantStatus(t, weak, http.StatusUnprocessableEntity)
	if errorsOf(weak)["password"] == "" {
		t.Error("weak password accepted")
	}
	done := c.post("/password/reset", url.Values{"password": {"New-password-2026"}, "password2": {"New-password-2026"}})
	wantStatus(t, done, http.StatusOK)
	if done.find("reset-done").Length() != 1 {
		t.Fatal("no confirmation")
	}
	if victim.get("/").text("user-name") != "" {
		t.Error("a session of the account survived the password reset")
	}
	// The link is single use.
	wantStatus(t, h.client().get(link), http.StatusGone)
	a.Password = "New-password-2026"
	h.client().login(a)
}

func TestForgotPasswordBySMSCode(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.client()
	wantStatus(t, c.post("/password/forgot", identify(a.DocNumber, a.Name)), http.StatusSeeOther)
	wantStatus(t, c.post("/password/forgot/sms", nil), http.StatusSeeOther)
	code := h.lastCode(a.Phone)
	if code == "" {
		t.Fatal("no code sent")
	}
	bad := c.post("/password/forgot/sms/complete", url.Values{"code": {"000000"}, "password": {"New-password-2026"}, "password2": {"New-password-2027"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	if errorsOf(bad)["password2"] == "" {
		t.Errorf("errors %v", errorsOf(bad))
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	bad = c.post("/password/forgot/sms/complete", url.Values{"code": {wrong}, "password": {"New-password-2026"}, "password2": {"New-password-2026"}})
	if errorsOf(bad)["code"] == "" {
		t.Errorf("a wrong code: %v", errorsOf(bad))
	}
	ok := c.post("/password/forgot/sms/complete", url.Values{"code": {code}, "password": {"New-password-2026"}, "password2": {"New-password-2026"}})
	wantStatus(t, ok, http.StatusOK)
	a.Password = "New-password-2026"
	h.client().login(a)
}

func TestForgotPasswordByWeChatOnlyWhenLinked(t *testing.T) {
	h := newHarness(t)
	plain := h.createApplicant()
	c := h.client()
	wantStatus(t, c.post("/password/forgot", identify(plain.DocNumber, plain.Name)), http.StatusSeeOther)
	if c.get("/password/forgot/method").find("use-wechat").Length() != 0 {
		t.Error("WeChat offered to an account that never linked it")
	}
	wantStatus(t, c.get("/password/forgot/wechat"), http.StatusUnprocessableEntity)

	linked := h.createApplicant(func(a *account.Account) { a.WeChatLinked = true })
	c = h.client()
	wantStatus(t, c.post("/password/forgot", identify(linked.DocNumber, linked.Name)), http.StatusSeeOther)
	page := c.get("/password/forgot/wechat")
	wantStatus(t, page, http.StatusOK)
	if src, _ := page.find("wechat-qr").Attr("src"); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("QR src %.40q", src)
	}
	wantStatus(t, c.post("/password/forgot/wechat", url.Values{"password": {"New-password-2026"}, "password2": {"New-password-2026"}}), http.StatusOK)
	linked.Password = "New-password-2026"
	h.client().login(linked)
}

func TestForgotPasswordWithoutIdentificationStartsOver(t *testing.T) {
	h := newHarness(t)
	for _, p := range []string{"/password/forgot/method", "/password/forgot/sms", "/password/forgot/wechat"} {
		r := h.client().get(p)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/password/forgot" {
			t.Errorf("%s: %d → %q", p, r.StatusCode, r.Header.Get("Location"))
		}
	}
	wantStatus(t, h.client().get("/password/reset/AAAAAAAAAAAAAAAAAAAAAA"), http.StatusGone)
}
