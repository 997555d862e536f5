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
	"sync/atomic"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/photo"
	"github.com/tqreg/tqreg/registration"
)

// regHarness is a portal whose 定期注册 pages run on its store (SQLite in a temp dir) seeded with
// the test catalogue (seedTestCatalogue: windows open around the harness clock) and a few
// graduation schools.
type regHarness struct {
	*harness
	// Window, Point and Authority are the ids the wizard helpers choose (广州市教育局, primary
	// school, open now).
	Window, Point, Authority string
	// ids are the store's ids of the test catalogue's names ("gz-th", "p-nn-edu-1", "nn-edu-2").
	ids map[string]string
}

func newRegHarness(t *testing.T) *regHarness {
	t.Helper()
	h := newHarness(t)
	ids := seedTestCatalogue(t, h.Store, h.Clock.Now())
	return &regHarness{harness: h, ids: ids, Window: ids["gz-edu-2"], Point: ids["p-gz-edu-1"], Authority: ids["gz-edu"]}
}

// id is the store's id of a test catalogue name.
func (h *regHarness) id(name string) string {
	h.t.Helper()
	id, ok := h.ids[name]
	if !ok {
		h.t.Fatalf("no %q in the test catalogue", name)
	}
	return id
}

// seedTestCatalogue stores, in one transaction, a small catalogue with windows around now:
// Guangdong (Guangzhou with two authorities, Shenzhen whose window has not opened yet), Guangxi
// (Nanning, whose window has closed) and Beijing (no authority, so no plan), so every message of
// the window query can be seen; and six graduation schools. It returns the store's ids by name:
// authorities "gz-edu", "gz-th", "sz-edu", "nn-edu"; points "p-<authority>-<n>"; windows
// "<authority>-<stage code>".
func seedTestCatalogue(t *testing.T, st *store.Store, now time.Time) map[string]string {
	t.Helper()
	day := 24 * time.Hour
	open := [2]time.Time{now.Add(-10 * day).Truncate(time.Hour), now.Add(30 * day).Truncate(time.Hour)}
	notYet := [2]time.Time{now.Add(20 * day).Truncate(time.Hour), now.Add(50 * day).Truncate(time.Hour)}
	closed := [2]time.Time{now.Add(-60 * day).Truncate(time.Hour), now.Add(-20 * day).Truncate(time.Hour)}
	type point struct {
		name, scopeText, address, notes string
		scope                           registration.Scope
	}
	authorities := []struct {
		key, name, province, city string
		stages                    []registration.Stage
		window                    [2]time.Time
		points                    []point
	}{
		{"gz-edu", "广州市教育局", "44", "440100", registration.Stages, open, []point{
			{"广州市教师发展中心确认点", "广州市直属中小学及中等职业学校教师", "广州市越秀区", "请携带身份证原件、教师资格证书原件及申请表。", registration.Scope{}},
		}},
		{"gz-th", "广州市天河区教育局", "44", "440100", []registration.Stage{registration.StageKindergarten, registration.StagePrimary, registration.StageJuniorMiddle}, open, []point{
			{"天河区教师发展中心确认点", "天河区公办中小学、幼儿园教师", "广州市天河区", "", registration.Scope{Districts: []string{"440106"}}},
			{"天河区民办学校确认点", "天河区民办中小学、幼儿园教师", "广州市天河区", "", registration.Scope{}},
		}},
		{"sz-edu", "深圳市教育局", "44", "440300", registration.Stages, notYet, []point{
			{"深圳市教育局确认点", "深圳市中小学、幼儿园教师", "深圳市福田区", "", registration.Scope{}},
		}},
		{"nn-edu", "南宁市教育局", "45", "450100", registration.Stages, closed, []point{
			{"南宁市教育局确认点", "南宁市中小学、幼儿园教师", "南宁市青秀区", "", registration.Scope{}},
		}},
	}
	ids := map[string]string{}
	err := st.RunInTx(context.Background(), func(ctx context.Context, tx *store.Store) error {
		for _, p := range []registration.Province{{Code: "44", Name: "广东省"}, {Code: "45", Name: "广西壮族自治区"}, {Code: "11", Name: "北京市"}} {
			if err := tx.AddProvince(ctx, p); err != nil {
				return err
			}
		}
		for _, c := range []registration.City{{Code: "440100", Name: "广州市", Province: "44"}, {Code: "440300", Name: "深圳市", Province: "44"},
			{Code: "450100", Name: "南宁市", Province: "45"}, {Code: "110100", Name: "北京市", Province: "11"}} {
			if err := tx.AddCity(ctx, c); err != nil {
				return err
			}
		}
		for _, a := range authorities {
			auth, err := tx.SaveAuthority(ctx, registration.Authority{Name: a.name, Province: a.province, City: a.city, Stages: a.stages, Kinds: certificate.Kinds()})
			if err != nil {
				return err
			}
			ids[a.key] = auth.ID
			for i, p := range a.points {
				pt, err := tx.SaveConfirmationPoint(ctx, registration.ConfirmationPoint{AuthorityID: auth.ID, Name: p.name,
					ScopeText: p.scopeText, Scope: p.scope, Address: p.address, Notes: p.notes})
				if err != nil {
					return err
				}
				ids["p-"+a.key+"-"+strconv.Itoa(i+1)] = pt.ID
			}
			for _, stage := range a.stages {
				w, err := tx.SaveWindow(ctx, registration.Window{AuthorityID: auth.ID, Stage: stage, Opens: a.window[0], Closes: a.window[1]})
				if err != nil {
					return err
				}
				ids[a.key+"-"+strconv.Itoa(int(stage))] = w.ID
			}
		}
		for _, name := range []string{"北京师范大学", "华南师范大学", "华东师范大学", "广州大学", "广西师范大学", "南宁师范大学"} {
			if _, err := tx.AddSchool(ctx, store.School{Name: name, Type: form.SchoolTypeRegularHigher}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed the test catalogue: %v", err)
	}
	return ids
}

var testCertNumber = certificate.MustParseNumber("20154400121000123")

var certSeq atomic.Int64

// teacher creates an applicant with one synced primary-school certificate (the first teacher's
// is testCertNumber; the store wants every number once).
func (h *regHarness) teacher() applicant {
	h.t.Helper()
	a := h.createApplicant()
	n := testCertNumber
	if k := certSeq.Add(1); k > 1 {
		n = certificate.MustParseNumber(fmt.Sprintf("201544001210%05d", k))
	}
	err := h.Store.AddCertificate(context.Background(), certificate.Certificate{
		Number: n, HolderName: a.Name, DocType: account.DocResidentID, DocNumber: a.DocNumber,
		Kind: n.Kind(), Subject: "语文", Authority: "广州市教育局",
		Issued: h.Clock.Now().AddDate(-11, 0, 0),
	}, 0)
	if err != nil {
		h.t.Fatalf("AddCertificate: %v", err)
	}
	return a
}

// portrait is a JPEG of a grey figure on white, w×h pixels (not to spec unless normalised).
func portrait(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 255, 255, 255}
			dx, dy := x-w/2, y-h*2/5
			if dx*dx+dy*dy < (w/5)*(w/5) || (y > h*3/5 && x > w/5 && x < w*4/5) {
				c = color.RGBA{uint8(60 + x%40), uint8(70 + y%30), 90, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	return buf.Bytes()
}

// goodPhoto is a photo that passes the registration spec.
func goodPhoto(t *testing.T) []byte {
	t.Helper()
	return goodPhotoFrom(t, portrait(400, 560))
}

// goodPhotoFrom normalises a picture into a photo that passes the spec.
func goodPhotoFrom(t *testing.T, src []byte) []byte {
	t.Helper()
	out, err := photo.Normalize(src, photo.Registration)
	if err != nil {
		t.Fatal(err)
	}
	if rep := photo.Registration.Check(out); !rep.OK() {
		t.Fatalf("normalised portrait fails the check: %+v", rep.Problems)
	}
	return out
}

// infoValues is a valid information form (step 2) for the test teacher.
func infoValues() url.Values {
	return url.Values{
		form.FieldMandarinNumber:   {"4400000000123"},
		form.FieldMandarinLevel:    {"21"},
		form.FieldEducation:        {"21"},
		form.FieldMajorCategory:    {"1"},
		form.FieldDegree:           {"4"},
		form.FieldMajor:            {"汉语言文学"},
		form.FieldGraduationSchool: {"华南师范大学"},
		form.FieldGraduationDate:   {"2007-07-01"},
		form.FieldStudyMode:        {"1"},
		form.FieldSchool:           {"广州市越秀区第一小学"},
		form.FieldSchoolOwnership:  {"1"},
		form.FieldSchoolLocation:   {"广东省广州市越秀区"},
		form.FieldWorkStart:        {"2007-09-01"},
		form.FieldEmploymentStart:  {"2007-09-01"},
		form.FieldTeacherTitle:     {"3"},
		form.FieldPostType:         {"1"},
		form.FieldPolitical:        {"13"},
		form.FieldHousehold:        {"广东省广州市"},
		form.FieldAddress:          {"广东省广州市越秀区某路1号"},
		form.FieldPostcode:         {"510000"},
	}
}

// postMultipart submits a multipart form with one file as a same-origin browser would.
func (c *client) postMultipart(path string, fields url.Values, fileField, fileName string, data []byte, hdr ...string) *response {
	c.h.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if fileField != "" {
		fw, _ := mw.CreateFormFile(fileField, fileName)
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	return c.do(http.MethodPost, path, &buf, mw.FormDataContentType(), hdr...)
}

func merge(vs ...url.Values) url.Values {
	out := url.Values{}
	for _, v := range vs {
		for k, x := range v {
			out[k] = append([]string(nil), x...)
		}
	}
	return out
}

func wantStep(t *testing.T, r *response, step registration.Step) {
	t.Helper()
	if got := r.find("wizard-step").AttrOr("data-step", ""); got != strconv.Itoa(int(step)) {
		t.Fatalf("%s %s: wizard shows step %q, want %d (status %d)\n%s", r.Request.Method, r.Request.URL.Path, got, step, r.StatusCode, snippet(r.Body))
	}
	if r.Doc.Find(`[hx-history="false"]`).Length() != 1 {
		t.Errorf("wizard step %d may enter htmx's history cache", step)
	}
}

// wizardTo drives a logged-in client's wizard to step s (1..7) with valid data; it returns the
// photo key used at step 2 (when reached).
func (h *regHarness) wizardTo(c *client, s registration.Step) string {
	h.t.Helper()
	r := c.post("/platform/wizard/start", url.Values{"window": {h.Window}, "point": {h.Point}})
	wantStatus(h.t, r, http.StatusSeeOther)
	if s == registration.StepAgreement {
		return ""
	}
	wantStatus(h.t, c.post("/platform/wizard", url.Values{"step": {"1"}, "agree": {"1"}}), http.StatusSeeOther)
	if s == registration.StepInformation {
		return ""
	}
	cert := c.get("/platform/wizard").Doc.Find(`input[name="certificate"]`).First().AttrOr("value", "")
	step2 := merge(infoValues(), url.Values{"step": {"2"}, "certificate": {cert}, "action": {"upload"}})
	r = c.postMultipart("/platform/wizard", step2, "photo_file", "me.jpg", goodPhoto(h.t))
	wantStatus(h.t, r, http.StatusOK)
	key := r.Doc.Find(`input[name="photo"]`).AttrOr("value", "")
	if key == "" || r.find("photo-ok").Length() != 1 {
		h.t.Fatalf("upload did not show an accepted photo\n%s", snippet(r.Body))
	}
	step2.Set("photo", key)
	step2.Set("action", "next")
	r = c.post("/platform/wizard", step2)
	wantStatus(h.t, r, http.StatusSeeOther)
	if s == registration.StepAuthority {
		return key
	}
	r = c.post("/platform/wizard", url.Values{"step": {"3"}, "province": {"44"}, "city": {"440100"}, "subject": {"01"}, "authority": {h.Authority}, "point": {h.Point}})
	wantStatus(h.t, r, http.StatusSeeOther)
	for st := registration.StepReview; st < s && st < registration.StepCommitment; st++ {
		wantStatus(h.t, c.post("/platform/wizard", url.Values{"step": {strconv.Itoa(int(st))}}), http.StatusSeeOther)
	}
	if s == registration.StepReminder {
		wantStatus(h.t, c.post("/platform/wizard", url.Values{"step": {"6"}, "commitment": {"agree"}}), http.StatusSeeOther)
	}
	return key
}

// submit drives the wizard to the end and returns the application number.
func (h *regHarness) submit(c *client) string {
	h.t.Helper()
	h.wizardTo(c, registration.StepReminder)
	r := c.get("/platform/wizard")
	wantStep(h.t, r, registration.StepReminder)
	n := r.text("application-number")
	if _, err := registration.ParseApplicationNumber(n); err != nil {
		h.t.Fatalf("application number %q: %v", n, err)
	}
	return n
}

// firstCert is the first certificate offered at step 2 (the client's wizard must be there).
func firstCert(c *client) string {
	return c.get("/platform/wizard").Doc.Find(`input[name="certificate"]`).First().AttrOr("value", "")
}
