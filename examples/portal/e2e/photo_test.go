package e2e_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/tqreg/tqreg/photo"
)

// portraitPhoto writes a registration photo to a temporary file and returns its path: a drawn
// head-and-shoulders portrait on a white background, brought to the 证件照 spec by
// photo.Normalize the way the applicant's "自动调整" would. It checks the result passes
// photo.Registration.Check, so an upload failure is the portal's, not the fixture's.
func portraitPhoto(t *testing.T) string {
	t.Helper()
	const w, h = 300, 420 // drawn a little larger than the spec's 295×413; Normalize fits it
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	white := color.RGBA{255, 255, 255, 255}
	skin := color.RGBA{226, 188, 160, 255}
	hair := color.RGBA{40, 32, 30, 255}
	coat := color.RGBA{36, 52, 86, 255}
	collar := color.RGBA{245, 245, 245, 255}
	in := func(x, y, cx, cy, rx, ry int) bool { // inside the ellipse centred cx,cy
		dx, dy := float64(x-cx)/float64(rx), float64(y-cy)/float64(ry)
		return dx*dx+dy*dy <= 1
	}
	for y := range h {
		for x := range w {
			c := white
			switch {
			case y > 300 && in(x, y, w/2, 450, 150, 160): // shoulders
				c = coat
				if in(x, y, w/2, 300, 35, 55) {
					c = collar
				}
			case in(x, y, w/2, 280, 30, 40): // neck
				c = skin
			case in(x, y, w/2, 165, 75, 95) && y < 150: // hair above the forehead
				c = hair
			case in(x, y, w/2, 180, 68, 90): // face
				c = skin
				if in(x, y, w/2-25, 170, 7, 4) || in(x, y, w/2+25, 170, 7, 4) {
					c = hair // eyes
				}
				if in(x, y, w/2, 225, 20, 5) {
					c = color.RGBA{170, 80, 80, 255} // mouth
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	jpg, err := photo.Normalize(buf.Bytes(), photo.Registration)
	if err != nil {
		t.Fatalf("photo.Normalize: %v", err)
	}
	if r := photo.Registration.Check(jpg); !r.OK() {
		t.Fatalf("the generated photo fails the spec: %+v", r.Problems)
	}
	file := filepath.Join(t.TempDir(), "证件照.jpg")
	if err := os.WriteFile(file, jpg, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}
