package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// axeTags are the rule sets the portal must pass: WCAG 2.0, 2.1 and 2.2 at levels A and AA
// (axe-core's tags).
const axeTags = `['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']`

// axeException is one rule that may fail on one element, with the reason. The list is empty
// while every finding has a fix; an entry must name the rule and the element's exact selector,
// never a whole rule.
type axeException struct {
	Rule, Target, Why string
}

// axeExceptions are the accepted findings (none so far).
var axeExceptions []axeException

// axeViolation is one rule that fails on a page, with the elements that fail it.
type axeViolation struct {
	ID, Impact, Help, HelpURL string
	Nodes                     []struct {
		Target  string
		Summary string
	}
}

// TestAccessibility runs axe-core (testdata/axe-core, injected through DevTools: the portal
// never serves it) on the portal's pages in the real browser and fails with every violation
// of WCAG 2.0–2.2 A/AA that axe finds, and every id used twice and every element wider than
// a 320px screen (two checks of its own): the public pages and their error states, both captcha
// modes, the applicant's flow of TestEndToEnd up to the reminder (every wizard step, the
// information form's errors), 查询报名信息 and 个人信息中心, and the reviewer console's login,
// queue, application detail and decision form, and the administrator's pages.
func TestAccessibility(t *testing.T) {
	ctx, cancel := context.WithTimeoutCause(t.Context(), 2*time.Minute, fmt.Errorf("the accessibility test ran out of time"))
	defer cancel()
	started := time.Now()
	defer func() { t.Logf("accessibility run took %s", time.Since(started).Round(time.Millisecond)) }()

	axeJS, err := os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	p := startPortal(t, time.Date(2026, 9, 14, 9, 30, 0, 0, account.ChinaStandardTime))
	b := newBrowser(ctx, t, p.URL, "")
	var found axeReport
	audited := 0
	b.audit = func(b *browser, page string) {
		t.Helper()
		audited++
		found.add(page, runAxe(b, page, string(axeJS)))
		found.add(page, checkReflow(b, page))
		b.t.Logf("axe: %s = %s (%s)", page, b.location(), run(b, "read the title", chromedp.Evaluate[string](`document.title`)))
	}

	// Public pages, their error states and both captcha modes.
	b.visit("/login", `[data-testid="captcha-slider"][data-ready]`)
	b.screenshot("login-slider")
	b.click(`[data-testid="login-submit"]`)
	b.waitFor(`[data-testid="login-form"] [data-testid="error-summary"]`)
	b.screenshot("login-errors")
	b.click(`[data-testid="captcha-text-link"]`)
	b.waitFor(`input#captcha-answer-text`)
	b.screenshot("login-text-captcha")
	b.visit("/register", `[data-testid="register-form"]`)
	b.click(`[data-testid="register-submit"]`)
	b.waitFor(`[data-testid="register-form"] [data-testid="error-summary"]`)
	b.screenshot("register-errors")
	b.visit("/password/forgot", `[data-testid="forgot-form"]`)
	b.screenshot("forgot-password")
	forgotPages(t, b)
	b.visit("/certificates", `[data-testid="page-title"]`)
	b.screenshot("certificates")
	b.visit("/certificates/other", `[data-testid="page-title"]`)
	b.screenshot("certificates-other")

	// The applicant's flow: home, register, login, platform, windows, the whole wizard.
	who := applicantPerson{
		DocNumber: residentID("44010619900304512"), Name: "周明", Phone: "13912340000",
		Email: "zhouming@example.com", Password: "Zhouming#2026",
	}
	cert := certificate.Certificate{
		Number: certificate.MustParseNumber("20144401032000555"), HolderName: who.Name,
		DocType: account.DocResidentID, DocNumber: who.DocNumber, Kind: certificate.JuniorMiddle,
		Subject: "数学", Authority: "广州市天河区教育局", Issued: time.Date(2014, 7, 20, 0, 0, 0, 0, account.ChinaStandardTime),
		FirstRegistered: true, FirstRegisteredOn: time.Date(2016, 9, 1, 0, 0, 0, 0, account.ChinaStandardTime),
	}
	if err := p.Store.AddCertificate(ctx, cert, 0); err != nil {
		t.Fatalf("sync the certificate: %v", err)
	}
	registerAccount(t, b, who)
	logIn(t, p, b, who)
	chooseWindow(t, b)
	number := completeWizard(t, b, cert)

	// 查询报名信息 and what hangs off it, 个人信息中心 and its forms.
	for _, page := range []struct{ name, path, sel string }{
		{"applications", "/platform/applications", `[data-testid="application-row"][data-number="` + number + `"]`},
		{"application", "/platform/applications/" + number, `[data-testid="page-title"]`},
		{"application-notes", "/platform/applications/" + number + "/notes", `[data-testid="page-title"]`},
		{"application-messages", "/platform/applications/" + number + "/messages", `[data-testid="page-title"]`},
		{"application-withdraw", "/platform/applications/" + number + "/withdraw", `[data-testid="page-title"]`},
		{"platform-notice", "/platform/notice", `[data-testid="page-title"]`},
		{"certificates-mine", "/certificates", `[data-testid="page-title"]`},
		{"centre", "/centre", `[data-testid="page-title"]`},
		{"centre-identity", "/centre/identity", `[data-testid="page-title"]`},
		{"centre-password", "/centre/password", `[data-testid="page-title"]`},
		{"centre-phone", "/centre/phone", `[data-testid="page-title"]`},
		{"not-found", "/platform/no-such-page", `[data-testid="page-title"]`},
	} {
		b.visit(page.path, page.sel)
		b.screenshot(page.name)
	}

	// The reviewer console: login and TOTP, the Tianhe point's queue and the application (which
	// it confirms), the authority's decision form, then the administrator's pages.
	staff := b.otherPerson()
	staff.visit("/review/login", `[data-testid="review-login-form"]`)
	staff.screenshot("review-login")
	staffLogIn(t, p, staff, "point-tianhe")
	staff.visit("/review/queue", `[data-testid="queue-row"][data-number="`+number+`"]`)
	staff.screenshot("review-queue")
	staff.click(`[data-testid="queue-row"][data-number="` + number + `"] [data-testid="queue-link"]`)
	staff.waitFor(`[data-testid="app-facts"]`)
	staff.screenshot("review-application")
	staff.markPage()
	staff.click(`[data-testid="confirm-one"]`)
	staff.waitJS("wait for 已确认", `document.querySelector('[data-testid="app-status"]')?.textContent.trim() === "已确认"`)
	staff.screenshot("review-confirmed")
	staff.click(`[data-testid="staff-logout"]`)
	staff.waitFor(`[data-testid="review-login-form"]`)
	staffLogIn(t, p, staff, "authority-guangzhou")
	staff.visit("/review/applications/"+number, `[data-testid="decide-form"]`)
	staff.screenshot("review-decide")
	staff.click(`[data-testid="staff-logout"]`)
	staff.waitFor(`[data-testid="review-login-form"]`)
	staffLogIn(t, p, staff, "admin")
	for _, page := range []struct{ name, path string }{
		{"review-admin", "/review/admin"},
		{"review-audit", "/review/admin/audit"},
		{"review-restrictions", "/review/admin/restrictions"},
	} {
		staff.visit(page.path, `[data-testid="page-title"]`)
		staff.screenshot(page.name)
	}

	t.Logf("axe-core checked %d pages", audited)
	if len(found.order) > 0 {
		t.Errorf("%d accessibility violations, by axe-core and the own checks ([pages] rule · impact · element · help):\n%s",
			len(found.order), found.String())
	}
}

// forgotPages walks 忘记密码 as the demo applicant 张伟 (e-mail, phone and WeChat on record):
// the choice of method, the SMS code form, the WeChat form, the e-mail sent, the development
// outbox and the reset form its link opens.
func forgotPages(t *testing.T, b *browser) {
	t.Helper()
	who := store.Demo.Applicants[0]
	form := `[data-testid="forgot-form"] `
	b.fill(form+`input[name="doc_number"]`, who.DocNumber)
	b.fill(form+`input[name="name"]`, who.Name)
	b.click(`[data-testid="forgot-submit"]`)
	b.waitFor(`[data-testid="reset-methods"]`)
	b.screenshot("forgot-methods")
	b.click(`[data-testid="send-sms"]`)
	b.waitFor(`[data-testid="sms-reset-form"]`)
	b.screenshot("forgot-sms")
	b.visit("/password/forgot/wechat", `[data-testid="wechat-reset-form"]`)
	b.screenshot("forgot-wechat")
	b.visit("/password/forgot/method", `[data-testid="reset-methods"]`)
	b.click(`[data-testid="send-email"]`)
	b.waitFor(`[data-testid="reset-sent"]`)
	b.screenshot("forgot-email-sent")
	b.visit("/dev/outbox", `[data-testid="outbox-item"][data-channel="email"] [data-testid="outbox-link"]`)
	b.screenshot("dev-outbox")
	b.click(`[data-testid="outbox-item"][data-channel="email"] [data-testid="outbox-link"]`)
	b.waitFor(`[data-testid="reset-form"]`)
	b.screenshot("reset-password")
}

// runAxe injects axe-core into the page the browser shows (once per document) and runs the
// WCAG rules on the whole document; it returns one finding per failing element (rule, impact,
// element, help and what to fix), minus the accepted exceptions.
func runAxe(b *browser, page, axeJS string) []string {
	b.t.Helper()
	b.waitIdle()
	run(b, "load axe-core on "+page, chromedp.Evaluate[bool](`(() => {
		if (window.axe) { return true; }
		`+axeJS+`
		return !!window.axe;
	})()`))
	violations := run(b, "run axe-core on "+page, chromedp.Evaluate[[]axeViolation](`axe.run(document, {
		runOnly: {type: 'tag', values: `+axeTags+`},
		resultTypes: ['violations'],
	}).then(r => r.violations.map(v => ({
		ID: v.id, Impact: v.impact || '', Help: v.help, HelpURL: v.helpUrl,
		Nodes: v.nodes.map(n => ({Target: n.target.flat(Infinity).join(' >>> '), Summary: n.failureSummary || ''})),
	})))`, chromedp.EvalAwaitPromise))
	// axe 4 no longer checks that ids are unique (WCAG 2.2 dropped 4.1.1 Parsing) and leaves a
	// repeated id that a label points to "incomplete"; a label for= a repeated id names only the
	// first control (1.3.1, 4.1.2), so the test checks ids itself.
	violations = append(violations, run(b, "look for repeated ids on "+page, chromedp.Evaluate[[]axeViolation](`(() => {
		const seen = new Map();
		for (const e of document.querySelectorAll('[id]')) { seen.set(e.id, (seen.get(e.id) || 0) + 1); }
		const nodes = [...seen].filter(([, n]) => n > 1).map(([id, n]) => ({Target: '#' + CSS.escape(id), Summary: n + ' elements have this id'}));
		return nodes.length ? [{ID: 'unique-id (own check)', Impact: 'serious', Help: 'Ids must be unique: a label or aria reference finds only the first', HelpURL: 'https://html.spec.whatwg.org/multipage/dom.html#the-id-attribute', Nodes: nodes}] : [];
	})()`))...)
	var lines []string
	for _, v := range violations {
		for _, n := range v.Nodes {
			if excepted(v.ID, n.Target) {
				continue
			}
			lines = append(lines, fmt.Sprintf("%s · %s · %s · %s (%s)\n      %s",
				v.ID, v.Impact, n.Target, v.Help, v.HelpURL, strings.ReplaceAll(n.Summary, "\n", "\n      ")))
		}
	}
	return lines
}

// axeReport lists each finding once, with the pages it was found on, in the order found.
type axeReport struct {
	order []string            // the findings (rule · impact · element · help · summary)
	pages map[string][]string // the pages of each finding
}

func (r *axeReport) add(page string, findings []string) {
	if r.pages == nil {
		r.pages = map[string][]string{}
	}
	for _, f := range findings {
		if _, seen := r.pages[f]; !seen {
			r.order = append(r.order, f)
		}
		if ps := r.pages[f]; len(ps) == 0 || ps[len(ps)-1] != page {
			r.pages[f] = append(ps, page)
		}
	}
}

func (r *axeReport) String() string {
	var sb strings.Builder
	for _, f := range r.order {
		fmt.Fprintf(&sb, "  [%s] %s\n", strings.Join(r.pages[f], ", "), f)
	}
	return sb.String()
}

// reflowWidth is the width WCAG 1.4.10 (Reflow) asks pages to work at without scrolling
// sideways: 320 CSS pixels (1280 at 400% zoom).
const reflowWidth = 320

// checkReflow shows the page reflowWidth pixels wide and lists the elements that stick out to
// the right (axe does not test reflow). Tables are exempt, as 1.4.10 allows for data tables:
// the portal scrolls them inside .table-wrap. So is what the slider captcha's .captcha-stage
// clips (the puzzle piece's start position), while the stage itself fits: it is a picture, not
// text. Nothing else is exempt, whatever box hides it. The viewport is reset afterwards.
func checkReflow(b *browser, page string) []string {
	b.t.Helper()
	b.run("narrow the viewport on "+page, chromedp.EmulateViewport(reflowWidth, 640))
	defer b.run("reset the viewport", chromedp.ResetViewport())
	wide := run(b, "measure the reflow of "+page, chromedp.Evaluate[[]string](`(() => {
		const w = document.documentElement.clientWidth, out = [];
		// inside the captcha stage, which clips its picture and itself fits, nothing shows past the edge
		const clipped = e => {
			const a = e.parentElement && e.parentElement.closest('.captcha-stage');
			return !!a && getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= w + 0.5;
		};
		for (const e of document.querySelectorAll('body *')) {
			if (e.closest('.table-wrap')) { continue; }
			const r = e.getBoundingClientRect();
			if (r.right > w + 0.5 && clipped(e)) { continue; }
			// report the outermost element that sticks out, not each of its children
			if (r.width > 0 && r.right > w + 0.5 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > w + 0.5)) {
				out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.dataset.testid ? '[data-testid="' + e.dataset.testid + '"]' : '') +
					(e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
					' ends at ' + Math.round(r.right) + 'px');
			}
		}
		return out;
	})()`))
	var lines []string
	for _, e := range wide {
		lines = append(lines, fmt.Sprintf("reflow (own check) · serious · %s · Content must fit %dpx without scrolling sideways (WCAG 1.4.10)", e, reflowWidth))
	}
	return lines
}

// excepted reports whether axeExceptions accept rule on the element target.
func excepted(rule, target string) bool {
	for _, e := range axeExceptions {
		if e.Rule == rule && e.Target == target {
			return true
		}
	}
	return false
}
