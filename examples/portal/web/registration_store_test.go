package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/registration"
)

// newStoreRegHarness runs the 定期注册 pages on the portal's own store (SQLite): a province, a
// city, one authority with a confirmation point and a primary-school window open now.
func newStoreRegHarness(t *testing.T) *regHarness {
	t.Helper()
	h := newHarness(t)
	ctx := context.Background()
	st := h.Store
	now := h.Clock.Now()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	dupOK := func(err error) {
		t.Helper()
		if !errors.Is(err, store.ErrDuplicate) {
			must(err)
		}
	}
	dupOK(st.AddProvince(ctx, registration.Province{Code: "44", Name: "广东省"}))
	dupOK(st.AddCity(ctx, registration.City{Code: "440100", Name: "广州市", Province: "44"}))
	auth, err := st.SaveAuthority(ctx, registration.Authority{Name: "广州市教育局", Province: "44", City: "440100",
		Stages: registration.Stages, Kinds: certificate.Kinds()})
	must(err)
	pt, err := st.SaveConfirmationPoint(ctx, registration.ConfirmationPoint{AuthorityID: auth.ID, Name: "广州市教师发展中心确认点", ScopeText: "广州市中小学教师"})
	must(err)
	win, err := st.SaveWindow(ctx, registration.Window{AuthorityID: auth.ID, Stage: registration.StagePrimary, Opens: now.Add(-24 * time.Hour), Closes: now.Add(30 * 24 * time.Hour)})
	must(err)
	return &regHarness{harness: h, Window: win.ID, Point: pt.ID, Authority: auth.ID,
		addCert: func(id int64, c certificate.Certificate) { must(st.AddCertificate(ctx, c, 0)) }}
}

func TestRegistrationOnTheStoreFromWindowToPDF(t *testing.T) {
	h := newStoreRegHarness(t)
	a := h.teacher()
	c := h.client()
	c.login(a)
	r := c.get("/platform/windows?province=44&city=440100&stage=2")
	if r.find("choose-point").Length() != 1 {
		t.Fatalf("store catalogue not searched\n%s", snippet(r.Body))
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
