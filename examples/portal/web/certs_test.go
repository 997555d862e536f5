package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestOwnCertificateQueryAsksAnonymousVisitorsToLogIn(t *testing.T) {
	h := newHarness(t)
	r := h.client().get("/certificates")
	wantStatus(t, r, http.StatusOK)
	if href, _ := r.find("own-query-login").Attr("href"); href != "/login?next=/certificates" {
		t.Errorf("login link %q", href)
	}
	if !strings.Contains(r.text("cert-notice"), "2008") {
		t.Error("the 2008/Guangxi 2012 notice is missing")
	}
	a := h.createApplicant()
	c := h.client()
	c.login(a)
	own := c.get("/certificates")
	wantStatus(t, own, http.StatusOK)
	if own.find("own-query-login").Length() != 0 {
		t.Error("a logged-in applicant is asked to log in")
	}
	wantStatus(t, c.get("/certificates/20201100000000001"), http.StatusNotFound)
}

func TestOtherCertificateQuery(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	wantStatus(t, c.get("/certificates/other"), http.StatusOK)
	r := c.post("/certificates/other", url.Values{"doc_type": {"1"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	for _, f := range []string{"name", "doc_number", "phone", "code"} {
		if errorsOf(r)[f] == "" || summaryOf(r)[f] == "" {
			t.Errorf("no error for %s: %v", f, errorsOf(r))
		}
	}
	doc := residentID("11010519850101001")
	q := url.Values{"name": {"李四"}, "doc_type": {"1"}, "doc_number": {doc}, "phone": {"13912345678"}}
	sent := c.post("/certificates/other/code", q)
	wantStatus(t, sent, http.StatusOK)
	q.Set("code", "000000")
	if code := h.lastCode("13912345678"); code != "000000" {
		bad := c.post("/certificates/other", q)
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		if errorsOf(bad)["code"] == "" {
			t.Errorf("wrong code accepted: %v", errorsOf(bad))
		}
		q.Set("code", code)
	}
	res := c.post("/certificates/other", q)
	wantStatus(t, res, http.StatusOK)
	if res.find("other-result").Length() != 1 {
		t.Fatal("no result")
	}
	if strings.Contains(res.Body, doc) || res.text("masked-doc") != doc[:6]+"********"+doc[14:] {
		t.Errorf("document not masked: %q", res.text("masked-doc"))
	}
}
