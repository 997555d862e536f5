package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/tqreg/tqreg/examples/portal/cmd/loadtest/loadgen"
)

// browser is one virtual user: its own cookie jar, the headers a browser sends, and the latency
// bookkeeping. Each request's latency runs from when it was due: the first from the arrival's
// scheduled time, each later one from the end of the previous (no think time), so queueing at
// the server is never hidden.
type browser struct {
	bases  []*url.URL // requests alternate between them (two portal processes, one origin)
	next   int
	origin string
	hc     *http.Client
	rec    *loadgen.Recorder
	due    time.Time
	page   string // the current page's URL, for Referer and HX-Current-URL
}

func newBrowser(bases []*url.URL, tr http.RoundTripper, rec *loadgen.Recorder) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{
		bases:  bases,
		origin: bases[0].Scheme + "://" + bases[0].Host,
		rec:    rec,
		hc: &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second,
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= 10 {
					return fmt.Errorf("too many redirects")
				}
				if err := loadgen.CheckLocal(req.URL.String()); err != nil {
					return err
				}
				// a browser following a redirect sends no Origin on the GET
				req.Header.Del("Origin")
				req.Header.Del("HX-Request")
				return nil
			}},
	}
}

// at sets when the next request is due (an arrival's scheduled time).
func (b *browser) at(t time.Time) { b.due = t }

// page is a finished response.
type page struct {
	Status int
	URL    *url.URL
	Header http.Header
	Body   []byte
	doc    *goquery.Document
}

func (p *page) Doc() *goquery.Document {
	if p.doc == nil {
		p.doc, _ = goquery.NewDocumentFromReader(bytes.NewReader(p.Body))
		if p.doc == nil {
			p.doc, _ = goquery.NewDocumentFromReader(strings.NewReader(""))
		}
	}
	return p.doc
}

func (p *page) Find(testID string) *goquery.Selection {
	return p.Doc().Find(`[data-testid="` + testID + `"]`)
}

type reqKind int

const (
	navigate    reqKind = iota // typed URL or link: Sec-Fetch-Mode navigate
	htmx                       // htmx request: HX-Request, cors mode
	subresource                // image
)

// get loads path; want is the expected final status (after redirects).
func (b *browser) get(ctx context.Context, name, path string, kind reqKind, want int) (*page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.abs(path), nil)
	if err != nil {
		return nil, err
	}
	b.headers(req, kind, false)
	return b.do(name, req, kind, want)
}

// post submits a url-encoded form.
func (b *browser) post(ctx context.Context, name, path string, v url.Values, kind reqKind, want int) (*page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.abs(path), strings.NewReader(v.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	b.headers(req, kind, true)
	return b.do(name, req, kind, want)
}

// postMultipart submits a multipart form with one file.
func (b *browser) postMultipart(ctx context.Context, name, path string, v url.Values, field, filename string, data []byte, want int) (*page, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range v {
		for _, x := range vs {
			_ = mw.WriteField(k, x)
		}
	}
	if field != "" {
		fw, _ := mw.CreateFormFile(field, filename)
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	return b.postRaw(ctx, name, path, mw.FormDataContentType(), &buf, want)
}

// postRaw posts any body with any content type (the bad-input run).
func (b *browser) postRaw(ctx context.Context, name, path, contentType string, body io.Reader, want int) (*page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.abs(path), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	b.headers(req, navigate, true)
	return b.do(name, req, navigate, want)
}

// abs resolves path against the next portal (round robin) and sets the Origin to match it.
func (b *browser) abs(path string) string {
	base := b.bases[b.next%len(b.bases)]
	b.next++
	b.origin = base.Scheme + "://" + base.Host
	u, err := base.Parse(path)
	if err != nil {
		return b.origin + "/"
	}
	return u.String()
}

// headers sets what a browser sends for a same-origin request of kind.
func (b *browser) headers(req *http.Request, kind reqKind, post bool) {
	h := req.Header
	h.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) tqreg-loadtest/1")
	h.Set("Accept-Language", "zh-CN,zh;q=0.9")
	site := "same-origin"
	if b.page == "" {
		site = "none"
	}
	h.Set("Sec-Fetch-Site", site)
	if b.page != "" {
		h.Set("Referer", b.page)
	}
	if post {
		h.Set("Origin", b.origin)
	}
	switch kind {
	case htmx:
		h.Set("HX-Request", "true")
		h.Set("HX-Current-URL", b.page)
		h.Set("Sec-Fetch-Mode", "cors")
		h.Set("Sec-Fetch-Dest", "empty")
		h.Set("Accept", "*/*")
	case subresource:
		h.Set("Sec-Fetch-Mode", "no-cors")
		h.Set("Sec-Fetch-Dest", "image")
		h.Set("Accept", "image/avif,image/webp,image/png,*/*")
	default:
		h.Set("Sec-Fetch-Mode", "navigate")
		h.Set("Sec-Fetch-Dest", "document")
		h.Set("Sec-Fetch-User", "?1")
		h.Set("Accept", "text/html,application/xhtml+xml")
	}
}

// do sends req, records its latency under name from b.due and checks the status.
func (b *browser) do(name string, req *http.Request, kind reqKind, want int) (*page, error) {
	start := b.due
	if start.IsZero() {
		start = time.Now()
	}
	res, err := b.hc.Do(req)
	var p *page
	if err == nil {
		body, rerr := io.ReadAll(io.LimitReader(res.Body, 16<<20))
		res.Body.Close()
		p = &page{Status: res.StatusCode, URL: res.Request.URL, Header: res.Header, Body: body}
		if rerr != nil {
			err = rerr
		} else if want != 0 && res.StatusCode != want {
			err = &loadgen.StatusError{Status: res.StatusCode, Want: fmt.Sprint(want)}
		}
	}
	end := time.Now()
	b.rec.Record(name, start, end, err)
	b.due = end
	if p != nil && kind == navigate && err == nil && strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
		b.page = p.URL.String()
	}
	if err != nil {
		detail := ""
		if p != nil && strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			detail = strings.Join(strings.Fields(p.Find("error-summary").Text()+" "+p.Doc().Find(".field-error, [role=alert]").Text()), " ")
			if step, ok := p.Find("wizard-step").Attr("data-step"); ok {
				detail = "step " + step + ": " + detail
			}
			if len(detail) > 300 {
				detail = detail[:300]
			}
		}
		return p, fmt.Errorf("%s: %w %s", name, err, detail)
	}
	return p, nil
}
