package web_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// Send limits (issue 5): SMS codes per phone and per client, reset e-mails per account; five
// sends, then a wait of ten minutes that doubles on. The person sees the limit in zh-CN.

// clientFrom is a browser whose requests reach the portal from the address ip (the test server
// in front sets RemoteAddr, as a trusted proxy's address would be).
func (h *harness) clientFrom(ip string) *client {
	h.t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.RemoteAddr = ip + ":40000"
		h.Server.Handler().ServeHTTP(w, r)
	}))
	h.t.Cleanup(hs.Close)
	via := *h
	via.HTTP = hs
	return via.client()
}

// sent counts the outbox messages to recipient.
func (h *harness) sent(recipient string) int {
	h.t.Helper()
	msgs, err := h.Store.Outbox(context.Background(), 1000)
	if err != nil {
		h.t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.Recipient == recipient {
			n++
		}
	}
	return n
}

// wantSendLimit fails unless r is the 429 page with the zh-CN limit message and a Retry-After.
func wantSendLimit(t *testing.T, r *response, wait string) {
	t.Helper()
	wantStatus(t, r, http.StatusTooManyRequests)
	if want := "发送过于频繁,请 " + wait + " 后再试。"; r.text("error-message") != want {
		t.Errorf("limit message %q, want %q", r.text("error-message"), want)
	}
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}

// otherCode asks 其他查询 for an SMS code to phone.
func (c *client) otherCode(phone string) *response {
	c.h.t.Helper()
	return c.post("/certificates/other/code", url.Values{"name": {"李四"}, "doc_type": {"1"},
		"doc_number": {residentID("11010519850101001")}, "phone": {phone}})
}

func TestSMSSendsAreLimitedPerPhone(t *testing.T) {
	h := newHarness(t)
	const phone = "13912340000"
	// Five clients, a minute apart (the code's own resend pause), reach the same phone.
	for i := range 5 {
		if i > 0 {
			h.Clock.Advance(time.Minute)
		}
		wantStatus(t, h.clientFrom(fmt.Sprintf("10.0.0.%d", i+1)).otherCode(phone), http.StatusOK)
	}
	// A sixth client is refused for this phone, by 其他查询 and by 修改手机号 alike…
	sixth := h.clientFrom("10.0.0.6")
	wantSendLimit(t, sixth.otherCode(phone), "10 分钟")
	a := h.createApplicant()
	owner := h.clientFrom("10.0.0.7")
	owner.login(a)
	wantSendLimit(t, owner.post("/centre/phone/code", url.Values{"phone": {phone}}), "10 分钟")
	if n := h.sent(phone); n != 5 {
		t.Errorf("%d codes went to the phone, want 5", n)
	}
	// …while the same client may still reach another phone.
	wantStatus(t, sixth.otherCode("13912340001"), http.StatusOK)
	// The limit lifts when the wait is over.
	h.Clock.Advance(9 * time.Minute)
	wantSendLimit(t, sixth.otherCode(phone), "1 分钟")
	h.Clock.Advance(time.Minute)
	wantStatus(t, sixth.otherCode(phone), http.StatusOK)
	if n := h.sent(phone); n != 6 {
		t.Errorf("%d codes went to the phone, want 6", n)
	}
}

func TestSMSSendsAreLimitedPerClient(t *testing.T) {
	h := newHarness(t)
	c := h.clientFrom("10.0.1.1")
	for i := range 5 {
		wantStatus(t, c.otherCode(fmt.Sprintf("1391235000%d", i)), http.StatusOK)
	}
	wantSendLimit(t, c.otherCode("13912350005"), "10 分钟")
	if n := h.sent("13912350005"); n != 0 {
		t.Errorf("a refused send went out (%d)", n)
	}
	// Another client reaches that phone; the first waits its ten minutes.
	wantStatus(t, h.clientFrom("10.0.1.2").otherCode("13912350005"), http.StatusOK)
	h.Clock.Advance(10 * time.Minute)
	wantStatus(t, c.otherCode("13912350006"), http.StatusOK)
}

func TestResetEmailsAreLimitedPerAccount(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	other := h.createApplicant()
	reset := func(c *client, who applicant) *response {
		t.Helper()
		wantStatus(t, c.post("/password/forgot", identify(who.DocNumber, who.Name)), http.StatusSeeOther)
		return c.post("/password/forgot/email", nil)
	}
	for i := range 5 {
		wantStatus(t, reset(h.clientFrom(fmt.Sprintf("10.0.2.%d", i+1)), a), http.StatusOK)
	}
	late := h.clientFrom("10.0.2.6")
	wantSendLimit(t, reset(late, a), "10 分钟")
	if n := h.sent(a.Email); n != 5 {
		t.Errorf("%d reset e-mails went to the account, want 5", n)
	}
	// Another account is not affected, from the same client.
	wantStatus(t, reset(late, other), http.StatusOK)
	h.Clock.Advance(10 * time.Minute)
	wantStatus(t, reset(h.clientFrom("10.0.2.7"), a), http.StatusOK)
	if n := h.sent(a.Email); n != 6 {
		t.Errorf("%d reset e-mails went to the account, want 6", n)
	}
}

// TestResetLimitDoesNotRevealAccounts: identification attempts with unknown documents count like
// wrong names, and once the client is limited every answer is the same, whether the document
// belongs to an account (even with the right name) or not.
func TestResetLimitDoesNotRevealAccounts(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.clientFrom("10.0.3.1")
	for i := range 5 {
		doc := residentID(fmt.Sprintf("1101051990030712%d", i))
		if i%2 == 1 {
			doc = a.DocNumber // wrong name for a real account
		}
		wantStatus(t, c.post("/password/forgot", identify(doc, "别人")), http.StatusUnprocessableEntity)
	}
	unknown := c.post("/password/forgot", identify(residentID("11010519900307129"), "别人"))
	wrongName := c.post("/password/forgot", identify(a.DocNumber, "别人"))
	rightName := c.post("/password/forgot", identify(a.DocNumber, a.Name))
	for name, r := range map[string]*response{"unknown document": unknown, "wrong name": wrongName, "right name": rightName} {
		wantStatus(t, r, http.StatusTooManyRequests)
		if !maps.Equal(errorsOf(r), errorsOf(unknown)) {
			t.Errorf("%s: %v, unknown document: %v", name, errorsOf(r), errorsOf(unknown))
		}
	}
	if msg := errorsOf(unknown)["name"]; msg != "尝试次数过多,请 1 分钟 后再试。" {
		t.Errorf("limit message %q", msg)
	}
	// Nothing was sent, and the limit lifts.
	if h.sent(a.Email) != 0 || h.sent(a.Phone) != 0 {
		t.Error("a limited identification sent something")
	}
	h.Clock.Advance(time.Minute)
	wantStatus(t, c.post("/password/forgot", identify(a.DocNumber, a.Name)), http.StatusSeeOther)
}
