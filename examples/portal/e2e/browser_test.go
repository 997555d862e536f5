package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/tqreg/tqreg/internal/testenv"
)

// stepTimeout bounds one wait on the page (a selector that never shows fails the test with its
// name instead of running into the test's overall deadline).
const stepTimeout = 30 * time.Second

// browser is one headless Chromium with one tab, driven like a person would: it types, clicks,
// drags and waits for what the page shows (data-testid selectors), never for a fixed time.
type browser struct {
	t         *testing.T
	ctx       context.Context // the tab
	base      string          // the portal's origin
	shots     string          // the screenshot folder
	downloads string          // where downloads land
	steps     *steps          // the screenshot count, shared by every person's window
	// audit, when set, checks the page at every step the flows screenshot (the accessibility
	// test runs axe there); with shots empty the step is audited but not captured.
	audit func(b *browser, step string)
}

// steps numbers the screenshots of the whole run, whoever's window they show.
type steps struct {
	n       int
	started time.Time // when the browser started, for the step log
}

// newBrowser starts Chromium with a fresh profile. ctx bounds the browser's whole life (the
// test's deadline); the browser stops when the test ends.
func newBrowser(ctx context.Context, t *testing.T, base, shots string) *browser {
	t.Helper()
	exe := testenv.Browser(t)
	profile := t.TempDir()
	downloads := t.TempDir()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(profile),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf), chromedp.WithErrorf(func(format string, args ...any) {
		// The protocol client reports events it does not know as errors; they do not matter here.
		if !strings.Contains(format, "unknown") {
			t.Logf("chromedp: "+format, args...)
		}
	}))
	// Registered after TempDir, so the browser has stopped before its profile is removed.
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	b := &browser{t: t, ctx: tab, base: base, shots: shots, downloads: downloads, steps: &steps{started: time.Now()}}
	// The first Run starts the browser and ties its life to the context it gets (the tab's own,
	// not a step's shorter one). Downloads then go to the test's folder and report progress.
	if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		c := chromedp.FromContext(ctx)
		_, err := cdp.Call(ctx, c.Browser, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior:      cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName,
			DownloadPath:  downloads,
			EventsEnabled: ptr(true),
		})
		return err
	})); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	return b
}

// otherPerson opens a window for someone else at another computer: a tab of the same browser
// in a browser context of its own (no cookies, no session shared with b). It closes when the
// test ends.
func (b *browser) otherPerson() *browser {
	b.t.Helper()
	tab, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	o := *b
	o.ctx = tab
	if err := chromedp.Do(tab); err != nil { // opens the tab (not under a step's timeout)
		b.t.Fatalf("open another browser context: %v", err)
	}
	return &o
}

func ptr[T any](v T) *T { return &v }

// run runs actions on the tab, failing the test with what was being done.
func (b *browser) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail(what, err)
	}
}

// fail stops the test with a screenshot of the page as it was.
func (b *browser) fail(what string, err error) {
	b.t.Helper()
	where := ""
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	if loc, lerr := chromedp.Run(ctx, chromedp.Location()); lerr == nil {
		where = " at " + strings.TrimPrefix(loc, b.base)
	}
	if png, serr := chromedp.Run(ctx, chromedp.FullScreenshot(100)); serr == nil && b.shots != "" {
		name := filepath.Join(b.shots, "failed.png")
		if os.WriteFile(name, png, 0o644) == nil {
			where += " (screenshot " + name + ")"
		}
	}
	if st, serr := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const a = document.activeElement;
		const busy = Array.from(document.querySelectorAll(".htmx-request, .htmx-swapping, .htmx-settling")).map(e => e.tagName + "[" + (e.name || e.className) + "]");
		return "focus " + (a ? a.tagName + "[" + (a.name || a.id) + "]" : "none") + ", htmx busy " + JSON.stringify(busy);
	})()`)); serr == nil {
		where += "; " + st
	}
	switch {
	case b.ctx.Err() != nil:
		err = fmt.Errorf("the test's time limit ran out: %w", err)
	case errors.Is(err, context.DeadlineExceeded):
		err = fmt.Errorf("nothing happened within %s: %w", stepTimeout, err)
	}
	b.t.Fatalf("%s%s: %v", what, where, err)
}

// visit loads a page of the portal and waits until sel shows.
func (b *browser) visit(path, sel string) {
	b.t.Helper()
	b.run("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS(sel)))
}

// waitFor waits until sel shows.
func (b *browser) waitFor(sel string) {
	b.t.Helper()
	b.run("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// waitGone waits until nothing matches sel (e.g. a form replaced by its answer).
func (b *browser) waitGone(sel string) {
	b.t.Helper()
	b.run("wait until "+sel+" is gone", chromedp.WaitNotPresent(chromedp.CSS(sel)))
}

// click clicks the element sel with the mouse (scrolled into view).
func (b *browser) click(sel string) {
	b.t.Helper()
	b.run("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// fill types text into the input or textarea sel, as a person does: click into it, select what
// it holds (Ctrl+A) and type over it.
func (b *browser) fill(sel, text string) {
	b.t.Helper()
	b.run("type into "+sel,
		chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		typeText(text),
	)
	if got := b.value(sel); got != text {
		b.fail("type into "+sel, fmt.Errorf("the field holds %q, want %q", got, text))
	}
}

// fillDate types a date (2006-01-02) into the date input sel at the keyboard, the year first.
// Chrome fires change as soon as the parts form a valid date; the portal now validates dates
// only when the field is left (it used to swap the field mid-typing), but the test still types
// so that no valid date exists before the last keystroke: the year (valid from its first digit)
// goes in while month and day are empty, and the date is completed by a day typed with two
// digits (pick a day from 01 to 09: a first digit 1–3 alone would already be a valid day). The
// order of the parts is the browser locale's (2010/07/01 or 07/01/2010). It checks the value the
// page got.
func (b *browser) fillDate(sel, date string) {
	b.t.Helper()
	if date[8] != '0' {
		b.t.Fatalf("fillDate %s: the day must be 01–09 (see the comment)", date)
	}
	order := run(b, "read the date format", chromedp.Evaluate[[]string](`new Intl.DateTimeFormat(navigator.language,
		{year: "numeric", month: "2-digit", day: "2-digit"}).formatToParts(new Date(2000, 0, 2)).
		filter(p => p.type !== "literal").map(p => p.type)`))
	yi := slices.Index(order, "year")
	if len(order) != 3 || yi < 0 {
		b.t.Fatalf("fillDate: unexpected date format %v", order)
	}
	steps := []chromedp.Action[chromedp.Void]{chromedp.Focus(chromedp.CSS(sel))}
	for range yi {
		steps = append(steps, chromedp.KeyEvent(kb.Tab))
	}
	steps = append(steps, chromedp.KeyEvent(date[:4]))
	if yi == 0 {
		steps = append(steps, chromedp.KeyEvent(kb.Tab))
	}
	for range yi {
		steps = append(steps, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
	}
	parts := map[string]string{"month": date[5:7], "day": date[8:10]}
	for _, p := range order {
		if p != "year" {
			steps = append(steps, chromedp.KeyEvent(parts[p]))
		}
	}
	b.run("type the date into "+sel, steps...)
	b.waitIdle()
	if got := b.value(sel); got != date {
		b.fail("type the date into "+sel, fmt.Errorf("the field holds %q, want %q (typed in the order %v)", got, date, order))
	}
}

// typeText enters text into the focused element the way an input method commits it: one
// insertion with the browser's beforeinput and input events (key-by-key events for every
// character would cost three protocol round trips each and add nothing the pages use).
func typeText(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

// choose picks the option labelled label (its visible text, or the start of it) in the select
// sel with the keyboard, as a keyboard user does: focus the closed select, the arrow keys move
// the selection (Chrome on Linux fires input and change for each), Tab moves on. The list is not
// opened with Space: under CPU load the popup sometimes swallowed the keys that followed it, and
// the page never saw a change. When the page answers a change (htmx reloads the field or the
// part of the page around it), it waits for the answer.
func (b *browser) choose(sel, label string) {
	b.t.Helper()
	b.waitFor(sel)
	js := fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		const opts = Array.from(s.options).map(o => o.textContent.trim());
		let i = opts.indexOf(%q);
		if (i < 0) { i = opts.findIndex(t => t.startsWith(%q)); }
		const h = s.closest("[hx-trigger]");
		return {Want: i, Have: s.selectedIndex, Options: opts,
			Swaps: !!h && h.getAttribute("hx-trigger").split(/[ ,]/).includes("change")};
	})()`, sel, label, label)
	for range 5 {
		pos := run(b, "read the options of "+sel, chromedp.Evaluate[struct {
			Want, Have int
			Options    []string
			Swaps      bool
		}](js))
		if pos.Want < 0 {
			b.fail("choose "+label+" in "+sel, fmt.Errorf("no such option among %q", pos.Options))
		}
		if pos.Want == pos.Have {
			return
		}
		key, n := kb.ArrowDown, pos.Want-pos.Have
		if n < 0 {
			key, n = kb.ArrowUp, -n
		}
		if pos.Swaps {
			b.markStale(sel)
		}
		b.run("choose "+label+" in "+sel, chromedp.Focus(chromedp.CSS(sel)),
			chromedp.KeyEvent(strings.Repeat(key, n)), chromedp.KeyEvent(kb.Tab))
		if pos.Swaps {
			b.waitReplaced(sel)
		}
	}
	b.fail("choose "+label+" in "+sel, errors.New("the selection does not stay"))
}

// markStale tags the element sel as the old one (a JavaScript property, not an attribute: the
// page does not see it), so waitReplaced can tell when the server's answer took its place.
func (b *browser) markStale(sel string) {
	b.t.Helper()
	b.waitFor(sel)
	run(b, "mark "+sel, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.__e2eStale = true; return true; })()`, sel)))
}

// waitReplaced waits until sel is a new element (see markStale) and htmx has no request,
// swap or settle in progress.
func (b *browser) waitReplaced(sel string) {
	b.t.Helper()
	b.run("wait for the page to answer after "+sel, chromedp.Poll[chromedp.Void](fmt.Sprintf(`(() => {
		const e = document.querySelector(%q);
		return !!e && !e.__e2eStale && !document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling");
	})()`, sel)))
}

// markPage tags the page now shown (a JavaScript property of its window), so waitJS can wait for
// the page a click leads to.
func (b *browser) markPage() {
	b.t.Helper()
	run(b, "mark the page", chromedp.Evaluate[bool](`window.__e2eOld = true`))
}

// waitJS waits until the JavaScript expression is true on a page that markPage did not mark:
// the page a click led to (a navigation or an htmx swap of the same page both do). It keeps
// waiting while the browser is between two pages.
func (b *browser) waitJS(what, expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	check := chromedp.Poll[chromedp.Void](`!window.__e2eOld && (` + expr + `)`)
	for {
		err := chromedp.Do(ctx, check)
		if err == nil {
			return
		}
		if ctx.Err() != nil || !betweenPages(err) {
			b.fail(what, err)
		}
	}
}

// betweenPages reports whether err says the page went away under a script (a navigation).
func betweenPages(err error) bool {
	for _, s := range []string{"navigated or closed", "context was destroyed", "Cannot find context", "No node with given id", "Target closed"} {
		if strings.Contains(err.Error(), s) {
			return true
		}
	}
	return false
}

// waitIdle waits until htmx has no request, swap or settle in progress.
func (b *browser) waitIdle() {
	b.t.Helper()
	b.run("wait for htmx", chromedp.Poll[chromedp.Void](`!document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling")`))
}

// run runs one action that returns a value.
func run[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.fail(what, err)
	}
	return v
}

// text returns the visible text of the first element sel, spaces collapsed.
func (b *browser) text(sel string) string {
	b.t.Helper()
	b.waitFor(sel)
	s := run(b, "read "+sel, chromedp.Text(chromedp.CSS(sel)))
	return strings.Join(strings.Fields(s), " ")
}

// value returns the value of the form control sel (it need not be visible: hidden inputs too).
func (b *browser) value(sel string) string {
	b.t.Helper()
	return run(b, "read "+sel, chromedp.Value(chromedp.CSS(sel), chromedp.NodeReady))
}

// location returns the path and query of the current page.
func (b *browser) location() string {
	b.t.Helper()
	return strings.TrimPrefix(run(b, "read the location", chromedp.Location()), b.base)
}

// screenshot saves the whole page as NN-name.png in the screenshot folder (none when the
// browser has no folder), after the audit of the page if the test set one.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	b.steps.n++
	b.t.Logf("%5.1fs step %02d %s", time.Since(b.steps.started).Seconds(), b.steps.n, name)
	if b.audit != nil {
		b.audit(b, name)
	}
	if b.shots == "" {
		return
	}
	png := b.capture("screenshot " + name)
	file := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.steps.n, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// download clicks the link sel and waits until the browser has saved the file it leads to;
// it returns the file's path.
func (b *browser) download(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	progress := chromedp.BrowserEvents(ctx, cdpbrowser.DownloadProgress) // subscribed before the click
	b.click(sel)
	for ev, err := range progress {
		if err != nil {
			b.fail("download from "+sel, err)
		}
		switch ev.State {
		case cdpbrowser.DownloadProgressStateCompleted:
			if ev.FilePath != "" {
				return ev.FilePath
			}
			return filepath.Join(b.downloads, ev.GUID)
		case cdpbrowser.DownloadProgressStateCanceled:
			b.fail("download from "+sel, errors.New("the browser canceled the download"))
		}
	}
	b.fail("download from "+sel, errors.New("no download finished"))
	return ""
}

// capture takes a PNG of the whole page once it has finished loading and has a size. A page
// that is still being replaced (a redirect after a POST) has none for a moment; then it waits
// and tries again.
func (b *browser) capture(what string) []byte {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	ready := chromedp.Poll[chromedp.Void](`document.readyState === "complete" && document.documentElement.scrollWidth > 0`)
	for {
		err := chromedp.Do(ctx, ready)
		if err == nil {
			var png []byte
			if png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				return png
			}
		}
		if ctx.Err() != nil || !(betweenPages(err) || strings.Contains(err.Error(), "0 width")) {
			b.fail(what, err)
		}
	}
}

// box is an element's rectangle in the viewport, in CSS pixels.
type box struct{ X, Y, W, H float64 }

// rect scrolls sel into view and returns its rectangle.
func (b *browser) rect(sel string) box {
	b.t.Helper()
	js := fmt.Sprintf(`(() => {
		const e = document.querySelector(%q);
		e.scrollIntoView({block: "center"});
		const r = e.getBoundingClientRect();
		return {X: r.x, Y: r.y, W: r.width, H: r.height};
	})()`, sel)
	return run(b, "measure "+sel, chromedp.Evaluate[box](js))
}

// dragSlider drags the captcha's handle so that the puzzle piece lands targetX background
// pixels from the left: press on the handle, move the mouse right in small steps (slowing down
// near the hole, as a hand does), release. Only real pointer events reach the page; the page's
// own script turns them into the answer it submits.
func (b *browser) dragSlider(targetX int) {
	b.t.Helper()
	b.waitFor(`[data-testid="captcha-slider"][data-ready]`)
	// How far the handle travels for the whole width of the puzzle: what a person judges by eye
	// while dragging, here measured once.
	geom := run(b, "measure the slider", chromedp.Evaluate[struct{ Room, MaxX float64 }](`(() => {
		const root = document.querySelector('[data-testid="captcha-slider"]');
		const track = root.querySelector('.captcha-track');
		const handle = root.querySelector('[data-testid="captcha-handle"]');
		return {Room: track.clientWidth - handle.offsetWidth,
			MaxX: parseInt(root.dataset.width, 10) - parseInt(root.dataset.pieceSize, 10)};
	})()`))
	if geom.Room <= 0 || geom.MaxX <= 0 {
		b.t.Fatalf("slider has no room to move: %+v", geom)
	}
	h := b.rect(`[data-testid="captcha-handle"]`)
	x0, y := h.X+h.W/2, h.Y+h.H/2
	dx := float64(targetX) * geom.Room / geom.MaxX

	pressed := func(p *input.DispatchMouseEventParams) { p.Button, p.Buttons = input.MouseButtonLeft, 1 }
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.MouseEvent(chromedp.MouseMoved, x0, y),
		chromedp.MouseEvent(chromedp.MousePressed, x0, y, pressed, chromedp.ClickCount(1)),
	}
	const n = 12
	for i := 1; i <= n; i++ {
		// ease out: big moves first, small ones near the hole, with a little vertical wobble
		f := 1 - (1-float64(i)/n)*(1-float64(i)/n)
		wobble := float64(i%3-1) * 0.8
		if i == n {
			wobble = 0
		}
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, x0+dx*f, y+wobble, pressed))
	}
	steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, x0+dx, y, pressed, chromedp.ClickCount(1)))
	b.run("drag the slider", steps...)
}

// repoRoot is the repository's root folder, found from this file's place (not the working
// folder, which go test sets to the package).
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot find the test's source file")
	}
	dir := filepath.Dir(file)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above %s", file)
		}
		dir = parent
	}
}

// screenshotDir creates screenshots/ at the repository root (git-ignored) and removes the
// previous run's step screenshots, so the folder shows this run only.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	step := regexp.MustCompile(`^(\d\d-.*|failed)\.png$`)
	for _, f := range old {
		if step.MatchString(filepath.Base(f)) {
			_ = os.Remove(f)
		}
	}
	return dir
}
