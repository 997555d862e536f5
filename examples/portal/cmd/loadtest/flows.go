package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"
	"github.com/tqreg/tqreg/examples/portal/cmd/loadtest/loadgen"
	"github.com/tqreg/tqreg/form"
)

// Endpoint names of the report.
const (
	epLoginPage   = "GET /login"
	epCaptchaHook = "GET /_loadtest/captcha"
	epLogin       = "POST /login"
	epPlatform    = "GET /platform"
	epWindows     = "GET /platform/windows"
	epWindowsHX   = "GET /platform/windows (htmx)"
	epStart       = "POST /platform/wizard/start"
	epStep        = "POST /platform/wizard"
	epUpload      = "POST /platform/wizard (photo)"
	epSubmit      = "POST /platform/wizard (submit)"
	epStatus      = "GET /platform/applications"
	epPDF         = "GET …/form.pdf"
	epStaffLogin  = "POST /review/login"
	epStaffTOTP   = "POST /review/login/totp"
	epQueue       = "GET /review/queue"
	epConfirm     = "POST /review/confirm"
	epDetail      = "GET /review/applications/{n}"
	epDecide      = "POST …/decide"
	epBare        = "floor: bare net/http page"
)

var errFlow = errors.New("unexpected page")

func flowErr(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errFlow}, a...)...)
}

// login logs u in through the login page, the load-test captcha hook and the login form.
func login(ctx context.Context, b *browser, u loadUser) error {
	p, err := b.get(ctx, epLoginPage, "/login", navigate, http.StatusOK)
	if err != nil {
		return err
	}
	f := p.Doc().Find(`form[action="/login"]`).First()
	if f.Length() == 0 {
		return flowErr("login page without a login form")
	}
	v := loadgen.FormValues(f)
	hook, err := b.get(ctx, epCaptchaHook, "/_loadtest/captcha", subresource, http.StatusOK)
	if err != nil {
		if hook != nil && hook.Status == http.StatusNotFound {
			return fmt.Errorf("%w (build the portal with -tags loadtest and run it with TQREG_LOADTEST_CAPTCHA=1)", err)
		}
		return err
	}
	id, answer, ok := strings.Cut(strings.TrimSpace(string(hook.Body)), " ")
	if !ok {
		return flowErr("captcha hook answered %q", hook.Body)
	}
	v.Set("captcha_id", id)
	v.Set("captcha_answer", answer)
	v.Set("doc_number", u.DocNumber)
	v.Set("password", loadPassword)
	p, err = b.post(ctx, epLogin, "/login", v, navigate, http.StatusOK)
	if err != nil {
		return err
	}
	if p.URL.Path != "/platform" {
		return flowErr("login ended on %s, want /platform", p.URL.Path)
	}
	return nil
}

// infoValues is a valid step-2 information form for a load user.
func infoValues() url.Values {
	return url.Values{
		form.FieldMandarinNumber:   {"4400000000123"},
		form.FieldMandarinLevel:    {"21"},
		form.FieldEducation:        {"21"},
		form.FieldMajorCategory:    {"1"},
		form.FieldDegree:           {"4"},
		form.FieldMajor:            {"数学与应用数学"},
		form.FieldGraduationSchool: {"华南师范大学"},
		form.FieldGraduationDate:   {"2007-07-01"},
		form.FieldStudyMode:        {"1"},
		form.FieldSchool:           {"广州市天河区第一中学"},
		form.FieldSchoolOwnership:  {"1"},
		form.FieldSchoolLocation:   {"广东省广州市天河区"},
		form.FieldWorkStart:        {"2007-09-01"},
		form.FieldEmploymentStart:  {"2007-09-01"},
		form.FieldTeacherTitle:     {"3"},
		form.FieldPostType:         {"1"},
		form.FieldPolitical:        {"13"},
		form.FieldHousehold:        {"广东省广州市"},
		form.FieldAddress:          {"广东省广州市天河区某路1号"},
		form.FieldPostcode:         {"510000"},
	}
}

// wizardForm returns the values of the page's main wizard form (posting to /platform/wizard).
func wizardForm(p *page) (url.Values, *goquery.Selection) {
	f := p.Doc().Find(`form[action="/platform/wizard"]`).First()
	return loadgen.FormValues(f), f
}

func wantStep(p *page, step int) error {
	got := p.Find("wizard-step").AttrOr("data-step", "")
	if got != strconv.Itoa(step) {
		msg := strings.TrimSpace(p.Find("error-summary").Text())
		return flowErr("wizard at step %q, want %d %s", got, step, msg)
	}
	return nil
}

// toInformation runs the window query (the page, then the cascading selects as htmx swaps),
// starts the wizard on the first confirmation point and agrees (step 1): it returns the step-2
// page.
func toInformation(ctx context.Context, b *browser) (*page, error) {
	// window query: the page, then the cascading selects as htmx swaps
	if _, err := b.get(ctx, epWindows, "/platform/windows", navigate, http.StatusOK); err != nil {
		return nil, err
	}
	if _, err := b.get(ctx, epWindowsHX, "/platform/windows?province=44", htmx, http.StatusOK); err != nil {
		return nil, err
	}
	if _, err := b.get(ctx, epWindowsHX, "/platform/windows?province=44&city=440100", htmx, http.StatusOK); err != nil {
		return nil, err
	}
	p, err := b.get(ctx, epWindowsHX, "/platform/windows?province=44&city=440100&stage=3", htmx, http.StatusOK)
	if err != nil {
		return nil, err
	}
	start := p.Doc().Find(`form[action="/platform/wizard/start"]`).First()
	if start.Length() == 0 {
		return nil, flowErr("window query without a 定期注册报名 button")
	}
	p, err = b.post(ctx, epStart, "/platform/wizard/start", loadgen.FormValues(start), navigate, http.StatusOK)
	if err != nil {
		return nil, err
	}
	if err := wantStep(p, 1); err != nil {
		return nil, err
	}
	if p, err = b.post(ctx, epStep, "/platform/wizard", url.Values{"step": {"1"}, "agree": {"1"}}, navigate, http.StatusOK); err != nil {
		return nil, err
	}
	if err := wantStep(p, 2); err != nil {
		return nil, err
	}
	return p, nil
}

// apply walks the whole wizard for a logged-in user and returns the application number.
// When stopBefore is true it stops at the commitment step (6) and returns "".
func apply(ctx context.Context, b *browser, u loadUser, photoJPEG []byte, stopBefore bool) (string, error) {
	p, err := toInformation(ctx, b)
	if err != nil {
		return "", err
	}
	v, _ := wizardForm(p)
	for k, x := range infoValues() {
		v[k] = x
	}
	v.Set("step", "2")
	if v.Get("certificate") == "" {
		v.Set("certificate", u.Cert)
	}
	v.Set("action", "upload")
	p, err = b.postMultipart(ctx, epUpload, "/platform/wizard", v, "photo_file", "photo.jpg", photoJPEG, http.StatusOK)
	if err != nil {
		return "", err
	}
	key := p.Doc().Find(`input[name="photo"]`).AttrOr("value", "")
	if key == "" {
		return "", flowErr("photo upload not accepted")
	}
	v.Set("photo", key)
	v.Set("action", "next")
	if p, err = b.post(ctx, epStep, "/platform/wizard", v, navigate, http.StatusOK); err != nil {
		return "", err
	}
	if err := wantStep(p, 3); err != nil {
		return "", err
	}
	v, f := wizardForm(p)
	for _, name := range []string{"province", "city", "subject", "authority", "point"} {
		if v.Get(name) == "" {
			if o := loadgen.FirstOption(f, name); o != "" {
				v.Set(name, o)
			}
		}
	}
	v.Set("district", "440106") // 天河区: inside the Tianhe point's scope
	v.Set("step", "3")
	if p, err = b.post(ctx, epStep, "/platform/wizard", v, navigate, http.StatusOK); err != nil {
		return "", err
	}
	for step := 4; step <= 5; step++ {
		if err := wantStep(p, step); err != nil {
			return "", err
		}
		if p, err = b.post(ctx, epStep, "/platform/wizard", url.Values{"step": {strconv.Itoa(step)}}, navigate, http.StatusOK); err != nil {
			return "", err
		}
	}
	if err := wantStep(p, 6); err != nil {
		return "", err
	}
	if stopBefore {
		return "", nil
	}
	return commit(ctx, b)
}

// commit posts the commitment (step 6): the submission transaction. It returns the number.
func commit(ctx context.Context, b *browser) (string, error) {
	p, err := b.post(ctx, epSubmit, "/platform/wizard", url.Values{"step": {"6"}, "commitment": {"agree"}}, navigate, http.StatusOK)
	if err != nil {
		return "", err
	}
	n := strings.TrimSpace(p.Find("application-number").Text())
	if len(n) != 14 {
		return "", flowErr("no application number after submission (step %s)", p.Find("wizard-step").AttrOr("data-step", "?"))
	}
	return n, nil
}

// status is 查询报名信息: the list must show number (when given).
func status(ctx context.Context, b *browser, number string) (*page, error) {
	p, err := b.get(ctx, epStatus, "/platform/applications", navigate, http.StatusOK)
	if err != nil {
		return p, err
	}
	if number != "" && !bytes.Contains(p.Body, []byte(number)) {
		return p, flowErr("status page does not list %s", number)
	}
	return p, nil
}

// downloadPDF fetches the application form.
func downloadPDF(ctx context.Context, b *browser, number string) error {
	p, err := b.get(ctx, epPDF, "/platform/applications/"+number+"/form.pdf", navigate, http.StatusOK)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(p.Body, []byte("%PDF")) {
		return flowErr("form.pdf is not a PDF (%s)", p.Header.Get("Content-Type"))
	}
	return nil
}

// staffLogin logs a reviewer in with password and TOTP. A code already used in this time
// step (another run a moment ago) is retried once in the next step.
func staffLogin(ctx context.Context, b *browser, s loadStaff) error {
	if _, err := b.get(ctx, "GET /review/login", "/review/login", navigate, http.StatusOK); err != nil {
		return err
	}
	p, err := b.post(ctx, epStaffLogin, "/review/login", url.Values{"username": {s.Username}, "password": {loadStaffPassword}}, navigate, http.StatusOK)
	if err != nil {
		return err
	}
	if p.URL.Path != "/review/login/totp" {
		return flowErr("staff login ended on %s", p.URL.Path)
	}
	for try := 0; try < 2; try++ {
		code, err := totp.GenerateCode(s.Secret, time.Now())
		if err != nil {
			return err
		}
		p, err = b.post(ctx, epStaffTOTP, "/review/login/totp", url.Values{"code": {code}}, navigate, 0)
		if err != nil {
			return err
		}
		if p.Status == http.StatusOK && strings.HasPrefix(p.URL.Path, "/review") && !strings.HasPrefix(p.URL.Path, "/review/login") {
			return nil
		}
		if p.Status != http.StatusUnprocessableEntity {
			break
		}
		wait := 30*time.Second - time.Duration(time.Now().Unix()%30)*time.Second + time.Second
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return flowErr("TOTP login failed: HTTP %d on %s", p.Status, p.URL.Path)
}

// confirmOne is a confirmation point's work: open the queue, confirm the pick-th application.
func confirmOne(ctx context.Context, b *browser, pick int) error {
	p, err := b.get(ctx, epQueue, "/review/queue", navigate, http.StatusOK)
	if err != nil {
		return err
	}
	boxes := p.Find("confirm-checkbox")
	if boxes.Length() == 0 {
		return nil // nothing to confirm yet
	}
	box := boxes.Eq(pick % boxes.Length())
	n := box.AttrOr("value", "")
	ver := p.Doc().Find(`input[name="v_`+n+`"]`).AttrOr("value", "")
	_, err = b.post(ctx, epConfirm, "/review/confirm", url.Values{"number": {n}, "v_" + n: {ver}}, navigate, 0)
	return err
}

// decideOne is an authority's work: open the queue, open one application, decide it.
func decideOne(ctx context.Context, b *browser, pick int) error {
	p, err := b.get(ctx, epQueue, "/review/queue", navigate, http.StatusOK)
	if err != nil {
		return err
	}
	links := p.Doc().Find(`a[href^="/review/applications/"]`)
	if links.Length() == 0 {
		return nil
	}
	href := links.Eq(pick%links.Length()).AttrOr("href", "")
	p, err = b.get(ctx, epDetail, href, navigate, http.StatusOK)
	if err != nil {
		return err
	}
	f := p.Find("decide-form")
	if f.Length() == 0 {
		return nil // not decidable (not confirmed yet)
	}
	v := loadgen.FormValues(f)
	if v.Get("conclusion") == "" {
		v.Set("conclusion", f.Find(`input[name="conclusion"]`).First().AttrOr("value", ""))
	}
	v.Set("note", "压测")
	_, err = b.post(ctx, epDecide, f.AttrOr("action", ""), v, navigate, 0)
	return err
}
