package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/registration"
)

func TestPlatformPagesRenderForAnApplicant(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	for _, tc := range []struct {
		path, testID string
	}{
		{"/platform", "platform"},
		{"/platform/notice", "notice"},
		{"/platform/windows", "window-search"},
		{"/platform/applications", "no-applications"},
		{"/platform/schools?q=师范", "schools"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := c.get(tc.path)
			wantStatus(t, r, http.StatusOK)
			if r.find(tc.testID).Length() == 0 {
				t.Errorf("no [data-testid=%s]\n%s", tc.testID, snippet(r.Body))
			}
			// Pages with personal data stay out of htmx's history cache.
			if private := r.Doc.Find(`[hx-history="false"]`).Length() == 1; private != (tc.path != "/platform/notice" && !strings.HasPrefix(tc.path, "/platform/schools")) {
				t.Errorf("hx-history=false present: %v", private)
			}
			frag := c.get(tc.path, "HX-Request", "true")
			if frag.find("site-header").Length() != 0 || frag.find(tc.testID).Length() == 0 {
				t.Errorf("HTMX request did not get the fragment")
			}
		})
	}
}

func TestPlatformNeedsLogin(t *testing.T) {
	h := newRegHarness(t)
	for _, p := range []string{"/platform", "/platform/windows", "/platform/wizard", "/platform/applications"} {
		r := h.client().get(p)
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("GET %s logged out: %d %q, want a redirect to /login", p, r.StatusCode, r.Header.Get("Location"))
		}
	}
}

func TestWindowSearchCascadesAndShowsEveryWindowMessage(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	options := func(r *response, name string) []string {
		var out []string
		r.Doc.Find(`select[name="` + name + `"] option`).Each(func(_ int, s *goquery.Selection) {
			if v := s.AttrOr("value", ""); v != "" {
				out = append(out, v)
			}
		})
		return out
	}
	r := c.get("/platform/windows?province=44", "HX-Request", "true")
	if got := options(r, "city"); strings.Join(got, ",") != "440100,440300" {
		t.Errorf("cities of 44: %v", got)
	}
	if got := options(r, "stage"); len(got) != 0 {
		t.Errorf("stages offered before a city: %v", got)
	}
	// A city of another province is dropped when the province changes.
	r = c.get("/platform/windows?province=45&city=440100&stage=2")
	if r.Doc.Find(`select[name="city"] option[selected]`).Length() != 0 || r.find("window-result").Length() != 0 {
		t.Errorf("a stale city survived the province change")
	}
	r = c.get("/platform/windows?province=44&city=440100&stage=2")
	wantStatus(t, r, http.StatusOK)
	if n := r.find("window-result").Length(); n != 2 {
		t.Fatalf("results for 广州 primary: %d, want 2 authorities", n)
	}
	if r.find("window-opens").First().Text() == "" || r.find("point-scope").Length() == 0 || r.find("choose-point").Length() == 0 {
		t.Errorf("open window lacks dates, scopes or the 报名 button")
	}
	r = c.get("/platform/windows?province=44&city=440100&stage=2&authority=" + h.id("gz-th"))
	if n := r.find("window-result").Length(); n != 1 || r.text("authority-name") != "广州市天河区教育局" {
		t.Errorf("authority filter: %d results, %q", n, r.text("authority-name"))
	}
	for _, tc := range []struct{ query, want string }{
		{"province=44&city=440300&stage=2", "还未到网报时间"},
		{"province=45&city=450100&stage=2", "网报时间已截止"},
		{"province=11&city=110100", "未查询到网报时间"},
	} {
		r := c.get("/platform/windows?" + tc.query)
		got := r.text("window-message") + r.text("no-plan")
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: message %q, want %q", tc.query, got, tc.want)
		}
		if strings.Contains(tc.want, "网报") && r.find("choose-point").Length() != 0 && tc.want != "" {
			t.Errorf("%s: a closed window offers 定期注册报名", tc.query)
		}
	}
}

func TestChoosingAPointOfAClosedWindowIsRefused(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	r := c.post("/platform/wizard/start", url.Values{"window": {h.id("nn-edu-2")}, "point": {h.id("p-nn-edu-1")}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.text("window-error"), "网报时间已截止") {
		t.Errorf("error %q", r.text("window-error"))
	}
	r = c.post("/platform/wizard/start", url.Values{"window": {h.Window}, "point": {h.id("p-nn-edu-1")}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
}

func TestWizardStepsShowEveryErrorInlineAndInTheSummary(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	both := func(t *testing.T, r *response, fields ...string) {
		t.Helper()
		inline, summary := errorsOf(r), summaryOf(r)
		for _, f := range fields {
			if inline[f] == "" || summary[f] == "" {
				t.Errorf("field %s: inline %q, summary %q", f, inline[f], summary[f])
			}
		}
	}
	h.wizardTo(c, registration.StepAgreement)
	r := c.post("/platform/wizard", url.Values{"step": {"1"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantStep(t, r, registration.StepAgreement)
	both(t, r, "agree")

	wantStatus(t, c.post("/platform/wizard", url.Values{"step": {"1"}, "agree": {"1"}}), http.StatusSeeOther)
	bad := merge(infoValues(), url.Values{"step": {"2"}})
	bad.Set(form.FieldPostcode, "51000")
	bad.Set(form.FieldGraduationDate, "2031-02-30")
	bad.Del(form.FieldEducation)
	r = c.post("/platform/wizard", bad)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantStep(t, r, registration.StepInformation)
	both(t, r, "certificate", form.FieldPostcode, form.FieldGraduationDate, form.FieldEducation, form.FieldPhoto)
	// What was typed is shown again.
	if got := r.Doc.Find(`input[name="major"]`).AttrOr("value", ""); got != "汉语言文学" {
		t.Errorf("major refilled as %q", got)
	}
	// Manual entry of a certificate that syncs is refused with the manual's reason.
	man := merge(bad, url.Values{"manual": {"1"}, "manual_number": {"20154400121000999"}, "manual_issued": {"2015-07-01"}})
	r = c.post("/platform/wizard", man)
	both(t, r, "manual_number")
	if r.find("unsynced-reasons").Find("li").Length() == 0 {
		t.Errorf("the reasons a certificate may not sync are not shown")
	}
}

func TestWizardAuthorityAndCommitmentErrors(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	h.wizardTo(c, registration.StepAuthority)
	r := c.get("/platform/wizard")
	wantStep(t, r, registration.StepAuthority)
	// Step 0 pre-filled step 3.
	if got := r.Doc.Find(`select[name="authority"] option[selected]`).AttrOr("value", ""); got != h.Authority {
		t.Errorf("authority pre-filled as %q", got)
	}
	r = c.post("/platform/wizard", url.Values{"step": {"3"}, "province": {"44"}, "city": {"440100"}, "authority": {h.Authority}, "point": {h.Point}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if errorsOf(r)["subject"] == "" || summaryOf(r)["subject"] == "" {
		t.Errorf("missing subject not reported: %v", errorsOf(r))
	}
	// The cascading refresh (GET with the typed values) narrows the points without saving.
	r = c.get("/platform/wizard?step=3&province=44&city=440100&subject=01&authority="+h.id("gz-th"), "HX-Request", "true")
	if r.find("site-header").Length() != 0 {
		t.Errorf("HTMX refresh got the whole page")
	}
	if got := r.Doc.Find(`select[name="point"] option[value="` + h.id("p-gz-th-2") + `"]`).Length(); got != 1 {
		t.Errorf("天河 points not offered after choosing 天河")
	}
	h.wizardTo(c, registration.StepCommitment)
	r = c.post("/platform/wizard", url.Values{"step": {"6"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if errorsOf(r)["commitment"] == "" || summaryOf(r)["commitment"] == "" {
		t.Errorf("commitment error not shown")
	}
}

func TestInlineValidationReturnsTheFieldFragment(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	v := merge(infoValues(), url.Values{"_field": {form.FieldPostcode}})
	v.Set(form.FieldPostcode, "12")
	r := c.post("/platform/wizard/validate", v, "HX-Request", "true")
	wantStatus(t, r, http.StatusOK)
	if r.find("site-header").Length() != 0 || r.find("field-"+form.FieldPostcode).Length() != 1 {
		t.Fatalf("not the field fragment:\n%s", snippet(r.Body))
	}
	if errorsOf(r)[form.FieldPostcode] == "" {
		t.Errorf("no inline error for a 2-digit postcode")
	}
	v.Set(form.FieldPostcode, "510000")
	r = c.post("/platform/wizard/validate", v, "HX-Request", "true")
	if len(errorsOf(r)) != 0 {
		t.Errorf("valid postcode shows %v", errorsOf(r))
	}
	r = c.post("/platform/wizard/validate", url.Values{"_field": {"nope"}})
	wantStatus(t, r, http.StatusBadRequest)
}

// A date input fires change while its day is still being typed, so date fields are checked
// when they are left; other fields on change.
func TestInlineValidationOfDatesWaitsUntilTheFieldIsLeft(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	for _, tc := range []struct {
		field, trigger string
	}{
		{form.FieldGraduationDate, "blur changed"},
		{form.FieldWorkStart, "blur changed"},
		{form.FieldEmploymentStart, "blur changed"},
		{form.FieldPostcode, "change delay:200ms"},
		{form.FieldEducation, "change delay:200ms"},
	} {
		v := merge(infoValues(), url.Values{"_field": {tc.field}})
		r := c.post("/platform/wizard/validate", v, "HX-Request", "true")
		wantStatus(t, r, http.StatusOK)
		in := r.find("field-" + tc.field).Find(`[name="` + tc.field + `"]`)
		if in.Length() != 1 {
			t.Fatalf("%s: no input in the field fragment:\n%s", tc.field, snippet(r.Body))
		}
		if got, _ := in.Attr("hx-trigger"); got != tc.trigger {
			t.Errorf("%s: hx-trigger = %q, want %q", tc.field, got, tc.trigger)
		}
	}
}

func TestWizardDraftSurvivesLogoutAndANewBrowser(t *testing.T) {
	h := newRegHarness(t)
	a := h.teacher()
	c := h.client()
	c.login(a)
	h.wizardTo(c, registration.StepInformation)
	typed := merge(infoValues(), url.Values{"step": {"2"}})
	wantStatus(t, c.post("/platform/wizard", typed), http.StatusUnprocessableEntity) // no photo yet: kept anyway
	wantStatus(t, c.post("/logout", url.Values{}), http.StatusSeeOther)

	c2 := h.client()
	c2.login(a)
	r := c2.get("/platform")
	if r.find("continue-wizard").Length() != 1 {
		t.Errorf("platform does not offer to continue the draft")
	}
	r = c2.get("/platform/wizard")
	wantStep(t, r, registration.StepInformation)
	if got := r.Doc.Find(`input[name="school"]`).AttrOr("value", ""); got != "广州市越秀区第一小学" {
		t.Errorf("typed school after a new login: %q", got)
	}
}

func TestWizardRefusesAnOutOfOrderPost(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	a := h.teacher()
	c = h.client()
	c.login(a)
	h.wizardTo(c, registration.StepAgreement)
	for _, step := range []string{"4", "6", "9", ""} {
		r := c.post("/platform/wizard", url.Values{"step": {step}, "commitment": {"agree"}})
		wantStatus(t, r, http.StatusConflict)
		wantStep(t, r, registration.StepAgreement)
		if r.text("wizard-message") == "" {
			t.Errorf("step %q: no message", step)
		}
	}
	if n, _ := h.Store.ApplicationsOf(context.Background(), strconv.FormatInt(a.ID, 10)); len(n) != 0 {
		t.Errorf("an application exists")
	}
}

func TestWizardBackKeepsWhatWasTyped(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	h.wizardTo(c, registration.StepInformation)
	r := c.post("/platform/wizard/back", merge(infoValues(), url.Values{"step": {"2"}}))
	wantStatus(t, r, http.StatusSeeOther)
	r = c.get("/platform/wizard")
	wantStep(t, r, registration.StepAgreement)
	if r.Doc.Find(`input[name="agree"][checked]`).Length() != 1 {
		t.Errorf("agreement tick lost")
	}
	wantStatus(t, c.post("/platform/wizard", url.Values{"step": {"1"}, "agree": {"1"}}), http.StatusSeeOther)
	r = c.get("/platform/wizard")
	if got := r.Doc.Find(`input[name="major"]`).AttrOr("value", ""); got != "汉语言文学" {
		t.Errorf("typed major after going back: %q", got)
	}
}

func TestReviewEditLinkGoesBackAndKeepsEverything(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	h.wizardTo(c, registration.StepReview)
	r := c.get("/platform/wizard")
	wantStep(t, r, registration.StepReview)
	if n := r.find("edit-section").Length(); n < 4 {
		t.Fatalf("review has %d 修改 links", n)
	}
	if !strings.Contains(r.Body, "华南师范大学") || !strings.Contains(r.Body, "本科") && !strings.Contains(r.Body, "大学") {
		t.Errorf("review lacks the typed information")
	}
	r = c.post("/platform/wizard/goto", url.Values{"step": {"4"}, "to": {"2"}}, "HX-Request", "true")
	wantStatus(t, r, http.StatusOK)
	wantStep(t, r, registration.StepInformation)
	if got := r.Doc.Find(`input[name="postcode"]`).AttrOr("value", ""); got != "510000" {
		t.Errorf("postcode after 修改: %q", got)
	}
	if r.find("photo-preview").Length() != 1 {
		t.Errorf("photo lost after 修改")
	}
}

func TestDisagreeingAbandonsTheDraft(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	h.wizardTo(c, registration.StepCommitment)
	r := c.post("/platform/wizard", url.Values{"step": {"6"}, "commitment": {"disagree"}})
	wantStatus(t, r, http.StatusSeeOther)
	if r.Header.Get("Location") != "/platform" {
		t.Errorf("redirect to %q", r.Header.Get("Location"))
	}
	if r := c.get("/platform/wizard"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("draft still there: %d", r.StatusCode)
	}
	if r := c.get("/platform/applications"); r.find("application-row").Length() != 0 {
		t.Errorf("an application was created")
	}
}

func TestPhotoUploadChecksAdjustsAndRefusesLargeFiles(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	h.wizardTo(c, registration.StepInformation)
	base := merge(infoValues(), url.Values{"step": {"2"}, "certificate": {firstCert(c)}})
	r := c.postMultipart("/platform/wizard", merge(base, url.Values{"action": {"upload"}}), "photo_file", "me.jpg", portrait(400, 560), "HX-Request", "true")
	wantStatus(t, r, http.StatusOK)
	if r.find("site-header").Length() != 0 {
		t.Errorf("HTMX upload got the whole page")
	}
	if r.find("photo-problem").Length() == 0 || r.find("photo-autofix").Length() != 1 {
		t.Fatalf("problems or 自动调整 missing\n%s", snippet(r.Body))
	}
	key := r.Doc.Find(`input[name="photo"]`).AttrOr("value", "")
	img := c.get("/platform/photos/" + key)
	wantStatus(t, img, http.StatusOK)
	if img.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("photo served as %q", img.Header.Get("Content-Type"))
	}
	r = c.postMultipart("/platform/wizard", merge(base, url.Values{"action": {"autofix"}, "photo": {key}}), "", "", nil)
	wantStatus(t, r, http.StatusOK)
	if r.find("photo-ok").Length() != 1 {
		t.Fatalf("自动调整 did not give a passing photo\n%s", snippet(r.Body))
	}
	wantStep(t, r, registration.StepInformation)
	// Not an image.
	r = c.postMultipart("/platform/wizard", merge(base, url.Values{"action": {"upload"}}), "photo_file", "x.jpg", []byte("GIF89a not a photo"))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if errorsOf(r)["photo"] == "" {
		t.Errorf("no photo error for a non-image")
	}
	// Over the body limit: refused before parsing, the step shown again with the reason.
	r = c.postMultipart("/platform/wizard", merge(base, url.Values{"action": {"upload"}}), "photo_file", "big.jpg", bytes.Repeat([]byte{0xFF}, 300<<10))
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	wantStep(t, r, registration.StepInformation)
	if !strings.Contains(errorsOf(r)["photo"], "200KB") {
		t.Errorf("large-file error %q", errorsOf(r)["photo"])
	}
}

func TestSchoolSearchAndNewSchool(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	r := c.get("/platform/schools?q=师范")
	if r.find("school").Length() < 3 || r.find("site-header").Length() != 1 {
		t.Errorf("school search page without scripts: %d schools", r.find("school").Length())
	}
	r = c.get("/platform/schools/options?graduation_school=师范", "HX-Request", "true")
	if n := r.find("school-option").Length(); n < 3 {
		t.Errorf("school search found %d", n)
	}
	key := h.wizardTo(c, registration.StepAuthority)
	_ = key
	// A school added at step 2 is found afterwards.
	c2 := h.client()
	b := h.teacher()
	c2.login(b)
	h.wizardTo(c2, registration.StepInformation)
	v := merge(infoValues(), url.Values{"step": {"2"}, "certificate": {firstCert(c2)}, "action": {"upload"},
		form.FieldGraduationSchool: {"某某县师范学校"}, form.FieldNewSchool: {"1"}, form.FieldNewSchoolType: {"1"}})
	r = c2.postMultipart("/platform/wizard", v, "photo_file", "me.jpg", goodPhoto(t))
	v.Set("photo", r.Doc.Find(`input[name="photo"]`).AttrOr("value", ""))
	v.Set("action", "next")
	r = c2.post("/platform/wizard", v)
	wantStatus(t, r, http.StatusSeeOther)
	r = c2.get("/platform/schools/options?graduation_school=某某县", "HX-Request", "true")
	if r.find("school-option").Length() != 1 {
		t.Errorf("added school not found")
	}
}
