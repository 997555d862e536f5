package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/tqreg/tqreg/account"
)

// applicantPerson is the teacher who registers in the test.
type applicantPerson struct {
	DocNumber, Name, Phone, Email, Password string
}

// TestEndToEnd drives the portal in a real browser the way the applicant manual describes it:
// register an account, log in through the slider puzzle (a real drag), and so on through the
// whole 定期注册 (see the steps below). Each step leaves a screenshot in screenshots/.
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

	registerAccount(t, b, who)
	logIn(t, p, b, who)
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
	if got := b.value(form + `input[name="name"]`); got != who.Name {
		t.Fatalf("register: the name field holds %q after typing %q", got, who.Name)
	}
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
	if got := b.text(`[data-testid="user-name"]`); got != who.Name {
		t.Fatalf("login: the header greets %q, want %q", got, who.Name)
	}
	b.screenshot("logged-in")
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
