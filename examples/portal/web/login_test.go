package web_test

import (
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestLoginPageOffersSliderAndTypedAlternative(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	r := c.get("/login")
	wantStatus(t, r, http.StatusOK)
	slider := r.find("captcha-slider")
	if slider.Length() != 1 || slider.Find(`input[name="captcha_answer"][type="hidden"]`).Length() != 1 {
		t.Fatal("no slider with a hidden answer field")
	}
	bg, _ := slider.Find("img.bg").Attr("src")
	img := c.get(bg)
	wantStatus(t, img, http.StatusOK)
	if img.Header.Get("Content-Type") != "image/png" {
		t.Errorf("background Content-Type %q", img.Header.Get("Content-Type"))
	}
	if other := h.client().get(bg); other.StatusCode != http.StatusNotFound {
		t.Errorf("another browser fetched this browser's captcha image: %d", other.StatusCode)
	}
	link, _ := r.find("captcha-text-link").Attr("href")
	text := c.get(link)
	wantStatus(t, text, http.StatusOK)
	if text.find("captcha-slider").Length() != 0 || text.Doc.Find(`input[name="captcha_answer"][type="text"]`).Length() != 1 {
		t.Error("the typed alternative has no text answer field")
	}
}

func TestLoginFormShowsEveryError(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	c.get("/login")
	r := c.post("/login", url.Values{"doc_type": {""}, "captcha_kind": {"1"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	want := []string{"doc_type", "doc_number", "password", "captcha_answer"}
	inline, summary := errorsOf(r), summaryOf(r)
	for _, f := range want {
		if inline[f] == "" {
			t.Errorf("no inline error for %s", f)
		}
		if summary[f] == "" || summary[f] != inline[f] {
			t.Errorf("summary for %s = %q, inline %q", f, summary[f], inline[f])
		}
	}
}

func TestLoginRotatesTheSessionAndLogoutDestroysIt(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.client()
	c.get("/login")
	before := c.cookie(sessionCookie)
	if before == "" {
		t.Fatal("the login page set no session cookie")
	}
	r := c.post("/login", loginForm(a.DocNumber, a.Password))
	wantStatus(t, r, http.StatusSeeOther)
	after := c.cookie(sessionCookie)
	if after == "" || after == before {
		t.Fatalf("session id not rotated at login")
	}
	if got := c.get("/").text("user-name"); got != a.Name {
		t.Errorf("header shows %q, want %q", got, a.Name)
	}
	// The pre-login id is worthless.
	stale := h.client()
	u, _ := url.Parse(h.HTTP.URL)
	stale.http.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: before}})
	if stale.get("/").text("user-name") != "" {
		t.Error("the pre-login session id is logged in")
	}
	if !h.sessionStored(after) {
		t.Fatal("the session is not stored server-side")
	}
	r = c.post("/logout", nil)
	wantStatus(t, r, http.StatusSeeOther)
	if h.sessionStored(after) {
		t.Error("logout left the server-side session")
	}
	replay := h.client()
	replay.http.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: after}})
	if replay.get("/").text("user-name") != "" {
		t.Error("the logged-out session id still works")
	}
}

func TestLoginSessionEndsAfterIdleAndAbsoluteLimits(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.client()
	c.login(a)
	h.Clock.Advance(29 * time.Minute)
	if c.get("/").text("user-name") != a.Name {
		t.Fatal("logged out before the idle limit")
	}
	h.Clock.Advance(31 * time.Minute)
	if c.get("/").text("user-name") != "" {
		t.Fatal("still logged in after 31 idle minutes")
	}
	c.login(a)
	for i := 0; i < 36; i++ { // 12 hours of activity every 20 minutes
		h.Clock.Advance(20 * time.Minute)
		c.get("/")
	}
	h.Clock.Advance(time.Minute)
	if c.get("/").text("user-name") != "" {
		t.Fatal("still logged in after 12 hours")
	}
}

func TestLoginDoesNotRevealWhetherAnAccountExists(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	unknown := residentID("11010519900307123")
	c := h.client()
	c.get("/login")
	wrong := c.post("/login", loginForm(a.DocNumber, "Wrong-password-1"))
	c2 := h.client()
	c2.get("/login")
	none := c2.post("/login", loginForm(unknown, "Wrong-password-1"))
	if wrong.StatusCode != none.StatusCode {
		t.Errorf("status: wrong password %d, unknown document %d", wrong.StatusCode, none.StatusCode)
	}
	if !maps.Equal(errorsOf(wrong), errorsOf(none)) || !maps.Equal(summaryOf(wrong), summaryOf(none)) {
		t.Errorf("errors differ:\nwrong password %v\nunknown document %v", errorsOf(wrong), errorsOf(none))
	}
	if len(errorsOf(none)) == 0 {
		t.Error("no error shown")
	}
	normalise := func(r *response) string {
		r.Doc.Find(`input[name="captcha_id"], img, input[name="doc_number"]`).Remove()
		return strings.TrimSpace(r.Doc.Find("main").Text())
	}
	if normalise(wrong) != normalise(none) {
		t.Error("page texts differ between a wrong password and an unknown document")
	}
}

func TestLoginThrottleStopsGuessing(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.client()
	c.get("/login")
	for i := 0; i < 5; i++ {
		r := c.post("/login", loginForm(a.DocNumber, "Wrong-password-1"))
		wantStatus(t, r, http.StatusUnprocessableEntity)
	}
	r := c.post("/login", loginForm(a.DocNumber, a.Password))
	wantStatus(t, r, http.StatusTooManyRequests)
	if !strings.Contains(errorsOf(r)["password"], "请") || r.Header.Get("Retry-After") == "" {
		t.Errorf("locked answer: %v, Retry-After %q", errorsOf(r), r.Header.Get("Retry-After"))
	}
	// Another browser (same client address) trying this account waits too.
	other := h.client()
	other.get("/login")
	wantStatus(t, other.post("/login", loginForm(a.DocNumber, a.Password)), http.StatusTooManyRequests)
	h.Clock.Advance(2 * time.Minute)
	wantStatus(t, c.post("/login", loginForm(a.DocNumber, a.Password)), http.StatusSeeOther)
}

func TestLoginWrongCaptchaIsRefused(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	c := h.client()
	c.get("/login")
	f := loginForm(a.DocNumber, a.Password)
	f.Set("captcha_answer", "17")
	r := c.post("/login", f)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if errorsOf(r)["captcha_answer"] == "" {
		t.Error("no captcha error")
	}
	if r.find("captcha-slider").Length() != 1 {
		t.Error("no new puzzle after a wrong answer")
	}
}

func TestLoginNextIsLocalOnly(t *testing.T) {
	h := newHarness(t)
	a := h.createApplicant()
	for next, want := range map[string]string{"/centre": "/centre", "//evil.example/x": "/platform", "https://evil.example": "/platform"} {
		c := h.client()
		c.get("/login")
		f := loginForm(a.DocNumber, a.Password)
		f.Set("next", next)
		r := c.post("/login", f)
		if got := r.Header.Get("Location"); got != want {
			t.Errorf("next=%q: redirected to %q, want %q", next, got, want)
		}
	}
}
