package web_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/examples/portal/web"
	"github.com/tqreg/tqreg/photo"
	"github.com/tqreg/tqreg/registration"
)

// pngPortrait is portrait(w, h) as a PNG.
func pngPortrait(t *testing.T, w, h int) []byte {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(portrait(w, h)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestUploadedPhotosAreStoredOnlyAsThePortalsOwnJPEG: whatever is sent, the portal stores only
// JPEG bytes it encoded itself; a file that does not decode is not stored at all. The page shows
// the check of the bytes sent, unless their stored re-encoding passes: then it shows the stored
// photo as passing, with a note that it was converted (下一步 accepts that photo).
func TestUploadedPhotosAreStoredOnlyAsThePortalsOwnJPEG(t *testing.T) {
	good := goodPhoto(t)
	cases := []struct {
		name    string
		sent    []byte
		stored  bool
		problem string // a message of the check of the bytes sent
		note    string // the conversion note shown with 照片符合要求
	}{
		{"a PNG of the wrong size is stored as a JPEG the portal encoded, with the check of the PNG", pngPortrait(t, 400, 560), true, "不是 JPEG", ""},
		{"a PNG whose re-encoding passes is shown as the passing JPEG stored", noisyPNG(t, 295, 413), true, "", "已将照片转换为JPEG格式"},
		{"a JPEG that fails the check is stored re-encoded", portrait(400, 560), true, "照片宽度为 400", ""},
		{"a passing JPEG is stored re-encoded", good, true, "", ""},
		{"a broken JPEG is not stored", good[:len(good)*2/3], false, "损坏", ""},
	}
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	h.wizardTo(c, registration.StepInformation)
	base := merge(infoValues(), url.Values{"step": {"2"}, "certificate": {firstCert(c)}, "action": {"upload"}})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.postMultipart("/platform/wizard", base, "photo_file", "me.jpg", tc.sent)
			wantStep(t, r, registration.StepInformation)
			// The bytes as sent are never stored.
			wantStatus(t, c.get("/platform/photos/"+store.PhotoKey(tc.sent)), http.StatusNotFound)
			key := r.Doc.Find(`input[name="photo"]`).AttrOr("value", "")
			var shown []string
			r.find("photo-problem").Each(func(_ int, s *goquery.Selection) { shown = append(shown, strings.TrimSpace(s.Text())) })
			shown = append(shown, errorsOf(r)["photo"])
			if tc.problem != "" && !strings.Contains(strings.Join(shown, "\n"), tc.problem) {
				t.Errorf("the page shows %q, want the check's %q", shown, tc.problem)
			}
			if !tc.stored {
				wantStatus(t, r, http.StatusUnprocessableEntity)
				if key != "" || r.find("photo-preview").Length() != 0 {
					t.Errorf("a file that does not decode was kept as photo %q", key)
				}
				return
			}
			wantStatus(t, r, http.StatusOK)
			img := c.get("/platform/photos/" + key)
			wantStatus(t, img, http.StatusOK)
			data := []byte(img.Body)
			if bytes.Equal(data, tc.sent) || !bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}) {
				t.Errorf("stored %d bytes (JPEG %v), sent %d: not the portal's own encoding", len(data), bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}), len(tc.sent))
			}
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				t.Errorf("stored photo does not decode: %v", err)
			}
			sentOK, storedOK := photo.Registration.Check(tc.sent).OK(), photo.Registration.Check(data).OK()
			if tc.note != "" && (sentOK || !storedOK) {
				t.Fatalf("test picture: check of the bytes sent ok=%v, of the stored ok=%v; want false, true", sentOK, storedOK)
			}
			if shownOK := r.find("photo-ok").Length() == 1; shownOK != (sentOK || storedOK) {
				t.Errorf("the page says ok=%v; the check of the bytes sent is ok=%v, of the stored photo ok=%v", shownOK, sentOK, storedOK)
			}
			if note := r.text("photo-converted"); !strings.Contains(note, tc.note) || (tc.note == "") != (note == "") {
				t.Errorf("conversion note %q, want %q", note, tc.note)
			}
			if tc.note != "" {
				if n := r.find("photo-problem").Length(); n != 0 {
					t.Errorf("the page lists %d problems of the bytes sent for a stored photo that passes", n)
				}
				next := c.post("/platform/wizard", merge(base, url.Values{"photo": {key}, "action": {"next"}}))
				wantStatus(t, next, http.StatusSeeOther)
				wantStatus(t, c.post("/platform/wizard/back", url.Values{"step": {"3"}}), http.StatusSeeOther)
			}
		})
	}
}

// TestRefusedUploadIsA422FragmentThatHtmxSwaps: with htmx, a refused upload answers the step's
// fragment with 422, and the page's htmx config swaps a 422 (htmx 2 does not by default).
func TestRefusedUploadIsA422FragmentThatHtmxSwaps(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	h.wizardTo(c, registration.StepInformation)
	page := c.get("/platform/wizard")
	var cfg struct {
		ResponseHandling []struct {
			Code string `json:"code"`
			Swap bool   `json:"swap"`
		} `json:"responseHandling"`
	}
	if err := json.Unmarshal([]byte(page.Doc.Find(`meta[name="htmx-config"]`).AttrOr("content", "")), &cfg); err != nil {
		t.Fatalf("htmx-config: %v", err)
	}
	swaps := false
	for _, rule := range cfg.ResponseHandling {
		if regexp.MustCompile("^(?:" + rule.Code + ")$").MatchString("422") {
			swaps = rule.Swap
			break
		}
	}
	if !swaps {
		t.Errorf("htmx does not swap a 422: %+v", cfg.ResponseHandling)
	}
	good := goodPhoto(t)
	base := merge(infoValues(), url.Values{"step": {"2"}, "certificate": {firstCert(c)}, "action": {"upload"}})
	r := c.postMultipart("/platform/wizard", base, "photo_file", "me.jpg", good[:len(good)/2], "HX-Request", "true")
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if r.find("site-header").Length() != 0 {
		t.Error("HTMX upload got the whole page")
	}
	if want := strings.Join(problemMessages(good[:len(good)/2]), ";"); errorsOf(r)["photo"] != want {
		t.Errorf("photo error %q, want the check's %q", errorsOf(r)["photo"], want)
	}
}

func problemMessages(data []byte) []string {
	var out []string
	for _, p := range photo.Registration.Check(data).Problems {
		out = append(out, p.Message)
	}
	return out
}

// TestEditUploadsAreStoredOnlyAsThePortalsOwnJPEG: 修改报名信息 takes a new photo the same way.
func TestEditUploadsAreStoredOnlyAsThePortalsOwnJPEG(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	number := h.submit(c)
	page := c.get("/platform/applications/" + number + "/edit")
	wantStatus(t, page, http.StatusOK)
	base := merge(infoValues(), url.Values{"version": {page.Doc.Find(`input[name="version"]`).AttrOr("value", "")},
		"photo": {page.Doc.Find(`input[name="photo"]`).AttrOr("value", "")}, "action": {"upload"}})

	sent := pngPortrait(t, 295, 413)
	r := c.postMultipart("/platform/applications/"+number+"/edit", base, "photo_file", "me.png", sent)
	wantStatus(t, r, http.StatusOK)
	wantStatus(t, c.get("/platform/photos/"+store.PhotoKey(sent)), http.StatusNotFound)
	key := r.Doc.Find(`input[name="photo"]`).AttrOr("value", "")
	stored := []byte(c.get("/platform/photos/" + key).Body)
	if !bytes.HasPrefix(stored, []byte{0xFF, 0xD8, 0xFF}) || bytes.Equal(stored, sent) {
		t.Errorf("stored %d bytes: not the portal's JPEG", len(stored))
	}
	if !strings.Contains(r.text("photo-problems"), "不是 JPEG") {
		t.Errorf("the page does not show the check of the bytes sent: %q", r.text("photo-problems"))
	}

	r = c.postMultipart("/platform/applications/"+number+"/edit", base, "photo_file", "me.png", noisyPNG(t, 295, 413))
	wantStatus(t, r, http.StatusOK)
	if r.find("photo-ok").Length() != 1 || !strings.Contains(r.text("photo-converted"), "已将照片转换为JPEG格式") {
		t.Errorf("a PNG whose re-encoding passes: ok %d, note %q; want the stored photo shown passing with the note",
			r.find("photo-ok").Length(), r.text("photo-converted"))
	}

	good := goodPhoto(t)
	broken := good[:len(good)/2]
	r = c.postMultipart("/platform/applications/"+number+"/edit", base, "photo_file", "me.jpg", broken)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantStatus(t, c.get("/platform/photos/"+store.PhotoKey(broken)), http.StatusNotFound)
	if want := strings.Join(problemMessages(broken), ";"); errorsOf(r)["photo"] != want {
		t.Errorf("photo error %q, want %q", errorsOf(r)["photo"], want)
	}
}

// pngFlat16 is a w×h 16-bit PNG of one grey: a few tens of KB that decode into 8 bytes a pixel.
func pngFlat16(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA64(image.Rect(0, 0, w, h))
	for x := range w {
		img.SetRGBA64(x, 0, color.RGBA64{0xEEEE, 0xEEEE, 0xEEEE, 0xFFFF})
	}
	for y := 1; y < h; y++ {
		copy(img.Pix[y*img.Stride:], img.Pix[:img.Stride])
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestUploadOverThePixelBoundIsRefusedUnstored: a picture with more pixels than the photo check
// decodes (photo.MaxCheckPixels) is neither decoded nor stored, and the page says to shrink it.
func TestUploadOverThePixelBoundIsRefusedUnstored(t *testing.T) {
	cases := []struct {
		name string
		sent []byte
		size string
	}{
		{"a small 16-bit PNG of 2048×2047", pngFlat16(t, 2048, 2047), "2048×2047"},
		{"a JPEG of 1100×1100", portrait(1100, 1100), "1100×1100"},
	}
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	h.wizardTo(c, registration.StepInformation)
	base := merge(infoValues(), url.Values{"step": {"2"}, "certificate": {firstCert(c)}, "action": {"upload"}})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.sent) >= web.PhotoBodyLimit {
				t.Fatalf("test picture of %d bytes is over the body limit", len(tc.sent))
			}
			r := c.postMultipart("/platform/wizard", base, "photo_file", "me.png", tc.sent)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if key := r.Doc.Find(`input[name="photo"]`).AttrOr("value", ""); key != "" || r.find("photo-preview").Length() != 0 {
				t.Errorf("a picture over the pixel bound was stored as %q", key)
			}
			msg := errorsOf(r)["photo"]
			for _, want := range []string{tc.size, "超过系统可以处理的上限", "未保存", "请将照片缩小"} {
				if !strings.Contains(msg, want) {
					t.Errorf("photo error %q does not say %q", msg, want)
				}
			}
		})
	}
}

// TestUploadWithoutAFreePhotoSlotIsBusy: while every photo work slot is taken, an upload is
// answered 503 系统繁忙 and nothing is stored; once a slot is free the same upload is kept.
func TestUploadWithoutAFreePhotoSlotIsBusy(t *testing.T) {
	h := newRegHarness(t)
	c := h.client()
	c.login(h.teacher())
	h.wizardTo(c, registration.StepInformation)
	base := merge(infoValues(), url.Values{"step": {"2"}, "certificate": {firstCert(c)}, "action": {"upload"}})
	good := goodPhoto(t)

	release := h.Server.HoldPhotoWork()
	r := c.postMultipart("/platform/wizard", base, "photo_file", "me.jpg", good)
	release()
	wantStatus(t, r, http.StatusServiceUnavailable)
	if msg := errorsOf(r)["photo"]; msg != "系统繁忙,请稍后重试" {
		t.Errorf("photo error %q, want 系统繁忙,请稍后重试", msg)
	}
	if key := r.Doc.Find(`input[name="photo"]`).AttrOr("value", ""); key != "" {
		t.Errorf("an upload without a slot was stored as %q", key)
	}

	r = c.postMultipart("/platform/wizard", base, "photo_file", "me.jpg", good)
	wantStatus(t, r, http.StatusOK)
	if r.find("photo-ok").Length() != 1 {
		t.Error("the upload after the slots were freed does not pass")
	}
}

// noisyPNG is a w×h PNG of noise with white top and side edges, so that its JPEG re-encoding is
// within the registration spec's byte range and has a white background.
func noisyPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 255, 255, 255}
			if y > h/8 && x > w/8 && x < w*7/8 {
				c = color.RGBA{uint8(rng.IntN(8) * 25), uint8(rng.IntN(8) * 25), uint8(rng.IntN(8) * 25), 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
