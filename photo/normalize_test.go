package photo_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"runtime"
	"testing"

	"github.com/tqreg/tqreg/photo"
)

func TestNormalizeResultPassesCheck(t *testing.T) {
	transparent := image.NewNRGBA(image.Rect(0, 0, 500, 700))
	for y := 300; y < 700; y++ { // an opaque figure on a transparent background
		for x := 100; x < 400; x++ {
			transparent.SetNRGBA(x, y, color.NRGBA{80, 60, 50, 255})
		}
	}
	flat := image.NewGray(image.Rect(0, 0, 30, 40))
	for i := range flat.Pix {
		flat.Pix[i] = 255
	}
	// Inputs are made inside the parallel subtests: under the race detector
	// each takes seconds.
	tests := []struct {
		name string
		data func(testing.TB) []byte
		pad  padding
	}{
		{"3000×4000 phone photo", func(testing.TB) []byte { return phonePhoto() }, either},
		{"landscape JPEG is cropped around the centre", func(tb testing.TB) []byte { return encodeJPEG(tb, landscape(), 90) }, unpadded},
		{"PNG portrait", func(tb testing.TB) []byte { return encodePNG(tb, portrait(600, 840, white, 6, 2)) }, unpadded},
		{"photo that already fits", func(tb testing.TB) []byte { return portraitJPEG(tb, 295, 413, white) }, unpadded},
		{"JPEG with EXIF", func(tb testing.TB) []byte {
			return withEXIFOrientation(encodeJPEG(tb, portrait(450, 600, white, 6, 8), 90), 1)
		}, unpadded},
		{"tiny flat white PNG is padded to the minimum size", func(tb testing.TB) []byte { return encodePNG(tb, flat) }, padded},
		{"transparent PNG background becomes white", func(tb testing.TB) []byte { return encodePNG(tb, transparent) }, padded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := photo.Normalize(tt.data(t), photo.Registration)
			if err != nil {
				t.Fatal(err)
			}
			r := photo.Registration.Check(out)
			wantCodes(t, r)
			if r.Width != 295 || r.Height != 413 {
				t.Errorf("result is %d×%d, want 295×413", r.Width, r.Height)
			}
			if bytes.Contains(out, []byte("Exif")) {
				t.Error("result keeps EXIF")
			}
			if hasCOM := bytes.HasPrefix(out, []byte{0xff, 0xd8, 0xff, 0xfe}); tt.pad != either && hasCOM != (tt.pad == padded) {
				t.Errorf("padded = %v, want %v (%d bytes)", hasCOM, tt.pad == padded, len(out))
			}
			if hasCOM := bytes.HasPrefix(out, []byte{0xff, 0xd8, 0xff, 0xfe}); hasCOM && len(out) != int(photo.Registration.MinBytes)+1 {
				t.Errorf("padded result is %d bytes, want %d", len(out), photo.Registration.MinBytes+1)
			}
		})
	}
}

// padding says whether a Normalize result must be padded to the minimum size.
type padding int

const (
	either   padding = iota // depends on the picture's noise
	padded                  // flat enough to need padding
	unpadded                // detailed enough not to
)

func TestNormalizeCannotInventABackground(t *testing.T) {
	out, err := photo.Normalize(encodeJPEG(t, portrait(300, 420, lightBlue, 6, 2), 90), photo.Registration)
	if err != nil {
		t.Fatal(err)
	}
	wantCodes(t, photo.Registration.Check(out), photo.CodeBackground)
}

func TestNormalizeUsesHighestQualityThatFits(t *testing.T) {
	// A figure of pure noise overflows 200 KB at quality 100, so quality must come
	// down, but no further than needed.
	noisy := portrait(295, 413, white, 6, 6)
	r := rng(99)
	for y := range 413 {
		for x := range 295 {
			// noise everywhere but a white margin: the top 30 rows and, down to
			// half the height, 30 columns on either side
			if y < 30 || y < 413/2 && (x < 30 || x >= 295-30) {
				continue
			}
			noisy.SetRGBA(x, y, color.RGBA{uint8(r.next() >> 56), uint8(r.next() >> 56), uint8(r.next() >> 56), 255})
		}
	}
	if n := len(encodeJPEG(t, noisy, 100)); n < maxSize {
		t.Fatalf("test picture is %d bytes at quality 100; it must overflow %d", n, maxSize)
	}
	out, err := photo.Normalize(encodePNG(t, noisy), photo.Registration)
	if err != nil {
		t.Fatal(err)
	}
	wantCodes(t, photo.Registration.Check(out))
	// The picture already has the target size, so the resize keeps its pixels and
	// the result must be the encoding at the highest quality under 200 KB.
	q := 100
	for len(encodeJPEG(t, noisy, q)) >= maxSize {
		q--
	}
	if want := len(encodeJPEG(t, noisy, q)); len(out) != want {
		t.Errorf("result is %d bytes; quality %d gives %d bytes, under 200 KB", len(out), q, want)
	}
}

// landscape is a 600×420 white picture with a 300×420 portrait in the middle
// (small: under the race detector every megapixel costs seconds).
func landscape() *image.RGBA {
	img := portrait(600, 420, white, 6, 4)
	p := portrait(300, 420, white, 6, 4)
	for y := range 420 {
		copy(img.Pix[img.PixOffset(150, y):][:300*4], p.Pix[p.PixOffset(0, y):][:300*4])
	}
	return img
}

func TestNormalizeHonoursOtherSpecs(t *testing.T) {
	s := photo.Spec{MinBytes: 2 * kb, MaxBytes: 8 * kb, MinWidth: 100, MaxWidth: 110, MinHeight: 140, MaxHeight: 150, WhiteBackground: true}
	out, err := photo.Normalize(encodePNG(t, portrait(600, 840, white, 6, 2)), s)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Check(out)
	wantCodes(t, r)
	if r.Width != 105 || r.Height != 145 {
		t.Errorf("result is %d×%d, want 105×145", r.Width, r.Height)
	}
}

// oriented returns a w×h stored picture, white, with dark bands along the named
// stored sides ("top", "bottom", "left", "right"), each 1/8 of the picture deep.
func oriented(w, h int, sides ...string) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for _, side := range sides {
		r := map[string]image.Rectangle{
			"top":    image.Rect(0, 0, w, h/8),
			"bottom": image.Rect(0, h-h/8, w, h),
			"left":   image.Rect(0, 0, w/8, h),
			"right":  image.Rect(w-w/8, 0, w, h),
		}[side]
		draw.Draw(img, r, image.Black, image.Point{}, draw.Src)
	}
	return img
}

func TestNormalizeAppliesEXIFOrientation(t *testing.T) {
	// Each stored picture shows, once turned by its orientation, dark bands at
	// the top and on the left.
	tests := []struct {
		name        string
		orientation uint16
		stored      *image.RGBA
	}{
		{"1 normal", 1, oriented(300, 400, "top", "left")},
		{"2 mirrored", 2, oriented(300, 400, "top", "right")},
		{"3 upside down", 3, oriented(300, 400, "bottom", "right")},
		{"4 flipped", 4, oriented(300, 400, "bottom", "left")},
		{"5 transposed", 5, oriented(400, 300, "left", "top")},
		{"6 phone held upright (turn 90° clockwise)", 6, oriented(400, 300, "left", "bottom")},
		{"7 transversed", 7, oriented(400, 300, "right", "bottom")},
		{"8 turn 90° anticlockwise", 8, oriented(400, 300, "right", "top")},
		{"6 on a large photo, shrunk by block averages first", 6, oriented(1660, 1245, "left", "bottom")},
		{"3 on a large photo, shrunk by block averages first", 3, oriented(1245, 1660, "bottom", "right")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := photo.Normalize(withEXIFOrientation(encodeJPEG(t, tt.stored, 95), tt.orientation), photo.Registration)
			if err != nil {
				t.Fatal(err)
			}
			img, err := jpeg.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != 295 || b.Dy() != 413 {
				t.Fatalf("result is %v", b)
			}
			for _, p := range []struct {
				where string
				x, y  int
				dark  bool
			}{
				{"top middle", 147, 10, true},
				{"left middle", 10, 206, true},
				{"right middle", 284, 206, false},
				{"bottom middle", 147, 402, false},
			} {
				if y := color.GrayModel.Convert(img.At(p.x, p.y)).(color.Gray).Y; (y < 128) != p.dark {
					t.Errorf("%s: luma %d, want dark = %v", p.where, y, p.dark)
				}
			}
		})
	}
}

func TestNormalizeRefusesBadInput(t *testing.T) {
	good := encodeJPEG(t, portrait(60, 80, white, 6, 1), 90)
	pngData := encodePNG(t, portrait(60, 80, white, 6, 1))
	tests := []struct {
		name string
		data []byte
		spec photo.Spec
		want error
	}{
		{"empty", nil, photo.Registration, photo.ErrFormat},
		{"GIF bytes", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), photo.Registration, photo.ErrFormat},
		{"WebP bytes", []byte("RIFF\x10\x00\x00\x00WEBPVP8 \x00\x00\x00\x00"), photo.Registration, photo.ErrFormat},
		{"text", []byte("not a picture"), photo.Registration, photo.ErrFormat},
		{"garbage after SOI", append([]byte{0xff, 0xd8, 0xff}, bytes.Repeat([]byte{0x13}, 500)...), photo.Registration, photo.ErrCorrupt},
		{"SOI alone", []byte{0xff, 0xd8}, photo.Registration, photo.ErrCorrupt},
		{"truncated JPEG", good[:len(good)/2], photo.Registration, photo.ErrCorrupt},
		{"truncated PNG", pngData[:len(pngData)/2], photo.Registration, photo.ErrCorrupt},
		{"zero dimensions", withSize(t, good, 0, 0), photo.Registration, photo.ErrCorrupt},
		{"header claiming 60000×60000", withSize(t, good, 60000, 60000), photo.Registration, photo.ErrTooLarge},
		{"33 MiB upload", padTo(t, good, 33<<20), photo.Registration, photo.ErrTooLarge},
		{"zero spec", good, photo.Spec{}, photo.ErrSpec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			out, err := photo.Normalize(tt.data, tt.spec)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tt.want) || out != nil {
				t.Fatalf("Normalize = %d bytes, %v; want %v", len(out), err, tt.want)
			}
			if !hasHan(err.Error()) {
				t.Errorf("message %q is not zh-CN", err)
			}
			// Measured: 0–68 KB per case (the truncated PNG is the largest; the 60000×60000
			// header about 14 KB). 512 KiB catches a 10× regression of any of them.
			if d := after.TotalAlloc - before.TotalAlloc; d >= 512<<10 {
				t.Errorf("refusing took %d bytes of allocation", d)
			}
		})
	}
}

func TestErrorIsMatchesOnCode(t *testing.T) {
	err := error(&photo.Error{Code: photo.CodeCorrupt, Message: "图片尺寸为 0×0 像素"})
	if !errors.Is(err, photo.ErrCorrupt) {
		t.Error("a corrupt-coded error does not match ErrCorrupt")
	}
	if errors.Is(err, photo.ErrFormat) || errors.Is(err, photo.ErrTooLarge) {
		t.Error("a corrupt-coded error matches another code")
	}
	var pe *photo.Error
	if !errors.As(err, &pe) || pe.Code != photo.CodeCorrupt {
		t.Errorf("errors.As gives %v", pe)
	}
}

func TestNormalizeKeepsColours(t *testing.T) {
	// Left half red, right half blue; sampled away from the seam.
	for _, tt := range []struct {
		name string
		w, h int
	}{
		{"small picture, resized directly", 590, 826},
		{"large picture, shrunk by block averages first", 1180, 1652},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			img := image.NewRGBA(image.Rect(0, 0, tt.w, tt.h))
			draw.Draw(img, img.Rect, image.NewUniform(color.RGBA{200, 30, 40, 255}), image.Point{}, draw.Src)
			draw.Draw(img, image.Rect(tt.w/2, 0, tt.w, tt.h), image.NewUniform(color.RGBA{30, 60, 210, 255}), image.Point{}, draw.Src)
			out, err := photo.Normalize(encodeJPEG(t, img, 95), photo.Registration)
			if err != nil {
				t.Fatal(err)
			}
			got, err := jpeg.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []struct {
				x, y int
				want color.RGBA
			}{{70, 200, color.RGBA{200, 30, 40, 255}}, {220, 200, color.RGBA{30, 60, 210, 255}}} {
				r, g, b, _ := got.At(p.x, p.y).RGBA()
				if d := abs(int(r>>8)-int(p.want.R)) + abs(int(g>>8)-int(p.want.G)) + abs(int(b>>8)-int(p.want.B)); d > 24 {
					t.Errorf("pixel (%d,%d) = %d,%d,%d, want about %v", p.x, p.y, r>>8, g>>8, b>>8, p.want)
				}
			}
		})
	}
}
