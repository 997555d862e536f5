package web_test

import (
	"context"
	"net/http"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
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

// giveCertificate stores a national certificate record for a.
func (h *harness) giveCertificate(a applicant, number string) {
	h.t.Helper()
	n := certificate.MustParseNumber(number)
	err := h.Store.AddCertificate(context.Background(), certificate.Certificate{
		Number: n, HolderName: a.Name, DocType: account.DocResidentID, DocNumber: a.DocNumber, Kind: n.Kind(),
		Subject: "语文", Authority: "北京市东城区教育委员会", Issued: time.Date(2014, 6, 30, 0, 0, 0, 0, time.UTC),
	}, 0)
	if err != nil {
		h.t.Fatal(err)
	}
}

func TestOwnCertificatesTableAndDetailsAreTheHoldersOnly(t *testing.T) {
	h := newHarness(t)
	a, b := h.createApplicant(), h.createApplicant()
	h.giveCertificate(a, "20141100121000123")
	ca, cb := h.client(), h.client()
	ca.login(a)
	cb.login(b)
	r := ca.get("/certificates")
	rows := r.find("cert-row")
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "20141100121000123") || !strings.Contains(rows.Text(), "小学") {
		t.Fatalf("own table: %q", rows.Text())
	}
	if cb.get("/certificates").find("cert-row").Length() != 0 {
		t.Error("another applicant sees the certificate")
	}
	href, _ := r.find("cert-details").Attr("href")
	assertOwnerOnly(t, ca, cb, href)
	centre := ca.get("/centre")
	if !strings.Contains(centre.text("module-certificates"), "20141100121000123") {
		t.Error("the information centre does not list the certificate")
	}
}

func TestOtherQueryFindsTheCertificateWithTheDocumentMasked(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	h.giveCertificate(a, "20141100121000124")
	c := h.client()
	q := url.Values{"name": {a.Name}, "doc_type": {"1"}, "doc_number": {a.DocNumber}, "phone": {"13911112222"}}
	wantStatus(t, c.post("/certificates/other/code", q), http.StatusOK)
	q.Set("code", h.lastCode("13911112222"))
	res := c.post("/certificates/other", q)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.text("cert-table"), "20141100121000124") || strings.Contains(res.Body, a.DocNumber) {
		t.Errorf("result: %q", res.text("other-result"))
	}
	// A wrong name answers like an unknown person.
	wantStatus(t, c.post("/certificates/other/code", url.Values{"phone": {"13911113333"}}), http.StatusOK)
	q.Set("name", "别人")
	q.Set("phone", "13911113333")
	q.Set("code", h.lastCode("13911113333"))
	miss := c.post("/certificates/other", q)
	if miss.find("cert-row").Length() != 0 || miss.find("other-empty").Length() != 1 {
		t.Error("a wrong name found the certificate")
	}
}
