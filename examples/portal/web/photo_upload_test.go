package web_test

import (
	"bytes"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
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
// JPEG bytes it encoded itself; the page shows the check of the bytes sent; a file that does not
// decode is not stored at all.
func TestUploadedPhotosAreStoredOnlyAsThePortalsOwnJPEG(t *testing.T) {
	good := goodPhoto(t)
	cases := []struct {
		name    string
		sent    []byte
		stored  bool
		problem string // a message of the check of the bytes sent
	}{
		{"a PNG is stored as a JPEG the portal encoded", pngPortrait(t, 295, 413), true, "不是 JPEG"},
		{"a JPEG that fails the check is stored re-encoded", portrait(400, 560), true, "照片宽度为 400"},
		{"a passing JPEG is stored re-encoded", good, true, ""},
		{"a broken JPEG is not stored", good[:len(good)*2/3], false, "损坏"},
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
			wantStatus(t, c.get("/platform/photos/"+web.PhotoKey(tc.sent)), http.StatusNotFound)
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
			if ok := photo.Registration.Check(tc.sent).OK(); ok != (r.find("photo-ok").Length() == 1) {
				t.Errorf("the page says ok=%v for bytes whose check is ok=%v", !ok, ok)
			}
		})
	}
}
