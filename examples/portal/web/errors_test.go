package web_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/web"
)

func TestErrorTableMapsTypedErrors(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		text   string
	}{
		{"store not found is 404", fmt.Errorf("load: %w", store.ErrNotFound), 404, "页面不存在"},
		{"store conflict is 409 with its message", store.ErrConflict, 409, "已被他人修改"},
		{"database unavailable is 503", store.ErrUnavailable, 503, "稍后再试"},
		{"identity lock is 409", account.ErrIdentityLocked, 409, "认定机构"},
		{"pre-2019 account reset is 422 with the rule", account.ErrResetUnavailable, 422, "2019年3月1日"},
		{"an expired reset link is 410", account.ErrTokenExpired, 410, "24小时"},
		{"too many code attempts is 429", account.ErrTooManyAttempts, 429, "次数过多"},
		{"an oversized body is 413", &http.MaxBytesError{Limit: 64 << 10}, 413, "64KB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, msg, known := web.Classify(tt.err)
			if !known || status != tt.status || !strings.Contains(msg, tt.text) {
				t.Errorf("Classify = %d %q %v, want %d containing %q", status, msg, known, tt.status, tt.text)
			}
		})
	}
	if status, msg, known := web.Classify(errors.New("pq: relation \"accounts\" does not exist")); known || status != 500 || msg != "" {
		t.Errorf("an internal error is shown: %d %q %v", status, msg, known)
	}
}

func TestPanicGivesTheChinese500Page(t *testing.T) {
	h := newHarness(t)
	r := h.client().get("/test/panic")
	wantStatus(t, r, http.StatusInternalServerError)
	if r.find("error-page").AttrOr("data-status", "") != "500" || !strings.Contains(r.text("error-message"), "系统") {
		t.Errorf("500 page: %q", r.text("error-message"))
	}
	if strings.Contains(r.Body, "boom") {
		t.Error("the panic value reached the page")
	}
}

func TestInternalErrorsAreNotShown(t *testing.T) {
	h := newHarness(t)
	r := h.client().get("/test/fail/internal")
	wantStatus(t, r, http.StatusInternalServerError)
	if strings.Contains(r.Body, "secret detail") {
		t.Error("an internal error's text reached the page")
	}
}

func TestDatabaseDownGives503(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.client()
	c.login(a)
	h.Store.Close()
	r := c.get("/centre")
	wantStatus(t, r, http.StatusServiceUnavailable)
	if r.find("error-page").AttrOr("data-status", "") != "503" {
		t.Error("not the 503 page")
	}
	wantStatus(t, h.client().get("/test/fail/internal"), http.StatusServiceUnavailable)
}
