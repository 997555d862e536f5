package photo

import (
	"image"
	"image/color"
)

// White-background thresholds, tuned on generated pictures (see the tests): white
// and near-white JPEG noise pass; light blue, red, grey (CSS lightgray, 211) fail.
const (
	// whiteMinY is the least luma (0–255) of a near-white pixel.
	whiteMinY = 215
	// whiteMaxChroma is the largest |Cb−128| or |Cr−128| of a near-white pixel:
	// low saturation.
	whiteMaxChroma = 10
	// minWhiteShare is the least percentage of near-white pixels in each band.
	minWhiteShare = 85
)

// bands returns the parts of a w×h picture the background is judged on: the top
// band (1/16 of the height, full width) and the left and right bands (1/12 of the
// width each) from below the top band down to half the height. The lower half is
// left out: a portrait's shoulders reach the bottom edge.
func bands(r image.Rectangle) [3]image.Rectangle {
	w, h := r.Dx(), r.Dy()
	th := max(1, h/16)
	sw := max(1, w/12)
	sideTop, sideBottom := th, h/2
	if sideBottom <= sideTop {
		sideTop, sideBottom = 0, max(1, h/2)
	}
	x0, y0 := r.Min.X, r.Min.Y
	return [3]image.Rectangle{
		image.Rect(x0, y0, x0+w, y0+th),
		image.Rect(x0, y0+sideTop, x0+sw, y0+sideBottom),
		image.Rect(x0+w-sw, y0+sideTop, x0+w, y0+sideBottom),
	}
}

// whiteShare returns the percentage of near-white pixels in the band where it is
// lowest. It reads the decoded planes directly for the JPEG decoder's own image
// types and falls back to colour conversion for others (CMYK).
func whiteShare(img image.Image) int {
	least := 100
	for _, b := range bands(img.Bounds()) {
		if b.Empty() {
			continue
		}
		var white int
		switch m := img.(type) {
		case *image.YCbCr:
			white = whiteYCbCr(m, b)
		case *image.Gray:
			white = whiteGray(m, b)
		default:
			white = whiteAny(m, b)
		}
		if p := white * 100 / (b.Dx() * b.Dy()); p < least {
			least = p
		}
	}
	return least
}

func nearWhite(y, cb, cr uint8) bool {
	return y >= whiteMinY &&
		int(cb)-128 <= whiteMaxChroma && 128-int(cb) <= whiteMaxChroma &&
		int(cr)-128 <= whiteMaxChroma && 128-int(cr) <= whiteMaxChroma
}

func whiteYCbCr(m *image.YCbCr, b image.Rectangle) int {
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := m.Y[m.YOffset(b.Min.X, y):]
		for i, x := 0, b.Min.X; x < b.Max.X; i, x = i+1, x+1 {
			if row[i] < whiteMinY {
				continue
			}
			c := m.COffset(x, y)
			if nearWhite(row[i], m.Cb[c], m.Cr[c]) {
				n++
			}
		}
	}
	return n
}

func whiteGray(m *image.Gray, b image.Rectangle) int {
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := m.Pix[m.PixOffset(b.Min.X, y) : m.PixOffset(b.Min.X, y)+b.Dx()]
		for _, v := range row {
			if v >= whiteMinY {
				n++
			}
		}
	}
	return n
}

func whiteAny(m image.Image, b image.Rectangle) int {
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.YCbCrModel.Convert(m.At(x, y)).(color.YCbCr)
			if nearWhite(c.Y, c.Cb, c.Cr) {
				n++
			}
		}
	}
	return n
}
