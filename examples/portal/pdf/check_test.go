package pdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/tqreg/tqreg/examples/portal/fonts"
)

// pdftotext returns the text of doc as poppler's pdftotext extracts it. Without pdftotext on
// PATH the test is skipped, or failed under REQUIRE_BROWSER=1 (CI installs poppler-utils
// next to chromium, so a silent skip there would hide a broken check).
func pdftotext(tb testing.TB, doc []byte, flags ...string) string {
	tb.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		msg := "text extraction skipped: no pdftotext on PATH (apt-get install -y poppler-utils)"
		if os.Getenv("REQUIRE_BROWSER") == "1" {
			tb.Fatalf("%s, but REQUIRE_BROWSER=1 requires it", msg)
		}
		tb.Skip(msg)
	}
	in := filepath.Join(tb.TempDir(), "form.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		tb.Fatal(err)
	}
	args := append(append([]string{}, flags...), "-enc", "UTF-8", in, "-")
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		tb.Fatalf("pdftotext %v: %v", flags, err)
	}
	return string(out)
}

var (
	pageObject = regexp.MustCompile(`/Type /Page\b`)
	subsetFont = regexp.MustCompile(`/BaseFont /[A-Z]{6}\+DroidSansFallback\b`)
	fontFile   = regexp.MustCompile(`/FontFile2 \d+ 0 R`)
	fontLength = regexp.MustCompile(`/Length1 (\d+)`)
)

// structure is what a pure-Go look at the PDF bytes finds.
type structure struct {
	header, trailer bool
	pages           int
	subsetCJK       bool // the CJK font is embedded under a subset tag
	largestFont     int  // the largest embedded font program, in bytes (uncompressed)
}

func inspect(doc []byte) structure {
	s := structure{
		header:    bytes.HasPrefix(doc, []byte("%PDF-")),
		trailer:   bytes.HasSuffix(bytes.TrimRight(doc, "\r\n"), []byte("%%EOF")),
		pages:     len(pageObject.FindAll(doc, -1)),
		subsetCJK: subsetFont.Match(doc) && fontFile.Match(doc),
	}
	for _, m := range fontLength.FindAllSubmatch(doc, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		s.largestFont = max(s.largestFont, n)
	}
	return s
}

// checkStructure fails unless doc is a complete PDF of the given number of pages with the
// CJK font embedded as a subset (well under the size of the whole font).
func checkStructure(tb testing.TB, doc []byte, pages int) {
	tb.Helper()
	s := inspect(doc)
	if !s.header {
		tb.Errorf("PDF starts with %q, want %%PDF-", doc[:min(len(doc), 8)])
	}
	if !s.trailer {
		tb.Errorf("PDF ends with %q, want %%%%EOF", doc[max(0, len(doc)-8):])
	}
	if s.pages != pages {
		tb.Errorf("PDF has %d page objects, want %d", s.pages, pages)
	}
	if !s.subsetCJK {
		tb.Error("PDF does not embed the CJK font as a subset (/BaseFont /XXXXXX+DroidSansFallback with /FontFile2)")
	}
	if s.largestFont == 0 || s.largestFont > len(fonts.DroidSansFallback)/4 {
		tb.Errorf("largest embedded font program is %d bytes; a subset of the %d-byte font should be far smaller",
			s.largestFont, len(fonts.DroidSansFallback))
	}
}

// wordBox is where pdftotext -bbox found a word, in points from the top left of its page.
type wordBox struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

var wordTag = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// wordBoxes returns every word of doc with its box (pdftotext -bbox); it skips or fails like
// pdftotext when poppler-utils is missing.
func wordBoxes(tb testing.TB, doc []byte) []wordBox {
	tb.Helper()
	var boxes []wordBox
	for _, m := range wordTag.FindAllStringSubmatch(pdftotext(tb, doc, "-bbox"), -1) {
		var b wordBox
		for i, p := range []*float64{&b.xMin, &b.yMin, &b.xMax, &b.yMax} {
			*p, _ = strconv.ParseFloat(m[i+1], 64)
		}
		b.text = m[5]
		boxes = append(boxes, b)
	}
	return boxes
}
