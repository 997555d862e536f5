package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/examples/portal/web"
)

func TestDevOutboxShowsSentMessagesOnlyInDevMode(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	h.Clock.Advance(time.Minute) // a link issued at the instant the password was set is void
	c := h.client()
	wantStatus(t, c.post("/password/forgot", identify(a.DocNumber, a.Name)), http.StatusSeeOther)
	wantStatus(t, c.post("/password/forgot/email", url.Values{}), http.StatusOK)
	page := c.get("/dev/outbox")
	wantStatus(t, page, http.StatusOK)
	if page.find("outbox-item").Length() != 1 || page.find("outbox-link").Length() != 1 {
		t.Fatalf("outbox: %d items, %d links", page.find("outbox-item").Length(), page.find("outbox-link").Length())
	}
	link, _ := page.find("outbox-link").Attr("href")
	wantStatus(t, c.get(link), http.StatusSeeOther) // the reset link opens

	st := storetest.OpenSQLite(t, store.WithLogger(discardLogger()))
	srv, err := web.New(web.Config{Store: st, Logger: discardLogger(), Dev: false})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/dev/outbox", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("without -dev /dev/outbox answers %d, want 404", rec.Code)
	}
}
