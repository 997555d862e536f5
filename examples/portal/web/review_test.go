package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/examples/portal/web"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/registration"
)

// reviewHarness is a portal over a store seeded with the demo data (catalogue and demo staff);
// tests place and read applications directly through the store.
type reviewHarness struct {
	*harness
	Cat *registration.Catalogue
}

func newReviewHarness(t *testing.T) *reviewHarness {
	t.Helper()
	h := newHarnessOn(t, func(tb testing.TB, opts ...store.Option) *store.Store {
		return storetest.OpenSQLite(tb, append(opts, store.WithDemoData(testHasher))...)
	})
	cat, err := h.Store.Catalogue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &reviewHarness{harness: h, Cat: cat}
}

// demoStaff returns the seeded demo staff member with the username and its TOTP secret.
func (h *reviewHarness) demoStaff(username string) (store.Staff, string) {
	h.t.Helper()
	st, err := h.Store.StaffByUsername(context.Background(), username)
	if err != nil {
		h.t.Fatalf("StaffByUsername(%s): %v", username, err)
	}
	for _, d := range store.Demo.Staff {
		if d.Username == username {
			return st, d.TOTPSecret
		}
	}
	h.t.Fatalf("no demo staff %s", username)
	return st, ""
}

const (
	pointUser     = "point-tianhe"
	authorityUser = "authority-guangzhou"
	adminUser     = "admin"
	staffPassword = "Tqreg-Staff-2026"
)

// addStaff creates an enrolled staff account bound to the point or authority.
func (h *reviewHarness) addStaff(username string, role store.StaffRole, authorityID, pointID string) string {
	h.t.Helper()
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "test", AccountName: username})
	if err != nil {
		h.t.Fatal(err)
	}
	hash, err := testHasher.Hash(staffPassword)
	if err != nil {
		h.t.Fatal(err)
	}
	_, err = h.Store.CreateStaff(context.Background(), store.Staff{Username: username, Name: username, Role: role,
		AuthorityID: authorityID, PointID: pointID, PasswordHash: hash, TOTPSecret: key.Secret(), TOTPEnrolledAt: h.Clock.Now()})
	if err != nil {
		h.t.Fatal(err)
	}
	return key.Secret()
}

// code is the TOTP code of secret at the harness clock shifted by steps.
func (h *reviewHarness) code(secret string, steps int) string {
	h.t.Helper()
	c, err := totp.GenerateCode(secret, h.Clock.Now().Add(time.Duration(steps)*30*time.Second))
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// staffPassword posts the password step and fails unless it leads to the TOTP step.
func (c *client) staffPassword(username string) {
	c.h.t.Helper()
	c.get("/review/login")
	r := c.post("/review/login", url.Values{"username": {username}, "password": {staffPassword}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/review/login/totp" {
		c.h.t.Fatalf("staff password step: status %d, Location %q\n%s", r.StatusCode, r.Header.Get("Location"), snippet(r.Body))
	}
}

// staffLogin logs the client in as staff, with a code for the current step (the clock is moved
// on by a step first, so every login in a test gets a fresh code).
func (h *reviewHarness) staffLogin(username, secret string) *client {
	h.t.Helper()
	c := h.client()
	c.staffPassword(username)
	h.Clock.Advance(30 * time.Second)
	r := c.post("/review/login/totp", url.Values{"code": {h.code(secret, 0)}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/review" {
		h.t.Fatalf("staff TOTP step: status %d\n%s", r.StatusCode, snippet(r.Body))
	}
	return c
}

var appSeq atomic.Int64

// newApp places an application of a new applicant at the point (and its authority) with status.
func (h *reviewHarness) newApp(pointID string, status registration.Status, edits ...func(*registration.Application)) (*registration.Application, applicant) {
	h.t.Helper()
	ap := h.createApplicant()
	return h.placeApp(h.Cat, ap, pointID, status, edits...), ap
}

// placeApp stores an application of ap as if submitted now at the point of cat, in the first
// window of the point's authority: 网报待确认, or 已确认 when status says so; edits change it
// before it is stored.
func (h *harness) placeApp(cat *registration.Catalogue, ap applicant, pointID string, status registration.Status, edits ...func(*registration.Application)) *registration.Application {
	h.t.Helper()
	ctx := context.Background()
	p, ok := cat.Point(pointID)
	if !ok {
		h.t.Fatalf("no point %s", pointID)
	}
	var win registration.Window
	for _, w := range cat.Windows {
		if w.AuthorityID == p.AuthorityID {
			win = w
			break
		}
	}
	key, err := h.Store.SavePhoto(ctx, ap.ID, testJPEG(h.t), h.Clock.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	n := appSeq.Add(1)
	now := h.Clock.Now()
	a := &registration.Application{
		Number:    fmt.Sprintf("2026%s%08d", win.Province, n),
		AccountID: strconv.FormatInt(ap.ID, 10), Certificate: certificate.MustParseNumber(fmt.Sprintf("201544001210%05d", n)),
		Kind: certificate.Primary, Stage: registration.StagePrimary, Subject: "语文",
		Info:  form.RegistrationInfo{Photo: key, Address: "广州市天河区体育西路1号", Postcode: "510620", School: "天河区第一小学"},
		Photo: key, WindowID: win.ID, AuthorityID: p.AuthorityID, ConfirmationPointID: p.ID,
		Status: registration.StatusPending, SubmittedAt: now,
		Events: []registration.Event{{Actor: registration.ActorApplicant, To: registration.StatusPending, At: now, Note: "提交报名"}},
	}
	if status == registration.StatusConfirmed {
		a.Status = status
		a.Events = append(a.Events, registration.Event{Actor: registration.ActorConfirmationPoint, From: registration.StatusPending, To: status, At: now})
	}
	for _, e := range edits {
		e(a)
	}
	if err := h.Store.CreateApplication(ctx, a); err != nil {
		h.t.Fatalf("CreateApplication: %v", err)
	}
	return a
}

func (h *reviewHarness) app(number string) *registration.Application {
	h.t.Helper()
	a, err := h.Store.Application(context.Background(), number)
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

// testJPEG is a small white JPEG (its photo check reports problems, which the page shows).
func testJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 60, 80))
	for y := range 80 {
		for x := range 60 {
			img.Set(x, y, color.White)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReviewLoginWithPasswordAndTOTP(t *testing.T) {
	h := newReviewHarness(t)
	_, secret := h.demoStaff(pointUser)
	c := h.client()
	c.staffPassword(pointUser)
	before := c.cookie(sessionCookie)

	r := c.get("/review/login/totp")
	wantStatus(t, r, http.StatusOK)
	if r.find("totp-form").Length() != 1 || r.find("totp-enrol").Length() != 0 {
		t.Fatal("an enrolled staff member must get the code form without the enrolment")
	}
	r = c.post("/review/login/totp", url.Values{"code": {h.code(secret, 0)}})
	wantStatus(t, r, http.StatusSeeOther)
	if c.cookie(sessionCookie) == before {
		t.Error("session id not rotated at login")
	}
	r = c.get("/review/queue")
	wantStatus(t, r, http.StatusOK)
	if r.text("staff-name") == "" || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("queue: staff %q, Cache-Control %q", r.text("staff-name"), r.Header.Get("Cache-Control"))
	}
	if got := r.Header.Get("Content-Security-Policy"); got != web.ContentSecurityPolicy {
		t.Errorf("CSP %q", got)
	}
}

func TestReviewTOTPWindowAndReplay(t *testing.T) {
	cases := []struct {
		name  string
		steps int
		ok    bool
	}{
		{"current step accepted", 0, true},
		{"one step behind accepted", -1, true},
		{"one step ahead accepted", 1, true},
		{"two steps behind refused", -2, false},
		{"two steps ahead refused", 2, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newReviewHarness(t)
			_, secret := h.demoStaff(authorityUser)
			c := h.client()
			c.staffPassword(authorityUser)
			r := c.post("/review/login/totp", url.Values{"code": {h.code(secret, tc.steps)}})
			if tc.ok {
				wantStatus(t, r, http.StatusSeeOther)
				return
			}
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if !strings.Contains(r.text("totp-error"), "动态口令错误") {
				t.Errorf("error %q", r.text("totp-error"))
			}
			if r := c.get("/review/queue"); r.StatusCode != http.StatusSeeOther {
				t.Errorf("after a refused code the queue answered %d, want a redirect to login", r.StatusCode)
			}
		})
	}

	t.Run("a code accepted once is refused the second time", func(t *testing.T) {
		h := newReviewHarness(t)
		_, secret := h.demoStaff(pointUser)
		code := h.code(secret, 0)
		first := h.client()
		first.staffPassword(pointUser)
		wantStatus(t, first.post("/review/login/totp", url.Values{"code": {code}}), http.StatusSeeOther)

		second := h.client()
		second.staffPassword(pointUser)
		r := second.post("/review/login/totp", url.Values{"code": {code}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.text("totp-error"), "已使用") {
			t.Errorf("replay error %q", r.text("totp-error"))
		}
		// An earlier step's code (still inside the ±1 window) is a replay too.
		r = second.post("/review/login/totp", url.Values{"code": {h.code(secret, -1)}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
	})
}

func TestReviewLoginRefusals(t *testing.T) {
	h := newReviewHarness(t)
	c := h.client()
	r := c.post("/review/login", url.Values{"username": {pointUser}, "password": {"wrong"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wrong := errorsOf(r)["password"]
	r = c.post("/review/login", url.Values{"username": {"nobody"}, "password": {"wrong"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if unknown := errorsOf(r)["password"]; unknown != wrong || wrong == "" {
		t.Errorf("unknown user %q, wrong password %q: must be the same message", unknown, wrong)
	}
	if r := c.get("/review/login/totp"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("TOTP page without a password step: %d, want redirect", r.StatusCode)
	}
	for range 10 {
		r = c.post("/review/login", url.Values{"username": {pointUser}, "password": {"wrong"}})
	}
	wantStatus(t, r, http.StatusTooManyRequests)
	r = c.post("/review/login", url.Values{"username": {pointUser}, "password": {staffPassword}})
	wantStatus(t, r, http.StatusTooManyRequests)
}

func TestReviewEnrolmentShowsQRCodeAndStoresTheSecret(t *testing.T) {
	h := newReviewHarness(t)
	hash, _ := testHasher.Hash(staffPassword)
	ctx := context.Background()
	if _, err := h.Store.CreateStaff(ctx, store.Staff{Username: "newcomer", Name: "新同事", Role: store.RoleAdmin, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	c := h.client()
	if r := c.get("/review/login/totp/qr.png"); r.StatusCode != http.StatusNotFound {
		t.Errorf("QR code without a password step: %d, want 404", r.StatusCode)
	}
	c.staffPassword("newcomer")
	r := c.get("/review/login/totp")
	wantStatus(t, r, http.StatusOK)
	secret := r.text("totp-secret")
	if r.find("totp-qr").AttrOr("src", "") != "/review/login/totp/qr.png" || len(secret) < 16 {
		t.Fatalf("enrolment page: qr %q, secret %q", r.find("totp-qr").AttrOr("src", ""), secret)
	}
	qr := c.get("/review/login/totp/qr.png")
	wantStatus(t, qr, http.StatusOK)
	if qr.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(qr.Body, "\x89PNG") {
		t.Errorf("QR code: %s", qr.Header.Get("Content-Type"))
	}
	wantStatus(t, c.post("/review/login/totp", url.Values{"code": {h.code(secret, 0)}}), http.StatusSeeOther)
	st, err := h.Store.StaffByUsername(ctx, "newcomer")
	if err != nil {
		t.Fatal(err)
	}
	if st.TOTPSecret != secret || st.TOTPEnrolledAt.IsZero() {
		t.Errorf("after enrolment: secret stored %v, enrolled %v", st.TOTPSecret == secret, !st.TOTPEnrolledAt.IsZero())
	}
	if r := c.get("/review/admin"); r.StatusCode != http.StatusOK {
		t.Errorf("admin page after enrolment: %d", r.StatusCode)
	}
}

func TestReviewStaffSessionIdleLimit(t *testing.T) {
	h := newReviewHarness(t)
	_, secret := h.demoStaff(pointUser)
	c := h.staffLogin(pointUser, secret)
	h.Clock.Advance(14 * time.Minute)
	wantStatus(t, c.get("/review/queue"), http.StatusOK)
	h.Clock.Advance(14 * time.Minute) // 28 minutes after login, 14 after the last request
	wantStatus(t, c.get("/review/queue"), http.StatusOK)
	h.Clock.Advance(15*time.Minute + time.Second)
	r := c.get("/review/queue")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/review/login" {
		t.Errorf("after 15 idle minutes: %d %q, want a redirect to /review/login", r.StatusCode, r.Header.Get("Location"))
	}
}

func TestReviewConfirmationPointConfirms(t *testing.T) {
	h := newReviewHarness(t)
	st, secret := h.demoStaff(pointUser)
	a1, ap1 := h.newApp(st.PointID, registration.StatusPending)
	a2, _ := h.newApp(st.PointID, registration.StatusPending)
	a3, _ := h.newApp(st.PointID, registration.StatusPending)
	c := h.staffLogin(pointUser, secret)

	r := c.get("/review/queue")
	wantStatus(t, r, http.StatusOK)
	if got := r.find("queue-row").Length(); got != 3 {
		t.Fatalf("queue rows %d, want 3", got)
	}

	t.Run("search by name, document number and application number", func(t *testing.T) {
		for _, q := range []string{ap1.Name, ap1.DocNumber, a1.Number} {
			r := c.post("/review/search", url.Values{"q": {q}})
			wantStatus(t, r, http.StatusOK)
			if r.find("queue-row").Length() != 1 || r.find("queue-row").AttrOr("data-number", "") != a1.Number {
				t.Errorf("search found %d rows", r.find("queue-row").Length())
			}
		}
		r := c.post("/review/search", url.Values{"q": {""}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if r.text("search-error") == "" {
			t.Error("empty search: no error")
		}
	})

	t.Run("detail shows photo, its check, the form and the certificate", func(t *testing.T) {
		r := c.get("/review/applications/" + a1.Number)
		wantStatus(t, r, http.StatusOK)
		if r.text("app-number") != a1.Number || r.text("app-status") != "网报待确认" || r.text("app-name") != ap1.Name {
			t.Errorf("facts: %q %q %q", r.text("app-number"), r.text("app-status"), r.text("app-name"))
		}
		if r.find("photo").Length() != 1 || r.find("photo-problems").Length()+r.find("photo-ok").Length() != 1 {
			t.Error("photo or its report missing")
		}
		if r.find("form-rows").Find(`[data-testid="row"]`).Length() < 10 {
			t.Errorf("form rows %d", r.find("form-rows").Find(`[data-testid="row"]`).Length())
		}
		if !strings.Contains(r.text("cert-rows"), a1.Certificate.String()) {
			t.Error("certificate number missing")
		}
		p := c.get(r.find("photo").AttrOr("src", ""))
		wantStatus(t, p, http.StatusOK)
		if p.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("photo type %q", p.Header.Get("Content-Type"))
		}
	})

	t.Run("confirm many", func(t *testing.T) {
		r := c.post("/review/confirm", url.Values{"number": {a1.Number, a2.Number}, "v_" + a1.Number: {"1"}, "v_" + a2.Number: {"1"}})
		wantStatus(t, r, http.StatusSeeOther)
		for _, n := range []string{a1.Number, a2.Number} {
			a := h.app(n)
			if a.Status != registration.StatusConfirmed {
				t.Errorf("%s: %s", n, a.Status)
			}
			last := a.Events[len(a.Events)-1]
			if last.Actor != registration.ActorConfirmationPoint || last.From != registration.StatusPending || last.To != registration.StatusConfirmed {
				t.Errorf("event %+v", last)
			}
		}
		r = c.get("/review/queue")
		if r.find("queue-row").Length() != 1 || !strings.Contains(r.text("flash"), "已确认 2 条") {
			t.Errorf("queue after confirm: %d rows, flash %q", r.find("queue-row").Length(), r.text("flash"))
		}
		d := c.get("/review/applications/" + a1.Number)
		if d.text("app-status") != "已确认" {
			t.Errorf("status %q", d.text("app-status"))
		}
		found := false
		d.find("history-row").Each(func(_ int, s *goquery.Selection) {
			if strings.Contains(s.Text(), "已确认") && strings.Contains(s.Text(), pointUser) {
				found = true
			}
		})
		if !found {
			t.Error("history lacks the confirmation with the staff member")
		}
	})

	t.Run("a stale version is not confirmed and is named", func(t *testing.T) {
		r := c.post("/review/confirm", url.Values{"number": {a3.Number}, "v_" + a3.Number: {"7"}})
		wantStatus(t, r, http.StatusSeeOther)
		if h.app(a3.Number).Status != registration.StatusPending {
			t.Error("confirmed despite a stale version")
		}
		if f := c.get("/review/queue").text("flash"); !strings.Contains(f, a3.Number) || !strings.Contains(f, "已被他人修改") {
			t.Errorf("flash %q", f)
		}
	})

	t.Run("leave a message the applicant sees", func(t *testing.T) {
		a := h.app(a3.Number)
		r := c.post("/review/applications/"+a3.Number+"/message", url.Values{"text": {"请携带学历证书原件到确认点。"}, "version": {strconv.FormatInt(a.Version, 10)}})
		wantStatus(t, r, http.StatusSeeOther)
		a = h.app(a3.Number)
		if a.MessageBadge() != registration.LabelHasMessages || a.Messages[0].From != registration.ActorConfirmationPoint {
			t.Errorf("badge %q, messages %+v", a.MessageBadge(), a.Messages)
		}
		r = c.post("/review/applications/"+a3.Number+"/message", url.Values{"text": {"  "}, "version": {strconv.FormatInt(a.Version, 10)}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if r.text("message-error") == "" {
			t.Error("empty message: no error")
		}
	})
}

// decide posts a conclusion for the application as shown at its current version.
func (h *reviewHarness) decide(c *client, number string, to registration.Status, note string) *response {
	h.t.Helper()
	a := h.app(number)
	return c.post("/review/applications/"+number+"/decide", url.Values{
		"conclusion": {strconv.Itoa(int(to))}, "note": {note}, "version": {strconv.FormatInt(a.Version, 10)}})
}

func TestReviewAuthorityDecides(t *testing.T) {
	h := newReviewHarness(t)
	point, _ := h.demoStaff(pointUser)
	_, secret := h.demoStaff(authorityUser)
	c := h.staffLogin(authorityUser, secret)

	cases := []struct {
		name string
		to   registration.Status
		note string
	}{
		{"注册合格", registration.StatusQualified, ""},
		{"暂缓注册", registration.StatusDeferred, "培训学时不足360学时"},
		{"注册不合格", registration.StatusUnqualified, "严重违反师德"},
		{"调整注册结论 returns to 网报待确认", registration.StatusPending, "证书信息需更正"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, _ := h.newApp(point.PointID, registration.StatusConfirmed)
			r := c.get("/review/queue")
			if r.Doc.Find(`[data-testid="queue-row"][data-number="`+a.Number+`"]`).Length() != 1 {
				t.Fatal("confirmed application not in the authority's queue")
			}
			r = h.decide(c, a.Number, tc.to, tc.note)
			wantStatus(t, r, http.StatusSeeOther)
			got := h.app(a.Number)
			if got.Status != tc.to {
				t.Fatalf("status %s, want %s", got.Status, tc.to)
			}
			last := got.Events[len(got.Events)-1]
			if last.Actor != registration.ActorAuthority || last.From != registration.StatusConfirmed || last.To != tc.to {
				t.Errorf("event %+v", last)
			}
			d := c.get("/review/applications/" + a.Number)
			if d.text("app-status") != tc.to.String() {
				t.Errorf("detail status %q", d.text("app-status"))
			}
			if d.find("decide-form").Length() != 0 {
				t.Error("decision form still offered after the decision")
			}
		})
	}

	t.Run("deferral without a note is refused", func(t *testing.T) {
		a, _ := h.newApp(point.PointID, registration.StatusConfirmed)
		r := h.decide(c, a.Number, registration.StatusDeferred, "")
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if r.find("decide-error").Length() == 0 || h.app(a.Number).Status != registration.StatusConfirmed {
			t.Error("no error, or the status changed")
		}
	})

	t.Run("a pending application cannot be concluded", func(t *testing.T) {
		a, _ := h.newApp(point.PointID, registration.StatusPending)
		r := h.decide(c, a.Number, registration.StatusQualified, "")
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if h.app(a.Number).Status != registration.StatusPending {
			t.Error("status changed")
		}
	})

	t.Run("a concurrent change shows the conflict and keeps the note", func(t *testing.T) {
		a, _ := h.newApp(point.PointID, registration.StatusConfirmed)
		shown := h.app(a.Number)
		other := h.app(a.Number)
		if err := other.AddMessage(registration.ActorAuthority, h.Clock.Now(), "另一位工作人员的留言"); err != nil {
			t.Fatal(err)
		}
		if err := h.Store.SaveApplication(context.Background(), other); err != nil {
			t.Fatal(err)
		}
		note := "学时证明已核实,暂缓至补交材料"
		r := c.post("/review/applications/"+a.Number+"/decide", url.Values{
			"conclusion": {strconv.Itoa(int(registration.StatusDeferred))}, "note": {note}, "version": {strconv.FormatInt(shown.Version, 10)}})
		wantStatus(t, r, http.StatusConflict)
		if !strings.Contains(r.text("conflict"), "被他人修改") {
			t.Errorf("conflict message %q", r.text("conflict"))
		}
		if r.text("decide-note") != note || r.find("conclusion-4").AttrOr("checked", "none") == "none" {
			t.Errorf("note %q or conclusion not kept", r.text("decide-note"))
		}
		if h.app(a.Number).Status != registration.StatusConfirmed {
			t.Error("status changed despite the conflict")
		}
	})

	t.Run("cycle record and the Assess suggestion", func(t *testing.T) {
		a, _ := h.newApp(point.PointID, registration.StatusConfirmed)
		r := c.post("/review/applications/"+a.Number+"/cycle", url.Values{"hours": {"200"}, "appraisal1": {"2"}, "appraisal2": {"2"}, "appraisal3": {"1"}})
		wantStatus(t, r, http.StatusSeeOther)
		d := c.get("/review/applications/" + a.Number)
		if d.text("assessment-conclusion") != "暂缓注册" || d.find("assessment-reason").Length() == 0 {
			t.Errorf("suggestion %q with %d reasons", d.text("assessment-conclusion"), d.find("assessment-reason").Length())
		}
		if d.find("conclusion-4").AttrOr("checked", "none") == "none" {
			t.Error("the suggestion is not preselected")
		}
		r = c.post("/review/applications/"+a.Number+"/cycle", url.Values{"hours": {"很多"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if r.find("cycle-error").Length() == 0 {
			t.Error("bad hours: no error")
		}
	})

	t.Run("message from the authority", func(t *testing.T) {
		a, _ := h.newApp(point.PointID, registration.StatusConfirmed)
		r := c.post("/review/applications/"+a.Number+"/message", url.Values{"text": {"请补交继续教育证明"}, "version": {"1"}})
		wantStatus(t, r, http.StatusSeeOther)
		if got := h.app(a.Number); !got.HasUnread() || got.Messages[0].From != registration.ActorAuthority {
			t.Errorf("messages %+v", got.Messages)
		}
	})
}

// upload posts a multipart form with one file.
func (c *client) upload(path, field, name string, data []byte) *response {
	c.h.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		c.h.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return c.do(http.MethodPost, path, &body, mw.FormDataContentType())
}

func TestReviewCycleImport(t *testing.T) {
	h := newReviewHarness(t)
	point, _ := h.demoStaff(pointUser)
	_, secret := h.demoStaff(authorityUser)
	c := h.staffLogin(authorityUser, secret)
	a, _ := h.newApp(point.PointID, registration.StatusConfirmed)
	header := strings.Join(web.CycleCSVHeader, ",") + "\n"

	bad := header + a.Number + ",400,合格/合格,否,否,否,否\n20264400999999,abc,合格,否,否,否,否\n"
	r := c.upload("/review/cycle/import", "file", "cycle.csv", []byte(bad))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := r.text("import-errors"); !strings.Contains(got, "第 3 行") || !strings.Contains(got, "培训学时") {
		t.Errorf("errors %q", got)
	}
	if d := c.get("/review/applications/" + a.Number); d.find("assessment").Length() != 0 {
		t.Error("a refused file saved a record")
	}

	good := "\ufeff" + header + a.Number + ",400,合格/优秀/合格,否,否,否,否\n"
	r = c.upload("/review/cycle/import", "file", "cycle.csv", []byte(good))
	wantStatus(t, r, http.StatusOK)
	if r.text("import-count") != "1" {
		t.Errorf("imported %q", r.text("import-count"))
	}
	if d := c.get("/review/applications/" + a.Number); d.text("assessment-conclusion") != "注册合格" {
		t.Errorf("suggestion %q", d.text("assessment-conclusion"))
	}

	var elsewhere string
	for _, p := range h.Cat.Points {
		if p.AuthorityID != point.AuthorityID {
			elsewhere = p.ID
			break
		}
	}
	other, _ := h.newApp(elsewhere, registration.StatusConfirmed)
	r = c.upload("/review/cycle/import", "file", "cycle.csv", []byte(header+other.Number+",400,,否,否,否,否\n"))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.text("import-errors"), "不属于本注册机构") {
		t.Errorf("errors %q", r.text("import-errors"))
	}
}

func TestReviewAdministration(t *testing.T) {
	h := newReviewHarness(t)
	point, _ := h.demoStaff(pointUser)
	_, secret := h.demoStaff(adminUser)
	c := h.staffLogin(adminUser, secret)
	a, ap := h.newApp(point.PointID, registration.StatusConfirmed, func(a *registration.Application) {
		a.Events = append(a.Events, registration.Event{Actor: registration.ActorAuthority, From: registration.StatusConfirmed, To: registration.StatusQualified, At: a.SubmittedAt, Note: "=HYPERLINK(\"x\")"})
		a.Status = registration.StatusQualified
	})

	t.Run("export is CSV with BOM and header", func(t *testing.T) {
		r := c.get("/review/admin/export?window=" + url.QueryEscape(a.WindowID))
		wantStatus(t, r, http.StatusOK)
		if !strings.HasPrefix(r.Body, "\ufeff"+strings.Join(web.ExportCSVHeader, ",")+"\r\n") {
			t.Errorf("body starts %q", snippet(r.Body)[:min(80, len(r.Body))])
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
			t.Errorf("Content-Disposition %q", cd)
		}
		if !strings.Contains(r.Body, a.Number) || !strings.Contains(r.Body, ap.Name) || !strings.Contains(r.Body, "注册合格") {
			t.Error("the application's line is missing")
		}
		if !strings.Contains(r.Body, "'=HYPERLINK") {
			t.Error("a formula-like note was not neutralised")
		}
	})

	t.Run("restrictions", func(t *testing.T) {
		id := residentID("44010619800101123")
		r := c.post("/review/admin/restrictions", url.Values{"doc_type": {"1"}, "doc_number": {id}, "kind": {"3"}, "since": {"2026-01-01"}, "note": {"2025年考试作弊"}})
		wantStatus(t, r, http.StatusSeeOther)
		r = c.get("/review/admin/restrictions")
		if r.find("restriction-row").Length() != 1 || !strings.Contains(r.text("restriction-row"), "考试作弊") {
			t.Errorf("list: %q", r.text("restrictions-table"))
		}
		res, err := h.Store.Restrictions(context.Background(), 1, id)
		if err != nil || len(res) != 1 {
			t.Errorf("submission gate sees %d restrictions (%v)", len(res), err)
		}
		r = c.post("/review/admin/restrictions", url.Values{"doc_type": {"1"}, "doc_number": {"123"}, "kind": {"9"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if r.find("restriction-error").Length() < 3 {
			t.Errorf("errors: %q", r.text("restriction-errors"))
		}
	})

	t.Run("windows: create, edit, close early", func(t *testing.T) {
		auth := h.Cat.Authorities[0]
		r := c.post("/review/admin/windows", url.Values{"authority": {auth.ID}, "stage": {"1"}, "opens": {"2026-08-01"}, "closes": {"2026-10-31"}})
		wantStatus(t, r, http.StatusSeeOther)
		page := c.get("/review/admin")
		n := page.find("window-row").Length()
		if n != len(h.Cat.Windows)+1 {
			t.Fatalf("windows %d, want %d", n, len(h.Cat.Windows)+1)
		}
		r = c.post("/review/admin/windows/"+a.WindowID+"/close", url.Values{})
		wantStatus(t, r, http.StatusSeeOther)
		row := c.get("/review/admin").Doc.Find(`[data-testid="window-row"][data-id="` + a.WindowID + `"]`)
		if got := strings.TrimSpace(row.Find(`[data-testid="window-state"]`).Text()); got != "已截止" {
			t.Errorf("closed window state %q", got)
		}
		r = c.post("/review/admin/windows", url.Values{"authority": {auth.ID}, "stage": {"1"}, "opens": {"2026-10-01"}, "closes": {"2026-09-01"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.text("admin-errors"), "截止日期不能早于开始日期") {
			t.Errorf("errors %q", r.text("admin-errors"))
		}
	})

	t.Run("authorities and points", func(t *testing.T) {
		prov, city := h.Cat.Cities[0].Province, h.Cat.Cities[0].Code
		wantStatus(t, c.post("/review/admin/authorities", url.Values{"name": {"测试教育局"}, "province": {prov}, "city": {city}}), http.StatusSeeOther)
		page := c.get("/review/admin")
		if !strings.Contains(page.text("authorities-table"), "测试教育局") {
			t.Fatal("new authority missing")
		}
		auth := h.Cat.Authorities[0]
		wantStatus(t, c.post("/review/admin/points", url.Values{"authority": {auth.ID}, "name": {"测试确认点"}, "scope": {"全市教师"}}), http.StatusSeeOther)
		if !strings.Contains(c.get("/review/admin").text("points-table"), "测试确认点") {
			t.Error("new point missing")
		}
	})
}

// reviewPaths are every /review route with its parameters filled for the application number.
func reviewPaths(h *harness, number string) [][2]string {
	var out [][2]string
	for _, rt := range h.Server.Routes() {
		if !strings.HasPrefix(rt.Path, "/review") {
			continue
		}
		p := strings.NewReplacer("{number}", number, "{id}", "x").Replace(rt.Path)
		out = append(out, [2]string{rt.Method, p})
	}
	return out
}

func TestReviewAuthorisation(t *testing.T) {
	h := newReviewHarness(t)
	point, _ := h.demoStaff(pointUser)
	a, ap := h.newApp(point.PointID, registration.StatusPending)
	auth, _ := h.Cat.Authority(point.AuthorityID)

	var otherAuth registration.Authority
	var otherPoint registration.ConfirmationPoint
	for _, x := range h.Cat.Authorities {
		if x.ID != auth.ID {
			for _, p := range h.Cat.Points {
				if p.AuthorityID == x.ID {
					otherAuth, otherPoint = x, p
				}
			}
		}
		if otherPoint.ID != "" {
			break
		}
	}
	var samePointElsewhere registration.ConfirmationPoint
	for _, p := range h.Cat.Points {
		if p.AuthorityID == auth.ID && p.ID != point.PointID {
			samePointElsewhere = p
		}
	}
	secrets := map[string]string{
		"other-authority": h.addStaff("other-authority", store.RoleAuthority, otherAuth.ID, ""),
		"other-point":     h.addStaff("other-point", store.RoleConfirmationPoint, otherAuth.ID, otherPoint.ID),
	}
	if samePointElsewhere.ID != "" {
		secrets["sibling-point"] = h.addStaff("sibling-point", store.RoleConfirmationPoint, auth.ID, samePointElsewhere.ID)
	}
	appPaths := func() [][2]string {
		var out [][2]string
		for _, mp := range reviewPaths(h.harness, a.Number) {
			if strings.Contains(mp[1], a.Number) {
				out = append(out, mp)
			}
		}
		return out
	}()
	if len(appPaths) < 5 {
		t.Fatalf("only %d application routes", len(appPaths))
	}

	for user, secret := range secrets {
		t.Run("staff of another scope: "+user, func(t *testing.T) {
			c := h.staffLogin(user, secret)
			for _, mp := range appPaths {
				var r *response
				if mp[0] == http.MethodGet {
					r = c.get(mp[1])
				} else {
					r = c.post(mp[1], url.Values{"version": {"1"}, "text": {"x"}, "conclusion": {"3"}, "note": {"x"}, "hours": {"400"}})
				}
				if r.StatusCode != http.StatusNotFound {
					t.Errorf("%s %s: %d, want 404", mp[0], mp[1], r.StatusCode)
				}
			}
			r := c.post("/review/confirm", url.Values{"number": {a.Number}, "v_" + a.Number: {"1"}})
			if r.StatusCode != http.StatusNotFound {
				t.Errorf("confirm another point's application: %d", r.StatusCode)
			}
			for _, q := range []string{ap.Name, a.Number} {
				if r := c.post("/review/search", url.Values{"q": {q}}); r.find("queue-row").Length() != 0 {
					t.Errorf("search %q found another scope's application", q)
				}
			}
			if r := c.get("/review/queue"); r.find("queue-row").Length() != 0 {
				t.Error("queue shows another scope's application")
			}
			if r := c.get("/review/admin"); r.StatusCode != http.StatusNotFound {
				t.Errorf("admin page: %d", r.StatusCode)
			}
		})
	}
	if h.app(a.Number).Status != registration.StatusPending || len(h.app(a.Number).Messages) != 0 {
		t.Fatal("another scope's staff changed the application")
	}

	t.Run("logged-in applicants get 404 on all of /review", func(t *testing.T) {
		c := h.client()
		c.login(ap)
		for _, mp := range reviewPaths(h.harness, a.Number) {
			var r *response
			if mp[0] == http.MethodGet {
				r = c.get(mp[1])
			} else {
				r = c.post(mp[1], url.Values{"username": {pointUser}, "password": {staffPassword}})
			}
			if r.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404", mp[0], mp[1], r.StatusCode)
			}
		}
	})

	t.Run("anonymous GET goes to the staff login, other methods 404", func(t *testing.T) {
		c := h.client()
		for _, mp := range reviewPaths(h.harness, a.Number) {
			if strings.HasPrefix(mp[1], "/review/login") || mp[1] == "/review/logout" {
				continue
			}
			if mp[0] == http.MethodGet {
				r := c.get(mp[1])
				if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/review/login" {
					t.Errorf("GET %s: %d %q", mp[1], r.StatusCode, r.Header.Get("Location"))
				}
				continue
			}
			if r := c.post(mp[1], url.Values{}); r.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s: %d, want 404", mp[1], r.StatusCode)
			}
		}
	})

	t.Run("staff sessions do not open applicant pages", func(t *testing.T) {
		_, secret := h.demoStaff(pointUser)
		c := h.staffLogin(pointUser, secret)
		if r := c.get("/centre"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("GET /centre with a staff session: %d %q, want the applicant login", r.StatusCode, r.Header.Get("Location"))
		}
	})
}

func TestReviewFromSubmissionToQualifiedAsTheApplicantSeesIt(t *testing.T) {
	h := newReviewHarness(t)
	point, pointSecret := h.demoStaff(pointUser)
	_, authSecret := h.demoStaff(authorityUser)
	a, ap := h.newApp(point.PointID, registration.StatusPending)

	pc := h.staffLogin(pointUser, pointSecret)
	wantStatus(t, pc.post("/review/confirm", url.Values{"number": {a.Number}, "v_" + a.Number: {"1"}, "from": {"detail"}}), http.StatusSeeOther)

	ac := h.staffLogin(authorityUser, authSecret)
	wantStatus(t, ac.post("/review/applications/"+a.Number+"/message", url.Values{"text": {"恭喜,您的定期注册已通过。"}, "version": {"2"}}), http.StatusSeeOther)
	h.Clock.Advance(time.Minute)
	wantStatus(t, h.decide(ac, a.Number, registration.StatusQualified, ""), http.StatusSeeOther)

	// The 留言 is in the history between the confirmation and the decision.
	d := ac.get("/review/applications/" + a.Number)
	var tos, staff []string
	d.find("history-row").Each(func(_ int, s *goquery.Selection) {
		tos = append(tos, strings.TrimSpace(s.Find(`[data-testid="history-to"]`).Text()))
		staff = append(staff, strings.TrimSpace(s.Find(`[data-testid="history-staff"]`).Text()))
	})
	if strings.Join(tos, ",") != "网报待确认,已确认,—,注册合格" || len(staff) < 4 || staff[1] != pointUser || staff[3] != authorityUser {
		t.Fatalf("history %v by %v", tos, staff)
	}
	if got := d.find("history-row").Eq(2).Text(); !strings.Contains(got, "留言:恭喜,您的定期注册已通过。") || !strings.Contains(got, "注册机构") {
		t.Errorf("message row %q", got)
	}

	c := h.client()
	c.login(ap)
	r := c.get("/platform/applications")
	wantStatus(t, r, http.StatusOK)
	row := r.Doc.Find(`[data-testid="application-row"][data-number="` + a.Number + `"]`)
	if got := strings.TrimSpace(row.Find(`[data-testid="status-badge"]`).Text()); got != "注册合格" {
		t.Errorf("applicant sees status %q", got)
	}
	if got := row.Find(`[data-testid="row-messages"]`).Text(); !strings.Contains(got, registration.LabelHasMessages) {
		t.Errorf("applicant sees messages %q", got)
	}
}

func TestReviewBatchConfirmWithAForeignNumberChangesNothing(t *testing.T) {
	h := newReviewHarness(t)
	point, secret := h.demoStaff(pointUser)
	own, _ := h.newApp(point.PointID, registration.StatusPending)
	var elsewhere string
	for _, p := range h.Cat.Points {
		if p.ID != point.PointID {
			elsewhere = p.ID
			break
		}
	}
	foreign, _ := h.newApp(elsewhere, registration.StatusPending)
	c := h.staffLogin(pointUser, secret)
	r := c.post("/review/confirm", url.Values{"number": {own.Number, foreign.Number}, "v_" + own.Number: {"1"}, "v_" + foreign.Number: {"1"}})
	wantStatus(t, r, http.StatusNotFound)
	if h.app(own.Number).Status != registration.StatusPending || h.app(foreign.Number).Status != registration.StatusPending {
		t.Error("a batch with a foreign number changed an application")
	}
}

func TestReviewPagesShowTheStaffBarNotTheApplicantLinks(t *testing.T) {
	h := newReviewHarness(t)
	_, secret := h.demoStaff(pointUser)
	applicantLinks := func(r *response) int { return r.find("login-link").Length() + r.find("register-link").Length() }

	anon := h.client()
	if r := anon.get("/review/login"); r.StatusCode != http.StatusOK || applicantLinks(r) != 0 {
		t.Errorf("staff login page: %d, %d applicant links", r.StatusCode, applicantLinks(r))
	}
	if r := anon.get("/"); applicantLinks(r) != 2 {
		t.Errorf("the applicant home page lost 登录/注册 (%d links)", applicantLinks(r))
	}

	c := h.staffLogin(pointUser, secret)
	for _, path := range []string{"/review/queue", "/review/nothing-here"} {
		r := c.get(path)
		if applicantLinks(r) != 0 || r.find("user-name").Length() != 0 {
			t.Errorf("%s (%d) shows the applicant account links", path, r.StatusCode)
		}
		if r.StatusCode == http.StatusOK && (r.text("staff-name") == "" || r.find("staff-logout").Length() != 1) {
			t.Errorf("%s: no staff bar with 退出", path)
		}
	}
}
