package web_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func registerForm(doc, name, pw string) url.Values {
	return url.Values{"doc_type": {"1"}, "doc_number": {doc}, "name": {name}, "phone": {"13912345678"},
		"email": {"new@example.com"}, "password": {pw}, "password2": {pw}}
}

func TestRegisterShowsEveryError(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	tests := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"an empty form asks for every field", url.Values{"doc_type": {"1"}}, ""},
		{"a resident ID with a wrong check character", registerForm("110105198501010010", "李四", "Good-password-2026"), "doc_number"},
		{"a one-character name", registerForm(residentID("11010519850101001"), "李", "Good-password-2026"), "name"},
		{"a bad phone", func() url.Values {
			f := registerForm(residentID("11010519850101001"), "李四", "Good-password-2026")
			f.Set("phone", "12345")
			return f
		}(), "phone"},
		{"a bad e-mail", func() url.Values {
			f := registerForm(residentID("11010519850101001"), "李四", "Good-password-2026")
			f.Set("email", "no-at-sign")
			return f
		}(), "email"},
		{"a common password", registerForm(residentID("11010519850101001"), "李四", "password123"), "password"},
		{"the document number as password", registerForm(residentID("11010519850101001"), "李四", residentID("11010519850101001")), "password"},
		{"passwords that differ", func() url.Values {
			f := registerForm(residentID("11010519850101001"), "李四", "Good-password-2026")
			f.Set("password2", "Good-password-2027")
			return f
		}(), "password2"},
		{"real-name verification fails", registerForm(residentID("11010519850101001"), "测试失败", "Good-password-2026"), "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.post("/register", tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			inline, summary := errorsOf(r), summaryOf(r)
			if !maps.Equal(inline, summary) {
				t.Errorf("inline %v, summary %v", inline, summary)
			}
			if tt.field == "" {
				for _, f := range []string{"doc_number", "name", "phone", "email", "password", "password2"} {
					if inline[f] == "" {
						t.Errorf("no error for %s", f)
					}
				}
				return
			}
			if inline[tt.field] == "" || len(inline) != 1 {
				t.Errorf("errors %v, want exactly one for %s", inline, tt.field)
			}
		})
	}
}

func TestRegisterThenLogIn(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	doc := residentID("11010519850101001")
	r := c.post("/register", registerForm(doc, "李四", "Good-password-2026"))
	wantStatus(t, r, http.StatusOK)
	if r.find("register-done").Length() != 1 {
		t.Fatal("no confirmation")
	}
	c.get("/login")
	wantStatus(t, c.post("/login", loginForm(doc, "Good-password-2026")), http.StatusSeeOther)
}

func TestRegisterDoesNotRevealAnExistingDocument(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	fresh := h.client().post("/register", registerForm(residentID("11010519850101777"), "王五", "Good-password-2026"))
	dup := h.client().post("/register", registerForm(a.DocNumber, "王五", "Good-password-2026"))
	if fresh.StatusCode != dup.StatusCode || fresh.text("register-done") != dup.text("register-done") || fresh.text("register-done") == "" {
		t.Errorf("answers differ: %d %q / %d %q", fresh.StatusCode, fresh.text("register-done"), dup.StatusCode, dup.text("register-done"))
	}
	// The existing account still has its own password, and its owner was told by e-mail.
	c := h.client()
	c.login(a)
	msgs, err := h.Store.Outbox(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) == 0 || msgs[0].Recipient != a.Email || !strings.Contains(msgs[0].Body, "尝试") {
		t.Errorf("owner not warned: %+v", msgs)
	}
}
