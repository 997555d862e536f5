package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/registration"
)

func TestHappyPathCreatesAnApplicationAndServesTheFormAfterOneHour(t *testing.T) {
	h := newRegHarness(t)
	a := h.teacher()
	c := h.client()
	c.login(a)
	number := h.submit(c)

	r := c.get("/platform/applications")
	wantStatus(t, r, http.StatusOK)
	row := r.Doc.Find(`[data-testid="application-row"][data-number="` + number + `"]`)
	if row.Length() != 1 {
		t.Fatalf("application %s not listed\n%s", number, snippet(r.Body))
	}
	if got := strings.TrimSpace(row.Find(`[data-testid="status-badge"]`).Text()); got != "网报待确认" {
		t.Errorf("注册结论 %q", got)
	}
	if row.Find(`[data-testid="row-edit"]`).Length() != 1 || row.Find(`[data-testid="row-pdf"]`).Length() != 0 {
		t.Errorf("a fresh application must be editable and its form not yet downloadable")
	}

	// Detail shows the photo; the preview prints the applicant and the number.
	r = c.get("/platform/applications/" + number)
	wantStatus(t, r, http.StatusOK)
	src := r.find("detail-photo").AttrOr("src", "")
	if src == "" {
		t.Fatal("detail has no photo")
	}
	wantStatus(t, c.get(src), http.StatusOK)
	if r.Doc.Find(`[hx-history="false"]`).Length() != 1 {
		t.Error("detail page may enter htmx's history cache")
	}
	r = c.get("/platform/applications/" + number + "/form")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.text("form-preview"), a.Name) || !strings.Contains(r.text("form-preview"), number) {
		t.Errorf("preview lacks the name or the number")
	}
	if r.find("form-row").Length() < 20 {
		t.Errorf("preview has %d rows", r.find("form-row").Length())
	}
	r = c.get("/platform/applications/" + number + "/notes")
	wantStatus(t, r, http.StatusOK)

	// The PDF: refused before FormReadyAt with the time, served after.
	r = c.get("/platform/applications/" + number + "/form.pdf")
	wantStatus(t, r, http.StatusConflict)
	ready := h.Clock.Now().Add(time.Hour).In(registration.CST).Format("2006-01-02 15:04")
	if want := "请于 " + ready + " 后下载"; !strings.Contains(r.text("pdf-not-ready"), want) {
		t.Errorf("not-ready page %q, want %q", r.text("pdf-not-ready"), want)
	}
	h.wait(c, 59*time.Minute)
	wantStatus(t, c.get("/platform/applications/"+number+"/form.pdf"), http.StatusConflict)
	h.wait(c, time.Minute)
	r = c.get("/platform/applications/" + number + "/form.pdf")
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF-") {
		t.Errorf("not a PDF: %q %q", r.Header.Get("Content-Type"), r.Body[:min(8, len(r.Body))])
	}
	r = c.get("/platform/applications")
	if r.find("row-pdf").Length() != 1 {
		t.Errorf("list does not offer the download after an hour")
	}

	// A second submission for the same certificate is refused by the gate, nothing created.
	h.wizardTo(c, registration.StepCommitment)
	r = c.post("/platform/wizard", url.Values{"step": {"6"}, "commitment": {"agree"}})
	wantStatus(t, r, http.StatusConflict)
	if r.text("wizard-message") == "" {
		t.Errorf("no message for a second active application")
	}
	apps, _ := h.Store.ApplicationsOf(context.Background(), strconv.FormatInt(a.ID, 10))
	if len(apps) != 1 {
		t.Errorf("%d applications", len(apps))
	}
}

func TestEditOnlyWhilePendingAndStaleVersionsAreRefused(t *testing.T) {
	h := newRegHarness(t)
	a := h.teacher()
	c := h.client()
	c.login(a)
	number := h.submit(c)
	r := c.get("/platform/applications/" + number + "/edit")
	wantStatus(t, r, http.StatusOK)
	version := r.Doc.Find(`input[name="version"]`).AttrOr("value", "")
	photoKey := r.Doc.Find(`input[name="photo"]`).AttrOr("value", "")
	if version == "" || photoKey == "" {
		t.Fatalf("edit form lacks version or photo")
	}
	edit := merge(infoValues(), url.Values{"version": {version}, "photo": {photoKey}, "action": {"save"}})
	edit.Set(form.FieldAddress, "广东省广州市越秀区另一路2号")
	edit.Set(form.FieldPostcode, "5100")
	r = c.postMultipart("/platform/applications/"+number+"/edit", edit, "", "", nil)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if errorsOf(r)[form.FieldPostcode] == "" || summaryOf(r)[form.FieldPostcode] == "" {
		t.Errorf("edit errors not shown inline and in the summary")
	}
	edit.Set(form.FieldPostcode, "510030")
	r = c.postMultipart("/platform/applications/"+number+"/edit", edit, "", "", nil)
	wantStatus(t, r, http.StatusSeeOther)
	app, err := h.Store.Application(context.Background(), number)
	if err != nil || app.Info.Address != "广东省广州市越秀区另一路2号" || app.Info.Postcode != "510030" {
		t.Fatalf("edit not saved: %v %+v", err, app.Info)
	}
	// The same (now stale) version again: a plain conflict message, nothing written.
	edit.Set(form.FieldAddress, "广东省广州市越秀区第三路3号")
	r = c.postMultipart("/platform/applications/"+number+"/edit", edit, "", "", nil)
	wantStatus(t, r, http.StatusConflict)
	if !strings.Contains(r.text("edit-message"), "已被他人修改") {
		t.Errorf("conflict message %q", r.text("edit-message"))
	}
	// Changing the photo moves the form's ready time.
	h.wait(c, 2*time.Hour)
	r = c.get("/platform/applications/" + number + "/edit")
	version = r.Doc.Find(`input[name="version"]`).AttrOr("value", "")
	up := merge(edit, url.Values{"version": {version}, "action": {"upload"}})
	r = c.postMultipart("/platform/applications/"+number+"/edit", up, "photo_file", "new.jpg", goodPhotoFrom(t, portrait(430, 600)))
	wantStatus(t, r, http.StatusOK)
	newKey := r.Doc.Find(`input[name="photo"]`).AttrOr("value", "")
	up.Set("photo", newKey)
	up.Set("action", "save")
	if newKey == "" || newKey == photoKey {
		t.Fatalf("new photo key %q (old %q)", newKey, photoKey)
	}
	wantStatus(t, c.postMultipart("/platform/applications/"+number+"/edit", up, "", "", nil), http.StatusSeeOther)
	wantStatus(t, c.get("/platform/applications/"+number+"/form.pdf"), http.StatusConflict)

	// Once confirmed: no 修改 link, and the edit page and post refuse.
	app, _ = h.Store.Application(context.Background(), number)
	if err := app.Transition(registration.StatusConfirmed, registration.ActorConfirmationPoint, h.Clock.Now(), "现场确认"); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.SaveApplication(context.Background(), app); err != nil {
		t.Fatal(err)
	}
	r = c.get("/platform/applications")
	if r.find("row-edit").Length() != 0 || r.find("row-withdraw").Length() != 0 {
		t.Errorf("a confirmed application offers 修改 or 撤回")
	}
	r = c.get("/platform/applications/" + number + "/edit")
	wantStatus(t, r, http.StatusConflict)
	if !strings.Contains(r.text("application-message"), "网报待确认") {
		t.Errorf("message %q", r.text("application-message"))
	}
	r = c.postMultipart("/platform/applications/"+number+"/edit", up, "", "", nil)
	wantStatus(t, r, http.StatusConflict)
}

func TestWithdrawWhilePending(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	number := h.submit(c)
	r := c.get("/platform/applications/" + number + "/withdraw")
	wantStatus(t, r, http.StatusOK)
	if r.find("withdraw-form").Length() != 1 {
		t.Fatal("no confirmation form")
	}
	wantStatus(t, c.post("/platform/applications/"+number+"/withdraw", url.Values{}), http.StatusSeeOther)
	r = c.get("/platform/applications")
	if got := r.text("status-badge"); got != "已撤回" {
		t.Errorf("status after withdrawal %q", got)
	}
	wantStatus(t, c.post("/platform/applications/"+number+"/withdraw", url.Values{}), http.StatusConflict)
}

func TestMessagesShowUnreadUntilOpened(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	number := h.submit(c)
	ctx := context.Background()
	app, _ := h.Store.Application(ctx, number)
	if err := app.AddMessage(registration.ActorConfirmationPoint, h.Clock.Now(), "请携带教师资格证书原件现场确认"); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.SaveApplication(ctx, app); err != nil {
		t.Fatal(err)
	}
	r := c.get("/platform/applications")
	if !strings.Contains(r.text("row-messages"), "有留言") || r.find("unread").Length() != 1 {
		t.Fatalf("list lacks 有留言 with the unread marker\n%s", snippet(r.Body))
	}
	r = c.post("/platform/applications/"+number+"/messages/read", url.Values{})
	wantStatus(t, r, http.StatusSeeOther)
	r = c.get(r.Header.Get("Location"))
	wantStatus(t, r, http.StatusOK)
	if r.text("message-text") != "请携带教师资格证书原件现场确认" || r.text("message-at") == "" {
		t.Errorf("message page: %q at %q", r.text("message-text"), r.text("message-at"))
	}
	r = c.get("/platform/applications")
	if r.find("row-messages").Length() != 1 || r.find("unread").Length() != 0 {
		t.Errorf("after reading: 有留言 should stay, the unread marker go")
	}
}

// Applicant B gets 404 on every URL of applicant A's applications, photos, PDFs and messages —
// the same answer as for a number that does not exist.
func TestAnotherApplicantGets404OnEveryURLOfAnApplication(t *testing.T) {
	h := newRegHarness(t)
	ca := h.client()
	ca.login(h.teacher())
	number := h.submit(ca)
	photoSrc := ca.get("/platform/applications/"+number).find("detail-photo").AttrOr("src", "")
	h.wait(ca, 2*time.Hour)
	wantStatus(t, ca.get("/platform/applications/"+number+"/form.pdf"), http.StatusOK)

	cb := h.client()
	cb.login(h.teacher())
	base := "/platform/applications/" + number
	for _, tc := range []struct{ method, path string }{
		{"GET", base}, {"GET", base + "/notes"}, {"GET", base + "/edit"}, {"POST", base + "/edit"},
		{"GET", base + "/withdraw"}, {"POST", base + "/withdraw"}, {"GET", base + "/form"},
		{"GET", base + "/form.pdf"}, {"GET", base + "/messages"}, {"POST", base + "/messages/read"},
		{"GET", photoSrc}, {"GET", "/platform/applications/2026449999999999"}, {"GET", "/platform/photos/" + strings.Repeat("0", 64)},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			var r *response
			if tc.method == "GET" {
				r = cb.get(tc.path)
			} else {
				r = cb.post(tc.path, url.Values{"version": {"1"}, "action": {"save"}})
			}
			wantStatus(t, r, http.StatusNotFound)
			if strings.Contains(r.Body, number) && tc.path != photoSrc {
				t.Errorf("the 404 page shows the number")
			}
		})
	}
	// A still has everything.
	app, err := h.Store.Application(context.Background(), number)
	if err != nil || app.Status != registration.StatusPending {
		t.Errorf("A's application changed: %v %v", err, app.Status)
	}
}

// wait moves the clock by d while the browser stays active (a request every 20 minutes keeps the
// session inside its 30-minute idle limit).
func (h *regHarness) wait(c *client, d time.Duration) {
	h.t.Helper()
	for d > 0 {
		step := min(d, 20*time.Minute)
		h.Clock.Advance(step)
		d -= step
		wantStatus(h.t, c.get("/platform"), http.StatusOK)
	}
}

func TestApplicantSeesTheHistoryWithRolesButNoStaffNames(t *testing.T) {
	h := newReviewHarness(t)
	point, pointSecret := h.demoStaff(pointUser)
	authority, authSecret := h.demoStaff(authorityUser)
	a, ap := h.newApp(point.PointID, registration.StatusPending)

	pc := h.staffLogin(pointUser, pointSecret)
	wantStatus(t, pc.post("/review/confirm", url.Values{"number": {a.Number}, "v_" + a.Number: {"1"}, "from": {"detail"}}), http.StatusSeeOther)
	ac := h.staffLogin(authorityUser, authSecret)
	const note = "培训学时不足360学时"
	wantStatus(t, h.decide(ac, a.Number, registration.StatusDeferred, note), http.StatusSeeOther)

	c := h.client()
	c.login(ap)
	r := c.get("/platform/applications/" + a.Number)
	wantStatus(t, r, http.StatusOK)
	type row struct{ at, actor, from, to, note string }
	var rows []row
	r.find("history").Find(`[data-testid="history-row"]`).Each(func(_ int, s *goquery.Selection) {
		cell := func(id string) string { return strings.TrimSpace(s.Find(`[data-testid="` + id + `"]`).Text()) }
		rows = append(rows, row{cell("history-at"), cell("history-actor"), cell("history-from"), cell("history-to"), cell("history-note")})
	})
	if len(rows) != 3 {
		t.Fatalf("history has %d rows, want submission, confirmation and decision: %+v", len(rows), rows)
	}
	want := []row{
		{actor: "申请人", from: "—", to: "网报待确认", note: "提交报名"},
		{actor: "确认点", from: "网报待确认", to: "已确认", note: "现场确认通过"},
		{actor: "注册机构", from: "已确认", to: "暂缓注册", note: note},
	}
	at := h.Clock.Now().In(registration.CST)
	for i, w := range want {
		got := rows[i]
		if got.actor != w.actor || got.from != w.from || got.to != w.to || got.note != w.note {
			t.Errorf("row %d = %+v, want %+v", i, got, w)
		}
		if tm, err := time.ParseInLocation("2006-01-02 15:04", got.at, registration.CST); err != nil || tm.After(at) {
			t.Errorf("row %d time %q (%v), want CST minutes not after %s", i, got.at, err, at.Format("2006-01-02 15:04"))
		}
	}
	for _, secret := range []string{pointUser, authorityUser, point.Name, authority.Name} {
		if strings.Contains(r.Body, secret) {
			t.Errorf("the applicant's detail page shows the staff member %q", secret)
		}
	}
	if p := c.get("/platform/applications/" + a.Number + "/form"); p.find("history").Length() != 0 {
		t.Error("the form preview shows the history")
	}
}
