package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/pquerna/otp/totp"
	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/registration"
)

// applicantPerson is the teacher who registers in the test.
type applicantPerson struct {
	DocNumber, Name, Phone, Email, Password string
}

// TestEndToEnd drives the portal in a real headless Chromium the way the applicant manual and
// the reviewers' work describe it, against the real handlers over an SQLite store with the demo
// seed and an injected clock:
//
//  1. register an account on the home page's 注册 link;
//  2. log in through the slider puzzle, dragged with mouse events;
//  3. query the windows (网报时间) and pick Guangzhou's Tianhe confirmation point;
//  4. complete the wizard: agreement, the errors of the information form left empty, the synced
//     certificate, a generated photo (upload checked by the portal), the information form,
//     authority and point, review, notes, commitment;
//  5. see the application number and the list entry (网报待确认), the 申请表 not yet ready;
//  6. move the clock past the hour and download the PDF (text checked with pdftotext);
//  7. in another browser context, the point's staff (password + TOTP) confirm it, then the
//     authority's staff leave a message and decide 注册合格;
//  8. the applicant logs in again and sees 注册合格 and 有留言, and reads the message.
//
// Each step leaves a screenshot in screenshots/ at the repository root.
func TestEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	started := time.Now()
	defer func() { t.Logf("end-to-end run took %s", time.Since(started).Round(time.Millisecond)) }()

	// A working day in the second half of the year, when registration is open (manual §1.1).
	p := startPortal(t, time.Date(2026, 9, 14, 9, 30, 0, 0, account.ChinaStandardTime))
	b := newBrowser(ctx, t, p.URL, screenshotDir(t))

	who := applicantPerson{
		DocNumber: residentID("44010619880512362"),
		Name:      "李晓梅",
		Phone:     "13912345678",
		Email:     "lixiaomei@example.com",
		Password:  "Qiuyu#Jiaoshi2026",
	}

	// The national certificate records know her 初级中学 数学 certificate (证书同步): the wizard
	// offers it once she has an account with the same document and name.
	cert := certificate.Certificate{
		Number: certificate.MustParseNumber("20134401032000321"), HolderName: who.Name,
		DocType: account.DocResidentID, DocNumber: who.DocNumber, Kind: certificate.JuniorMiddle,
		Subject: "数学", Authority: "广州市天河区教育局", Issued: time.Date(2013, 7, 20, 0, 0, 0, 0, account.ChinaStandardTime),
		FirstRegistered: true, FirstRegisteredOn: time.Date(2015, 9, 1, 0, 0, 0, 0, account.ChinaStandardTime),
	}
	if err := p.Store.AddCertificate(ctx, cert, 0); err != nil {
		t.Fatalf("sync the certificate: %v", err)
	}

	registerAccount(t, b, who)
	logIn(t, p, b, who)
	chooseWindow(t, b)
	number := completeWizard(t, b, cert)
	submitted := p.Clock.Now()
	seeApplication(t, b, number, "网报待确认")
	downloadForm(t, p, b, who, number, submitted)
	b.click(`[data-testid="logout"]`)
	b.waitFor(`[data-testid="login-link"]`)

	// She takes her papers to the Tianhe point, which confirms (现场确认); Guangzhou's authority
	// approves and leaves her a message.
	const message = "您的定期注册申请已审核通过,请妥善保管申请表。"
	staff := b.otherPerson()
	confirmAtPoint(t, p, staff, number)
	staff.click(`[data-testid="staff-logout"]`)
	staff.waitFor(`[data-testid="review-login-form"]`)
	approveAtAuthority(t, p, staff, number, message)

	seeConclusion(t, p, b, who, number, message)
}

// registerAccount opens the home page, follows 注册 and creates the account (manual §1.2.1).
func registerAccount(t *testing.T, b *browser, who applicantPerson) {
	t.Helper()
	b.visit("/", `[data-testid="page-title"]`)
	b.screenshot("home")

	b.click(`[data-testid="register-link"]`)
	b.waitFor(`[data-testid="register-form"]`)
	if got := b.value(`[data-testid="register-form"] select[name="doc_type"]`); got != account.DocResidentID.Code() {
		t.Errorf("register: document type preset to %q, want %q (居民身份证)", got, account.DocResidentID.Code())
	}
	form := `[data-testid="register-form"] `
	b.fill(form+`input[name="doc_number"]`, who.DocNumber)
	b.fill(form+`input[name="name"]`, who.Name)
	b.fill(form+`input[name="phone"]`, who.Phone)
	b.fill(form+`input[name="email"]`, who.Email)
	b.fill(form+`input[name="password"]`, who.Password)
	b.fill(form+`input[name="password2"]`, who.Password)
	b.screenshot("register-form")

	b.click(`[data-testid="register-submit"]`)
	b.waitFor(`[data-testid="register-done"]`)
	b.screenshot("register-done")
}

// logIn goes from the registration answer to 登录 and logs in with document number, password and
// the slider puzzle, dragged with the mouse (manual §1.2.3).
func logIn(t *testing.T, p *portal, b *browser, who applicantPerson) {
	t.Helper()
	b.click(`[data-testid="register-done"] a[href="/login"]`)
	logInWithSlider(t, p, b, who)
	if got := b.text(`[data-testid="user-name"]`); got != who.Name {
		t.Fatalf("login: the header greets %q, want %q", got, who.Name)
	}
	b.screenshot("logged-in")
}

// logInWithSlider fills the login page the browser shows and solves the slider by dragging.
func logInWithSlider(t *testing.T, p *portal, b *browser, who applicantPerson) {
	t.Helper()
	b.waitFor(`[data-testid="login-form"]`)
	form := `[data-testid="login-form"] `
	b.fill(form+`input[name="doc_number"]`, who.DocNumber)
	b.fill(form+`input[name="password"]`, who.Password)

	b.waitFor(`[data-testid="captcha-slider"][data-ready]`)
	b.screenshot("login-form")

	id := b.value(form + `input[name="captcha_id"]`)
	target, ok := p.Captchas.target(id)
	if !ok {
		t.Fatalf("login: the page shows a captcha the portal never issued")
	}
	if got := b.value(form + `input[name="captcha_answer"]`); got != "" {
		t.Fatalf("login: captcha answer %q before any drag", got)
	}
	b.dragSlider(target)
	answer := b.value(form + `input[name="captcha_answer"]`)
	if x, err := account.ParseSliderAnswer(answer); err != nil || abs(x-target) > account.DefaultSliderTolerance {
		t.Fatalf("login: after the drag the page answers %q, the hole is at %d", answer, target)
	}
	b.screenshot("login-slider-solved")

	b.click(`[data-testid="login-submit"]`)
	b.waitFor(`[data-testid="user-name"]`)
}

// chooseWindow opens 定期注册 → 报名, finds Guangzhou's 初级中学 window with the cascading
// selects and picks the Tianhe confirmation point (manual §3.1.1).
func chooseWindow(t *testing.T, b *browser) {
	t.Helper()
	if got := b.location(); got != "/platform" {
		t.Fatalf("after login the portal shows %s, want the business platform /platform", got)
	}
	b.waitFor(`[data-testid="platform"]`)
	b.screenshot("platform")

	b.click(`[data-testid="start-apply"]`)
	b.waitFor(`[data-testid="window-search"]`)
	search := `[data-testid="window-search"] `
	b.choose(search+`select[name="province"]`, "广东省")
	b.choose(search+`select[name="city"]`, "广州市")
	b.choose(search+`select[name="stage"]`, "初级中学")
	b.choose(search+`select[name="authority"]`, "广州市教育局")
	b.waitFor(`[data-testid="window-result"]`)
	if got := b.text(`[data-testid="window-result"] [data-testid="authority-name"]`); got != "广州市教育局" {
		t.Errorf("window query: authority %q, want 广州市教育局", got)
	}
	if got := b.value(search + `select[name="city"]`); got != "440100" {
		t.Errorf("window query: the city select shows %q after the query, want 440100 (广州市)", got)
	}
	point := run(b, "find the Tianhe point", chromedp.Evaluate[string](`(() => {
		for (const row of document.querySelectorAll('[data-testid="window"] [data-testid="point"]')) {
			if (row.cells[0].textContent.trim() === "天河区教育局定期注册确认点" && row.querySelector('[data-testid="choose-point"]')) {
				return row.dataset.point;
			}
		}
		return "";
	})()`))
	if point == "" {
		t.Fatalf("window query: no open window lists 天河区教育局定期注册确认点")
	}
	b.screenshot("window-query")

	b.click(`[data-testid="point"][data-point="` + point + `"] [data-testid="choose-point"]`)
	// Choosing the point completes the wizard's first step: it opens at 网上申报协议.
	b.waitFor(`[data-testid="wizard-step"][data-step="1"]`)
	if got := b.text(`[data-testid="step-bar"] li.done`); !strings.Contains(got, "选择网报时间和确认点") {
		t.Errorf("wizard: the step bar does not mark 选择网报时间和确认点 done: %q", got)
	}
}

// completeWizard walks the 定期注册报名 wizard from its first step to the reminder with the
// application number (manual §3.1.2), and returns the number.
func completeWizard(t *testing.T, b *browser, cert certificate.Certificate) string {
	t.Helper()
	next := func(to int) {
		t.Helper()
		b.waitIdle()
		b.click(`[data-testid="wizard-next"]`)
		b.waitFor(fmt.Sprintf(`[data-testid="wizard-step"][data-step="%d"]`, to))
	}
	// 网上申报协议
	b.waitFor(`[data-testid="agreement"]`)
	b.click(`[data-testid="wizard-form"] input[name="agree"]`)
	b.screenshot("wizard-agreement")
	next(2)

	// 填写注册信息: 下一步 on the empty form stays at the step and lists what is missing.
	b.waitIdle()
	b.markStale(`[data-testid="wizard-step"]`)
	b.click(`[data-testid="wizard-next"]`)
	b.waitReplaced(`[data-testid="wizard-step"][data-step="2"]`)
	b.waitFor(`[data-testid="wizard-form"] [data-testid="error-summary"]`)
	b.screenshot("wizard-information-errors")

	// 填写注册信息: the synced certificate, the photo, the form.
	cn := cert.Number.String()
	b.waitFor(`[data-testid="certificate-option"]`)
	b.click(`[data-testid="certificate-option"] input[name="certificate"][value="` + cn + `"]`)

	b.run("choose the photo file", chromedp.SetUploadFiles(chromedp.CSS(`#photo-file`), []string{portraitPhoto(t)}, chromedp.NodeReady))
	b.markStale(`[data-testid="field-photo"]`)
	b.click(`[data-testid="photo-upload"]`)
	b.waitReplaced(`[data-testid="field-photo"]`)
	b.waitFor(`[data-testid="photo-ok"]`)
	b.waitFor(`[data-testid="photo-preview"]`)

	form := `[data-testid="information-form"] `
	b.run("re-check the certificate", chromedp.Poll[chromedp.Void](fmt.Sprintf(`!!document.querySelector('input[name="certificate"][value="%s"]')`, cn)))
	if !run(b, "read the certificate choice", chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector('input[name="certificate"][value="%s"]').checked`, cn))) {
		b.click(`[data-testid="certificate-option"] input[name="certificate"][value="` + cn + `"]`)
	}
	b.fill(form+`input[name="mandarin_number"]`, "4400000000123")
	b.choose(form+`select[name="mandarin_level"]`, "二级甲等")
	b.choose(form+`select[name="education"]`, "大学本科")
	b.choose(form+`select[name="major_category"]`, "师范类")
	b.choose(form+`select[name="degree"]`, "学士")
	b.fill(form+`input[name="major"]`, "数学与应用数学")
	b.fill(form+`input[name="graduation_school"]`, "华南师范大学")
	b.fillDate(form+`input[name="graduation_date"]`, "2010-07-01")
	b.choose(form+`select[name="study_mode"]`, "全日制")
	b.fill(form+`input[name="school"]`, "广州市天河区第一中学")
	b.choose(form+`select[name="school_ownership"]`, "公办")
	b.fill(form+`input[name="school_location"]`, "广东省广州市天河区")
	b.fillDate(form+`input[name="work_start"]`, "2010-09-01")
	b.fillDate(form+`input[name="employment_start"]`, "2012-09-01")
	b.choose(form+`select[name="teacher_title"]`, "一级教师")
	b.choose(form+`select[name="post_type"]`, "专任教师")
	b.choose(form+`select[name="political"]`, "中共党员")
	b.fill(form+`input[name="household"]`, "广东省广州市天河区")
	b.fill(form+`input[name="address"]`, "广东省广州市天河区天府路100号")
	b.fill(form+`input[name="postcode"]`, "510630")
	b.waitIdle()
	b.screenshot("wizard-information")
	next(3)

	// 选择注册机构: where she teaches now, the authority and the point.
	cascade := `[data-testid="authority-cascade"] `
	b.choose(cascade+`select[name="province"]`, "广东省")
	b.choose(cascade+`select[name="city"]`, "广州市")
	b.choose(cascade+`select[name="subject"]`, "数学")
	b.markStale(cascade + `input[name="district"]`)
	b.fill(cascade+`input[name="district"]`, "440106")
	b.run("leave the district field", chromedp.KeyEvent(kb.Tab))
	b.waitReplaced(cascade + `input[name="district"]`)
	b.choose(cascade+`select[name="authority"]`, "广州市教育局")
	b.choose(cascade+`select[name="point"]`, "天河区教育局定期注册确认点")
	b.screenshot("wizard-authority")
	next(4)

	// 确认申报信息
	b.waitFor(`[data-testid="review-section"]`)
	review := b.text(`[data-testid="wizard-step"]`)
	for _, want := range []string{cn, "华南师范大学", "广州市教育局", "天河区教育局定期注册确认点"} {
		if !strings.Contains(review, want) {
			t.Errorf("review: %q missing", want)
		}
	}
	b.screenshot("wizard-review")
	next(5)

	// 注意事项
	b.waitFor(`[data-testid="notes"]`)
	b.screenshot("wizard-notes")
	next(6)

	// 个人承诺
	b.waitFor(`[data-testid="commitment"]`)
	b.click(`[data-testid="wizard-form"] input[name="commitment"][value="agree"]`)
	b.screenshot("wizard-commitment")
	next(7)

	// 提醒: the application number.
	number := b.text(`[data-testid="reminder"] [data-testid="application-number"]`)
	if number == "" {
		t.Fatal("reminder: no application number")
	}
	b.screenshot("wizard-reminder")
	return number
}

// seeApplication opens 查询报名信息 from where the browser is and finds the application's row
// with its 注册结论.
func seeApplication(t *testing.T, b *browser, number, status string) {
	t.Helper()
	b.click(`[data-testid="to-applications"], [data-testid="my-applications"]`)
	row := `[data-testid="application-row"][data-number="` + number + `"] `
	b.waitFor(row)
	if got := b.text(row + `[data-testid="status-badge"]`); got != status {
		t.Errorf("applications: %s has 注册结论 %q, want %q", number, got, status)
	}
}

// downloadForm checks that the application form (申请表) waits for its hour, moves the portal's
// clock past it while the applicant keeps working in the portal, and downloads the PDF.
func downloadForm(t *testing.T, p *portal, b *browser, who applicantPerson, number string, submitted time.Time) {
	t.Helper()
	row := `[data-testid="application-row"][data-number="` + number + `"] `
	later := b.text(row + `[data-testid="row-pdf-later"]`)
	readyAt := submitted.Add(registration.FormDelay).In(registration.CST).Format("2006-01-02 15:04")
	if !strings.Contains(later, readyAt) {
		t.Errorf("applications: before the hour the row says %q, want the time %s", later, readyAt)
	}
	b.waitGone(row + `[data-testid="row-pdf"]`)
	b.screenshot("applications-pending")

	// An hour passes; she looks at the list now and then (each visit keeps her session alive:
	// it ends after 30 idle minutes).
	for p.Clock.Now().Before(submitted.Add(registration.FormDelay + time.Minute)) {
		p.Clock.Advance(20 * time.Minute)
		b.visit("/platform/applications", row)
	}
	b.waitFor(row + `[data-testid="row-pdf"]`)
	b.screenshot("applications-form-ready")

	file := b.download(`[data-testid="application-row"][data-number="` + number + `"] [data-testid="row-pdf"]`)
	pdf, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("the downloaded 申请表 is not a PDF: starts %q", pdf[:min(len(pdf), 16)])
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Logf("pdftotext not installed: the PDF's text is not checked")
		return
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	for _, want := range []string{who.Name, number} {
		if !strings.Contains(text, want) {
			t.Errorf("the 申请表 PDF does not contain %q", want)
		}
	}
}

// staffLogIn logs a demo staff member in at /review/login: password, then the 6-digit code of
// the authenticator app, computed at the portal's clock from the secret the app holds (the
// seeded one, or the one the enrolment page shows the first time).
func staffLogIn(t *testing.T, p *portal, b *browser, username string) {
	t.Helper()
	var demo store.DemoStaff
	for _, s := range store.Demo.Staff {
		if s.Username == username {
			demo = s
		}
	}
	if demo.Username == "" {
		t.Fatalf("no demo staff %q", username)
	}
	b.visit("/review/login", `[data-testid="review-login-form"]`)
	form := `[data-testid="review-login-form"] `
	b.fill(form+`input[name="username"]`, demo.Username)
	b.fill(form+`input[name="password"]`, demo.Password)
	b.click(form + `[data-testid="login-submit"]`)
	b.waitFor(`[data-testid="totp-form"]`)
	b.screenshot("staff-totp-" + username)
	secret := demo.TOTPSecret
	if enrol := run(b, "look for the enrolment", chromedp.Evaluate[bool](`!!document.querySelector('[data-testid="totp-secret"]')`)); enrol {
		secret = b.text(`[data-testid="totp-secret"]`)
	}
	code, err := totp.GenerateCode(secret, p.Clock.Now())
	if err != nil {
		t.Fatalf("TOTP code: %v", err)
	}
	b.fill(`[data-testid="totp-form"] input[name="code"]`, code)
	b.click(`[data-testid="totp-submit"]`)
	b.waitFor(`[data-testid="staff-bar"]`)
}

// confirmAtPoint: the Tianhe confirmation point's staff find the application in their queue of
// 网报待确认, check the photo and confirm it (现场确认通过).
func confirmAtPoint(t *testing.T, p *portal, b *browser, number string) {
	t.Helper()
	staffLogIn(t, p, b, "point-tianhe")
	b.visit("/review/queue", `[data-testid="search-form"]`)
	row := `[data-testid="queue-row"][data-number="` + number + `"] `
	if got := b.text(row + `[data-testid="queue-status"]`); got != "网报待确认" {
		t.Errorf("point queue: %s is %q, want 网报待确认", number, got)
	}
	b.screenshot("point-queue")
	b.click(row + `[data-testid="queue-link"]`)
	b.waitFor(`[data-testid="app-facts"]`)
	b.waitFor(`[data-testid="photo-section"] [data-testid="photo-ok"]`)
	b.screenshot("point-detail")
	b.markPage()
	b.click(`[data-testid="confirm-one"]`)
	b.waitJS("wait for 已确认", `document.querySelector('[data-testid="app-status"]')?.textContent.trim() === "已确认"`)
	b.screenshot("point-confirmed")
}

// approveAtAuthority: Guangzhou's authority staff open the confirmed application, leave the
// applicant a message and decide 注册合格.
func approveAtAuthority(t *testing.T, p *portal, b *browser, number, message string) {
	t.Helper()
	staffLogIn(t, p, b, "authority-guangzhou")
	b.visit("/review/queue", `[data-testid="search-form"]`)
	row := `[data-testid="queue-row"][data-number="` + number + `"] `
	if got := b.text(row + `[data-testid="queue-status"]`); got != "已确认" {
		t.Errorf("authority queue: %s is %q, want 已确认", number, got)
	}
	b.click(row + `[data-testid="queue-link"]`)
	b.waitFor(`[data-testid="decide-form"]`)

	b.fill(`[data-testid="message-form"] textarea[name="text"]`, message)
	b.markPage()
	b.click(`[data-testid="message-form"] [data-testid="message-submit"]`)
	b.waitJS("wait for the message", `document.querySelectorAll('[data-testid="message-row"]').length > 0`)

	b.click(fmt.Sprintf(`[data-testid="decide-form"] [data-testid="conclusion-%d"]`, registration.StatusQualified))
	b.fill(`[data-testid="decide-form"] textarea[name="note"]`, "学时、考核均符合要求,注册合格。")
	b.screenshot("authority-decide")
	b.markPage()
	b.click(`[data-testid="decide-submit"]`)
	b.waitJS("wait for 注册合格", `document.querySelector('[data-testid="app-status"]')?.textContent.trim() === "注册合格"`)
	b.screenshot("authority-qualified")
}

// seeConclusion: back home she logs in again and finds 注册合格 and 有留言 on her application,
// and reads the message.
func seeConclusion(t *testing.T, p *portal, b *browser, who applicantPerson, number, message string) {
	t.Helper()
	b.click(`[data-testid="login-link"]`)
	logInWithSlider(t, p, b, who)
	b.waitFor(`[data-testid="platform"]`)
	seeApplication(t, b, number, "注册合格")
	row := `[data-testid="application-row"][data-number="` + number + `"] `
	if got := b.text(row + `[data-testid="row-messages"]`); !strings.Contains(got, "有留言") {
		t.Errorf("applications: the row's message marker reads %q, want 有留言", got)
	}
	b.waitFor(row + `[data-testid="row-messages"] [data-testid="unread"]`)
	b.screenshot("applicant-qualified")
	b.click(row + `[data-testid="row-messages"]`)
	b.waitFor(`[data-testid="message"]`)
	texts := run(b, "read the messages", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid="message"] [data-testid="message-text"]')).map(e => e.textContent.trim())`))
	if !slices.Contains(texts, message) {
		t.Errorf("messages: %q, want one to read %q", texts, message)
	}
	b.screenshot("applicant-message")
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// residentID completes 17 digits with the GB 11643 check character.
func residentID(first17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return first17 + string("10X98765432"[sum%11])
}
