package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/registration"
)

func TestRegistrationOnTheStoreFromWindowToPDF(t *testing.T) {
	h := newRegHarness(t)
	a := h.teacher()
	c := h.client()
	c.login(a)
	r := c.get("/platform/windows?province=44&city=440100&stage=2")
	if r.Doc.Find(`[data-testid="point"][data-point="`+h.Point+`"] [data-testid="choose-point"]`).Length() != 1 {
		t.Fatalf("the open window's point cannot be chosen\n%s", snippet(r.Body))
	}
	h.wizardTo(c, registration.StepAuthority)
	// The draft is in the store: a new browser continues at step 3.
	c2 := h.client()
	c2.login(a)
	wantStep(t, c2.get("/platform/wizard"), registration.StepAuthority)

	number := h.submit(c2)
	r = c2.get("/platform/applications")
	if r.Doc.Find(`[data-number="`+number+`"]`).Length() != 1 {
		t.Fatalf("application %s not listed", number)
	}
	wantStatus(t, c2.get("/platform/applications/"+number+"/form.pdf"), http.StatusConflict)
	h.wait(c2, time.Hour)
	r = c2.get("/platform/applications/" + number + "/form.pdf")
	wantStatus(t, r, http.StatusOK)
	if !strings.HasPrefix(r.Body, "%PDF-") {
		t.Error("not a PDF")
	}
	// Another applicant: 404 on the application, its PDF and its photo.
	cb := h.client()
	cb.login(h.teacher())
	src := c2.get("/platform/applications/"+number).find("detail-photo").AttrOr("src", "")
	for _, p := range []string{"/platform/applications/" + number, "/platform/applications/" + number + "/form.pdf", src} {
		wantStatus(t, cb.get(p), http.StatusNotFound)
	}
	wantStatus(t, cb.post("/platform/applications/"+number+"/withdraw", url.Values{}), http.StatusNotFound)
	// Withdraw through the store's optimistic locking.
	wantStatus(t, c2.post("/platform/applications/"+number+"/withdraw", url.Values{}), http.StatusSeeOther)
	app, err := h.Store.Application(context.Background(), number)
	if err != nil || app.Status != registration.StatusWithdrawn {
		t.Errorf("after withdrawal: %v %v", err, app)
	}
}
