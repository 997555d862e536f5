package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestLogsCarryNoPersonalData runs login, registration, a reset by e-mail link and an SMS code,
// then checks that no document number, phone, e-mail address, code, token or query string
// reached the logs.
func TestLogsCarryNoPersonalData(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.client()
	c.get("/login?next=/centre&doc=" + a.DocNumber)
	c.post("/login", loginForm(a.DocNumber, "Wrong-password-1"))
	c.login(a)
	c.get("/centre")
	c.post("/centre/phone/code", url.Values{"phone": {"13711112222"}})
	code := h.lastCode("13711112222")
	c.post("/centre/phone", url.Values{"code": {code}})
	h.client().post("/register", registerForm(residentID("11010519850101002"), "赵六", "Good-password-2026"))
	r := h.client()
	r.post("/password/forgot", identify(a.DocNumber, a.Name))
	r.post("/password/forgot/email", nil)
	link := regexp.MustCompile(`/password/reset/[A-Za-z0-9_-]+`).FindString(h.lastMessage(a.Email).Body)
	r.get(link)
	h.client().get("/test/panic")

	logs := h.Logs.String()
	if !strings.Contains(logs, `"route":"POST /login"`) || !strings.Contains(logs, `"status":303`) {
		t.Fatalf("the request log is missing:\n%s", logs)
	}
	token := strings.TrimPrefix(link, "/password/reset/")
	for what, secret := range map[string]string{
		"document number": a.DocNumber, "phone": a.Phone, "new phone": "13711112222", "e-mail": a.Email,
		"SMS code": code, "reset token": token, "name": a.Name, "other document": residentID("11010519850101002"),
	} {
		if secret != "" && strings.Contains(logs, secret) {
			t.Errorf("the logs contain the %s", what)
		}
	}
	if strings.Contains(logs, "next=") || strings.Contains(logs, "doc=") {
		t.Error("a query string reached the logs")
	}
	if h.client().get("/healthz").StatusCode != http.StatusOK {
		t.Error("healthz")
	}
}
