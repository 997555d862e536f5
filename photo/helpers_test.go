package photo_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"sync"
	"testing"
)

// Test pictures are generated here; the repository holds no photos.

var (
	white     = color.RGBA{244, 244, 244, 255}
	lightBlue = color.RGBA{173, 216, 230, 255} // CSS lightblue
	paleBlue  = color.RGBA{210, 230, 250, 255}
	skyBlue   = color.RGBA{135, 206, 250, 255} // CSS lightskyblue
	idBlue    = color.RGBA{67, 142, 219, 255}  // the usual blue ID-photo background
	red       = color.RGBA{220, 40, 40, 255}
	grey      = color.RGBA{190, 190, 190, 255}
	lightGrey = color.RGBA{211, 211, 211, 255} // CSS lightgray
)

// rng is a tiny deterministic generator (xorshift64*), fast enough for 12 MP.
type rng uint64

func (r *rng) next() uint64 {
	x := uint64(*r)
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	*r = rng(x)
	return x * 2685821657736338717
}

// jitter returns v plus a uniform offset in [-a, a], clamped to a byte.
func (r *rng) jitter(v uint8, a int) uint8 {
	if a == 0 {
		return v
	}
	n := int(v) + int(r.next()>>40%uint64(2*a+1)) - a
	return uint8(min(255, max(0, n)))
}

// portrait draws a w×h portrait: a background of colour bg with per-channel noise
// of ±bgNoise, a dark textured ellipse head and shoulders that reach the bottom
// edge, as in a real ID photo.
func portrait(w, h int, bg color.RGBA, bgNoise int, seed uint64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rng(seed | 1)
	fw, fh := float64(w), float64(h)
	hx, hy, hrx, hry := fw/2, fh*0.38, fw*0.26, fh*0.21 // head
	for y := range h {
		fy := float64(y)
		// shoulders: from 68% of the height, widening to the full width at the bottom
		var half float64
		if t := (fy - fh*0.68) / (fh * 0.32); t >= 0 {
			half = fw * (0.3 + 0.25*t)
		}
		row := img.Pix[y*img.Stride:]
		for x := range w {
			fx := float64(x)
			dx, dy := (fx-hx)/hrx, (fy-hy)/hry
			figure := dx*dx+dy*dy <= 1 || (half > 0 && fx > hx-half && fx < hx+half)
			p := row[4*x : 4*x+4]
			if figure {
				base := uint8(70 + int(fx+fy)%40)
				p[0], p[1], p[2] = r.jitter(base, 45), r.jitter(base-15, 45), r.jitter(base-25, 45)
			} else {
				p[0], p[1], p[2] = r.jitter(bg.R, bgNoise), r.jitter(bg.G, bgNoise), r.jitter(bg.B, bgNoise)
			}
			p[3] = 255
		}
	}
	return img
}

func encodeJPEG(tb testing.TB, img image.Image, q int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// encodePNG writes img as an uncompressed PNG: deflating noisy pictures takes
// tens of seconds under the race detector, and what the tests need is PNG
// bytes, not small ones.
func encodePNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// jpegNear encodes img at the quality whose size is closest to target bytes and
// fails unless that size lies strictly between lo and hi.
func jpegNear(tb testing.TB, img image.Image, target, lo, hi int) []byte {
	tb.Helper()
	var best []byte
	qlo, qhi := 1, 100
	for qlo <= qhi {
		q := (qlo + qhi) / 2
		b := encodeJPEG(tb, img, q)
		if best == nil || abs(len(b)-target) < abs(len(best)-target) {
			best = b
		}
		if len(b) < target {
			qlo = q + 1
		} else {
			qhi = q - 1
		}
	}
	if len(best) <= lo || len(best) >= hi {
		tb.Fatalf("no quality lands %d×%d in (%d, %d) bytes: closest to %d is %d",
			img.Bounds().Dx(), img.Bounds().Dy(), lo, hi, target, len(best))
	}
	return best
}

func abs(n int) int { return max(n, -n) }

const (
	kb      = 1024
	minSize = 50 * kb
	maxSize = 200 * kb
)

// portraitJPEG returns a w×h portrait JPEG on bg whose size lies inside the
// registration bounds. It is encoded once at quality 95 (about 65 KB for the
// registration sizes, a real unpadded file); only a picture that comes out
// outside the bounds falls back to the quality search. Results are cached: the
// race detector makes every encoding slow.
func portraitJPEG(tb testing.TB, w, h int, bg color.RGBA) []byte {
	tb.Helper()
	key := portraitKey{w, h, bg}
	if b, ok := portraitCache.Load(key); ok {
		return b.([]byte)
	}
	img := portrait(w, h, bg, 6, uint64(w*h))
	b := encodeJPEG(tb, img, 95)
	if len(b) <= minSize || len(b) >= maxSize {
		b = jpegNear(tb, img, 120*kb, minSize, maxSize)
	}
	portraitCache.Store(key, b)
	return b
}

// inBounds returns jpg unchanged when its size lies inside the registration
// bounds, else padded with comment segments to 100 KB; a file over the maximum
// fails tb. It replaces a quality search where only the pixels matter.
func inBounds(tb testing.TB, jpg []byte) []byte {
	tb.Helper()
	switch {
	case len(jpg) >= maxSize:
		tb.Fatalf("picture is %d bytes, over %d", len(jpg), maxSize)
	case len(jpg) <= minSize:
		return padTo(tb, jpg, 100*kb)
	}
	return jpg
}

type portraitKey struct {
	w, h int
	bg   color.RGBA
}

var portraitCache sync.Map

// padTo inserts JPEG comment (COM) segments after SOI so jpg is exactly n bytes.
func padTo(tb testing.TB, jpg []byte, n int) []byte {
	tb.Helper()
	add := n - len(jpg)
	if add < 4 {
		tb.Fatalf("cannot pad %d bytes to %d", len(jpg), n)
	}
	out := append([]byte(nil), jpg[:2]...)
	for add > 0 {
		seg := min(add, 0xffff+2)
		if rest := add - seg; rest > 0 && rest < 4 {
			seg -= 4 - rest
		}
		out = binary.BigEndian.AppendUint16(append(out, 0xff, 0xfe), uint16(seg-2))
		out = append(out, make([]byte, seg-4)...)
		add -= seg
	}
	out = append(out, jpg[2:]...)
	if len(out) != n {
		tb.Fatalf("padTo: got %d bytes, want %d", len(out), n)
	}
	return out
}

// withSize returns a copy of jpg whose SOF0 header claims w×h pixels.
func withSize(tb testing.TB, jpg []byte, w, h int) []byte {
	tb.Helper()
	out := bytes.Clone(jpg)
	i := bytes.Index(out, []byte{0xff, 0xc0})
	if i < 0 || i+9 > len(out) {
		tb.Fatal("no SOF0 marker")
	}
	binary.BigEndian.PutUint16(out[i+5:], uint16(h))
	binary.BigEndian.PutUint16(out[i+7:], uint16(w))
	return out
}

// withEXIFOrientation returns a copy of jpg with an APP1 Exif segment holding
// orientation o (big-endian TIFF) right after SOI.
func withEXIFOrientation(jpg []byte, o uint16) []byte {
	tiff := []byte("MM\x00*\x00\x00\x00\x08") // header, IFD0 at 8
	tiff = append(tiff, 0, 1)                 // one entry
	tiff = append(tiff, 0x01, 0x12, 0, 3, 0, 0, 0, 1)
	tiff = binary.BigEndian.AppendUint16(tiff, o)
	tiff = append(tiff, 0, 0, 0, 0, 0, 0) // value padding, next IFD = 0
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := binary.BigEndian.AppendUint16([]byte{0xff, 0xe1}, uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte(nil), jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// phonePhoto is a 3000×4000 portrait JPEG, as a phone takes it (made once;
// 1500×2000 under the race detector, which is slow at 12 MP). It is
// drawn straight into 4:2:0 planes, which the JPEG encoder takes without
// conversion, a row at a time from a few noisy rows: per-pixel work at 12 MP is
// slow under the race detector.
var phonePhoto = sync.OnceValue(func() []byte {
	w, h := 3000, 4000
	if raceDetector {
		w, h = 1500, 2000
	}
	const rows = 61
	r := rng(42)
	var bg, fig [rows][]byte // noisy background and figure rows
	for i := range rows {
		bg[i], fig[i] = make([]byte, w), make([]byte, w)
		for x := range w {
			bg[i][x] = r.jitter(240, 3)
			fig[i][x] = r.jitter(uint8(60+(x+i)/8%50), 20)
		}
	}
	neutral, warm := bytes.Repeat([]byte{128}, w/2), [2][]byte{bytes.Repeat([]byte{118}, w/2), bytes.Repeat([]byte{140}, w/2)}
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	hx, hy, hrx, hry := float64(w)/2, float64(h)*0.38, float64(w)*0.26, float64(h)*0.21
	for y := range h {
		copy(img.Y[y*img.YStride:][:w], bg[y%rows])
		a, b := w/2, w/2 // the figure's span on this row: head or shoulders
		if dy := (float64(y) - hy) / hry; dy*dy <= 1 {
			half := int(hrx * math.Sqrt(1-dy*dy))
			a, b = int(hx)-half, int(hx)+half
		}
		if t := float64(y-h*68/100) / float64(h*32/100); t >= 0 { // shoulders
			half := int(float64(w) * (0.3 + 0.25*t))
			a, b = max(0, min(a, int(hx)-half)), min(w, max(b, int(hx)+half))
		}
		copy(img.Y[y*img.YStride+a:][:b-a], fig[(y*7)%rows][a:b])
		if y%2 == 0 {
			c := y / 2 * img.CStride
			copy(img.Cb[c:][:w/2], neutral)
			copy(img.Cr[c:][:w/2], neutral)
			copy(img.Cb[c+a/2:][:(b-a)/2], warm[0])
			copy(img.Cr[c+a/2:][:(b-a)/2], warm[1])
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		panic(err)
	}
	return buf.Bytes()
})

// smallJPEG is a valid 16×16 JPEG, the base for crafted headers.
var smallJPEG = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, portrait(16, 16, white, 0, 1), nil); err != nil {
		panic(err)
	}
	return buf.Bytes()
})
