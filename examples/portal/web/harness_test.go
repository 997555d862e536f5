package web_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/static"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/store/storetest"
	"github.com/tqreg/tqreg/examples/portal/web"
)

// harness is a running portal over a fresh SQLite store, with an injected clock. Feature tests
// (wizard, applications, review) build on it: newHarness(t), then h.client() per browser.
type harness struct {
	t      *testing.T
	Clock  *fakeClock
	Store  *store.Store
	Server *web.Server
	HTTP   *httptest.Server
	// Logs holds everything the server and the store logged (JSON lines).
	Logs *syncBuffer
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newHarness starts a portal in dev mode on a temp-dir SQLite database.
func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessOn(t, storetest.OpenSQLite)
}

// newPostgresHarness is newHarness on a fresh Postgres schema (skips without TEST_DATABASE_URL,
// fails then under REQUIRE_POSTGRES=1).
func newPostgresHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessOn(t, storetest.OpenPostgres)
}

func newHarnessOn(t *testing.T, open func(testing.TB, ...store.Option) *store.Store) *harness {
	t.Helper()
	clock := newClock()
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	st := open(t, store.WithClock(clock.Now), store.WithLogger(logger))
	srv, err := web.New(web.Config{
		Store:    st,
		Static:   static.FS,
		Now:      clock.Now,
		Logger:   logger,
		Dev:      true,
		BaseURL:  "http://portal.test",
		Services: web.Services{Captcha: testCaptcha{account.CaptchaSlider}, TextCaptcha: testCaptcha{account.CaptchaText}, Hasher: testHasher},
	})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &harness{t: t, Clock: clock, Store: st, Server: srv, HTTP: hs, Logs: logs}
}

// client is one browser: its own cookie jar; redirects are not followed (tests see them).
type client struct {
	h    *harness
	http *http.Client
}

func (h *harness) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{h: h, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is a finished request: status, headers, body and the parsed document.
type response struct {
	*http.Response
	Body string
	Doc  *goquery.Document
}

// find returns the selection for a data-testid.
func (r *response) find(testID string) *goquery.Selection {
	return r.Doc.Find(`[data-testid="` + testID + `"]`)
}

// text returns the trimmed text of the element with a data-testid.
func (r *response) text(testID string) string {
	return strings.TrimSpace(r.find(testID).Text())
}

// do sends a request; hdr is a list of header name, value pairs.
func (c *client) do(method, path string, body io.Reader, contentType string, hdr ...string) *response {
	c.h.t.Helper()
	req, err := http.NewRequest(method, c.h.HTTP.URL+path, body)
	if err != nil {
		c.h.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if method != http.MethodGet {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.h.t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		c.h.t.Fatal(err)
	}
	return &response{Response: res, Body: string(b), Doc: doc}
}

// get fetches path; hdr is a list of header name, value pairs.
func (c *client) get(path string, hdr ...string) *response {
	c.h.t.Helper()
	return c.do(http.MethodGet, path, nil, "", hdr...)
}

// post submits a url-encoded form as a same-origin browser would.
func (c *client) post(path string, form url.Values, hdr ...string) *response {
	c.h.t.Helper()
	return c.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", hdr...)
}

// cookie returns the value of the client's cookie name ("" when absent).
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.h.HTTP.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// wantStatus fails the test when the response status differs.
func wantStatus(t *testing.T, r *response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, snippet(r.Body))
	}
}

func snippet(s string) string {
	if len(s) > 1500 {
		return s[:1500] + "…"
	}
	return s
}

// testCaptcha accepts the answer "ok" (the real slider is exercised in the account package and in
// the browser test); every other answer is wrong.
type testCaptcha struct{ kind account.CaptchaKind }

func (c testCaptcha) Issue(_ context.Context, now time.Time) (account.Challenge, error) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return account.Challenge{ID: hex.EncodeToString(b[:]), Kind: c.kind, ExpiresAt: now.Add(2 * time.Minute),
		Background: []byte("\x89PNG bg"), Piece: []byte("\x89PNG piece"), Width: 320, Height: 160, PieceSize: 56, PieceY: 10,
		Prompt: "请计算:一加一等于多少?"}, nil
}

func (c testCaptcha) Verify(_ context.Context, id, answer string, _ time.Time) error {
	if answer != "ok" {
		return account.ErrCaptchaWrong
	}
	return nil
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

// applicant is a registered demo person for tests.
type applicant struct {
	ID        int64
	DocNumber string
	Name      string
	Password  string
	Phone     string
	Email     string
}

var applicantSeq atomic.Int64

// testHasher is argon2id with tiny costs, so handler tests do not spend their time hashing (the
// account package tests and benchmarks cover the real parameters).
var testHasher = func() *account.Hasher {
	h, err := account.NewHasher(account.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 4)
	if err != nil {
		panic(err)
	}
	return h
}()

// createApplicant stores a new account directly (registered now, password hashed for real).
func (h *harness) createApplicant(edits ...func(*account.Account)) applicant {
	h.t.Helper()
	n := applicantSeq.Add(1)
	a := applicant{
		DocNumber: residentID(fmt.Sprintf("11010519850101%03d", n%1000)),
		Name:      "张三" + string(rune('甲'+n%10)),
		Password:  "Registration-2026!",
		Phone:     fmt.Sprintf("138%08d", n),
		Email:     fmt.Sprintf("t%d@example.com", n),
	}
	hash, err := testHasher.Hash(a.Password)
	if err != nil {
		h.t.Fatal(err)
	}
	rec := account.Account{
		DocType: account.DocResidentID, DocNumber: a.DocNumber, Name: a.Name, Phone: a.Phone, Email: a.Email,
		RegisteredAt: h.Clock.Now(), PasswordHash: hash, PasswordChangedAt: h.Clock.Now(), RealNameVerified: true,
	}
	for _, e := range edits {
		e(&rec)
	}
	acc, err := h.Store.CreateAccount(context.Background(), rec)
	if err != nil {
		h.t.Fatalf("CreateAccount: %v", err)
	}
	a.ID = acc.ID
	return a
}

// loginForm is the login form for a, with the test captcha solved.
func loginForm(docNumber, password string) url.Values {
	return url.Values{"doc_type": {"1"}, "doc_number": {docNumber}, "password": {password},
		"captcha_id": {"x"}, "captcha_kind": {"1"}, "captcha_answer": {"ok"}}
}

// login logs the client in as a and fails the test unless it worked.
func (c *client) login(a applicant) {
	c.h.t.Helper()
	c.get("/login")
	r := c.post("/login", loginForm(a.DocNumber, a.Password))
	if r.StatusCode != http.StatusSeeOther {
		c.h.t.Fatalf("login: status %d\n%s", r.StatusCode, snippet(r.Body))
	}
}

// sessionCookie is the portal's session cookie name in tests (plain HTTP).
const sessionCookie = "tqreg_session"

// errorsOf returns the field errors of a page: field name → message, from the inline errors.
func errorsOf(r *response) map[string]string {
	out := map[string]string{}
	r.find("field-error").Each(func(_ int, s *goquery.Selection) {
		out[s.AttrOr("data-field", "")] = strings.TrimSpace(s.Text())
	})
	return out
}

// summaryOf returns the error summary's entries: field name → message.
func summaryOf(r *response) map[string]string {
	out := map[string]string{}
	r.find("summary-error").Each(func(_ int, s *goquery.Selection) {
		out[s.AttrOr("data-field", "")] = strings.TrimSpace(s.Text())
	})
	return out
}

// lastMessage returns the newest outbox message to recipient.
func (h *harness) lastMessage(recipient string) store.OutboxMessage {
	h.t.Helper()
	msgs, err := h.Store.Outbox(context.Background(), 100)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Recipient == recipient {
			return m
		}
	}
	h.t.Fatalf("no message to %s", recipient)
	return store.OutboxMessage{}
}

var smsCode = regexp.MustCompile(`\b\d{6}\b`)

// lastCode returns the newest SMS code sent to phone.
func (h *harness) lastCode(phone string) string {
	h.t.Helper()
	return smsCode.FindString(h.lastMessage(phone).Body)
}

// sessionStored reports whether the server keeps a session for the cookie value id.
func (h *harness) sessionStored(id string) bool {
	h.t.Helper()
	sum := sha256.Sum256([]byte(id))
	_, err := h.Store.Session(context.Background(), hex.EncodeToString(sum[:]))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.t.Fatal(err)
	}
	return err == nil
}

// assertOwnerOnly checks that each path answers 200 to its owner and 404 to another applicant —
// the same answer as for a path that does not exist, so nothing is learnt about others' data.
// Feature tests (applications, photos, PDFs, messages) call it with their URLs.
func assertOwnerOnly(t *testing.T, owner, other *client, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if r := owner.get(p); r.StatusCode != http.StatusOK {
			t.Errorf("owner GET %s: %d, want 200", p, r.StatusCode)
		}
		r := other.get(p)
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("other applicant GET %s: %d, want 404", p, r.StatusCode)
		}
		if strings.Contains(r.Body, "data-testid=\"user-name\"") && r.find("error-page").Length() != 1 {
			t.Errorf("other applicant GET %s: not the error page", p)
		}
	}
}
