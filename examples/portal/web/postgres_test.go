package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestAccountFlowOnPostgres runs the account side end to end on Postgres: register, log in
// (session rotated, stored in the sessions table), information centre, password change, logout
// (server-side session gone), throttling.
func TestAccountFlowOnPostgres(t *testing.T) {
	h := newPostgresHarness(t)
	doc := residentID("11010519850101001")
	c := h.client()
	wantStatus(t, c.post("/register", registerForm(doc, "李四", "Good-password-2026")), http.StatusOK)
	c.get("/login")
	before := c.cookie(sessionCookie)
	wantStatus(t, c.post("/login", loginForm(doc, "Good-password-2026")), http.StatusSeeOther)
	after := c.cookie(sessionCookie)
	if after == before || !h.sessionStored(after) || h.sessionStored(before) {
		t.Fatal("session not rotated into the sessions table")
	}
	wantStatus(t, c.get("/centre"), http.StatusOK)
	wantStatus(t, c.post("/centre/password", url.Values{"current": {"Good-password-2026"}, "password": {"Better-password-2027"}, "password2": {"Better-password-2027"}}), http.StatusSeeOther)
	rotated := c.cookie(sessionCookie)
	wantStatus(t, c.post("/logout", nil), http.StatusSeeOther)
	if h.sessionStored(rotated) {
		t.Error("logout left the session")
	}
	other := h.client()
	other.get("/login")
	for i := 0; i < 5; i++ {
		other.post("/login", loginForm(doc, "Wrong-password-1"))
	}
	wantStatus(t, other.post("/login", loginForm(doc, "Better-password-2027")), http.StatusTooManyRequests)
}
