package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/cmd/loadtest/loadgen"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// badCase is one kind of hostile request; send posts it with a logged-in browser and returns
// the page.
type badCase struct {
	name string
	send func(ctx context.Context, b *browser) (*page, error)
	// field, when set, is the form field whose error the refusal shows: the form page again
	// with 422 (an upload the portal cannot read is refused like any other invalid field)
	field string
}

func badCases(photoJPEG []byte) []badCase {
	huge := bytes.Repeat([]byte("a"), 2<<20) // 2 MiB, far above every body limit
	long := strings.Repeat("长", 20000)       // 60 KB of one field, under the 64 KB body limit
	invalid := string([]byte{0xff, 0xfe, 0xc3, 0x28, 'x'})
	broken := append([]byte(nil), photoJPEG[:len(photoJPEG)/3]...)
	multipartBody := func(v url.Values, data []byte) (string, *bytes.Buffer) {
		var buf bytes.Buffer
		ct := writeMultipart(&buf, v, "photo_file", "photo.jpg", data)
		return ct, &buf
	}
	return []badCase{
		{name: "oversized body (2 MiB form)", send: func(ctx context.Context, b *browser) (*page, error) {
			return b.postRaw(ctx, "bad: oversized body", "/platform/wizard", "application/x-www-form-urlencoded", bytes.NewReader(append([]byte("step=2&x="), huge...)), 0)
		}},
		{name: "oversized photo (2 MiB multipart)", send: func(ctx context.Context, b *browser) (*page, error) {
			ct, body := multipartBody(url.Values{"step": {"2"}, "action": {"upload"}}, huge)
			return b.postRaw(ctx, "bad: oversized photo", "/platform/wizard", ct, body, 0)
		}},
		{name: "malformed multipart", send: func(ctx context.Context, b *browser) (*page, error) {
			return b.postRaw(ctx, "bad: malformed multipart", "/platform/wizard", "multipart/form-data; boundary=XYZ",
				strings.NewReader("--XYZ\r\nContent-Disposition: form-data; name=\"step\"\r\n\r\n2\r\n--XYZ\r\nContent-Disposition: form-data; name=\"photo_file\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8garbage"), 0)
		}},
		{name: "multipart without boundary", send: func(ctx context.Context, b *browser) (*page, error) {
			return b.postRaw(ctx, "bad: no boundary", "/platform/wizard", "multipart/form-data", strings.NewReader("step=2"), 0)
		}},
		{name: "broken JPEG upload", send: func(ctx context.Context, b *browser) (*page, error) {
			ct, body := multipartBody(url.Values{"step": {"2"}, "action": {"upload"}}, broken)
			return b.postRaw(ctx, "bad: broken JPEG", "/platform/wizard", ct, body, 0)
		}, field: "photo"},
		{name: "PNG bytes named .jpg", send: func(ctx context.Context, b *browser) (*page, error) {
			ct, body := multipartBody(url.Values{"step": {"2"}, "action": {"upload"}}, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
			return b.postRaw(ctx, "bad: not a JPEG", "/platform/wizard", ct, body, 0)
		}, field: "photo"},
		{name: "very long field", send: func(ctx context.Context, b *browser) (*page, error) {
			return b.post(ctx, "bad: very long field", "/platform/wizard", url.Values{"step": {"2"}, "major": {long}, "address": {long[:3000]}}, navigate, 0)
		}},
		{name: "invalid UTF-8", send: func(ctx context.Context, b *browser) (*page, error) {
			return b.post(ctx, "bad: invalid UTF-8", "/platform/wizard", url.Values{"step": {"2"}, "major": {invalid}, "school": {invalid}}, navigate, 0)
		}},
		{name: "invalid UTF-8 in login", send: func(ctx context.Context, b *browser) (*page, error) {
			return b.post(ctx, "bad: invalid UTF-8 login", "/certificates/other", url.Values{"name": {invalid}, "doc_number": {invalid}}, navigate, 0)
		}},
		{name: "wrong step number", send: func(ctx context.Context, b *browser) (*page, error) {
			return b.post(ctx, "bad: step out of range", "/platform/wizard", url.Values{"step": {"99999999999999999999"}}, navigate, 0)
		}},
	}
}

// noRedirect shows a redirect as the answer: a bad request must be refused, not sent elsewhere.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func writeMultipart(w io.Writer, v url.Values, field, filename string, data []byte) string {
	mw := multipart.NewWriter(w)
	for k, vs := range v {
		for _, x := range vs {
			_ = mw.WriteField(k, x)
		}
	}
	fw, _ := mw.CreateFormFile(field, filename)
	_, _ = fw.Write(data)
	_ = mw.Close()
	return mw.FormDataContentType()
}

// runBadInput sends the bad cases at -rate for -duration from logged-in load users and
// requires a 4xx HTML page for every one (never a 5xx, a reset or a raw error).
func runBadInput(ctx context.Context, c *config, stdout, stderr io.Writer) error {
	if c.dsn == "" {
		return errors.New("-db is required")
	}
	st, err := store.Open(ctx, c.dsn)
	if err != nil {
		return err
	}
	hasher, err := account.NewHasher(account.DefaultParams, runtime.NumCPU())
	if err != nil {
		st.Close()
		return err
	}
	users, err := ensureUsers(ctx, st, 4, hasher, time.Now())
	st.Close()
	if err != nil {
		return err
	}
	photoJPEG, err := genPhoto(1)
	if err != nil {
		return err
	}
	tr := loadgen.LocalTransport(256)
	rec := loadgen.NewRecorder()
	var bs []*browser
	for _, u := range users {
		b := newBrowser(c.urls, tr, loadgen.NewRecorder())
		if err := login(ctx, b, u); err != nil {
			return err
		}
		// the bad posts go to the wizard's information step (2), where uploads are taken
		if _, err := toInformation(ctx, b); err != nil {
			return err
		}
		bs = append(bs, b)
	}
	cases := badCases(photoJPEG)
	if c.pid > 0 {
		fmt.Fprintf(stdout, "portal peak RSS before: %s\n", peakRSS(c.pid))
	}
	runner := &loadgen.Runner{OnDrop: func(loadgen.Arrival) { rec.Done(errors.New("dropped")) }}
	total := loadgen.Plan{Rate: c.rate, Count: c.count, Duration: c.duration}.Total()
	fmt.Fprintf(stdout, "== bad input: %d kinds at %.0f req/s, %d requests ==\n", len(cases), c.rate, total)
	pctx, stop := context.WithCancel(ctx)
	if c.progress {
		go loadgen.Progress(pctx, stderr, time.Second, "bad input", total, runner, rec)
	}
	runner.Run(ctx, loadgen.Plan{Rate: c.rate, Count: c.count, Duration: c.duration}, func(ctx context.Context, a loadgen.Arrival) {
		bc := cases[a.Index%len(cases)]
		b := newBrowser(c.urls, tr, rec)
		b.hc.Jar = bs[a.Index%len(bs)].hc.Jar
		b.hc.CheckRedirect = noRedirect
		b.at(a.Scheduled)
		p, err := bc.send(ctx, b)
		if err == nil {
			err = bc.check(p)
			if err != nil {
				rec.Record(bc.name+" (answer)", a.Scheduled, time.Now(), err)
			}
		}
		rec.Done(err)
	})
	stop()
	time.Sleep(10 * time.Millisecond)
	fmt.Fprintln(stdout)
	_ = loadgen.WriteReport(stdout, rec.Stats())
	// which status each kind got
	for _, bc := range cases {
		b := newBrowser(c.urls, tr, loadgen.NewRecorder())
		b.hc.Jar = bs[0].hc.Jar
		b.hc.CheckRedirect = noRedirect
		p, err := bc.send(ctx, b)
		if err != nil {
			fmt.Fprintf(stdout, "  %-36s error %v\n", bc.name, err)
			continue
		}
		fmt.Fprintf(stdout, "  %-36s HTTP %d %s\n", bc.name, p.Status, strings.TrimSpace(p.Doc().Find("title").Text()))
	}
	if c.pid > 0 {
		fmt.Fprintf(stdout, "portal peak RSS after: %s\n", peakRSS(c.pid))
	}
	passed, failed := rec.Totals()
	fmt.Fprintln(stdout, loadgen.Summary(passed, failed))
	if loadgen.Failing(passed, failed, c.maxFail) {
		return errFailing
	}
	return nil
}

// check accepts the answer to a bad request: a clear 4xx page and, for a case with a field, the
// form again with 422 and that field's error.
func (bc badCase) check(p *page) error {
	if err := clear4xx(p); err != nil {
		return err
	}
	if bc.field == "" {
		return nil
	}
	if p.Status != http.StatusUnprocessableEntity {
		return &loadgen.StatusError{Status: p.Status, Want: "422"}
	}
	if strings.TrimSpace(p.Doc().Find(`[data-testid="field-error"][data-field="`+bc.field+`"]`).Text()) == "" {
		return fmt.Errorf("%w: 422 page without the %s field's error", errFlow, bc.field)
	}
	return nil
}

// clear4xx accepts a 4xx HTML page with a zh-CN text (a form page that shows the field errors
// with 422 counts too). A 200 is never a refusal, whatever the page says.
func clear4xx(p *page) error {
	if p.Status < 400 || p.Status >= 500 {
		return &loadgen.StatusError{Status: p.Status, Want: "4xx"}
	}
	if !strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
		return fmt.Errorf("%w: 4xx answer is %q, not an HTML page", errFlow, p.Header.Get("Content-Type"))
	}
	if !bytes.Contains(p.Body, []byte("lang=\"zh-CN\"")) {
		return fmt.Errorf("%w: 4xx page is not the zh-CN page", errFlow)
	}
	return nil
}
