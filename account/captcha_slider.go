package account

import (
	"bytes"
	"context"
	"crypto/rand"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Slider puzzle geometry, in pixels. The page lays the images out with these.
const (
	SliderWidth     = 320 // background width
	SliderHeight    = 160 // background height
	SliderPieceSize = 56  // the piece image is SliderPieceSize×SliderPieceSize

	// DefaultSliderTolerance is how far, in pixels, the dropped X offset may
	// be from the target.
	DefaultSliderTolerance = 4

	pieceBody  = 40 // side of the piece's square body
	pieceKnob  = 7  // radius of its two knobs
	pieceInset = 2  // gap between the piece image edge and the body
)

// SliderCaptcha is the 滑块拼图 captcha (拖动滑块补全拼图): a procedurally drawn
// background with a jigsaw-shaped hole at a random X offset, and the piece cut
// from it. The user drags the piece along Y = PieceY; the answer is the X
// offset of the piece's left edge, in background pixels (a page that scales
// the image must scale the offset back).
//
// Keyboard and screen-reader users get TextCaptcha instead (WCAG 2.2 SC 2.5.7):
// the page offers it as "无法拖动?改用文字验证" and submits its id the same way.
type SliderCaptcha struct {
	Store     CaptchaStore
	TTL       time.Duration // lifetime of a challenge; 0 means DefaultCaptchaTTL
	Tolerance int           // accepted distance from the target; 0 means DefaultSliderTolerance
}

// Issue draws a new puzzle, stores its target offset and returns it.
func (c *SliderCaptcha) Issue(ctx context.Context, now time.Time) (Challenge, error) {
	var seed [32]byte
	_, _ = rand.Read(seed[:])
	rng := mrand.New(mrand.NewChaCha8(seed))

	x := SliderPieceSize + 10 + rng.IntN(SliderWidth-2*SliderPieceSize-14+1)
	y := 4 + rng.IntN(SliderHeight-SliderPieceSize-8+1)

	bg, piece, err := drawSliderPuzzle(rng, x, y)
	if err != nil {
		return Challenge{}, err
	}
	ttl := c.TTL
	if ttl <= 0 {
		ttl = DefaultCaptchaTTL
	}
	ch := Challenge{
		ID:         newRandomID(),
		Kind:       CaptchaSlider,
		ExpiresAt:  now.Add(ttl),
		Background: bg,
		Piece:      piece,
		Width:      SliderWidth,
		Height:     SliderHeight,
		PieceSize:  SliderPieceSize,
		PieceY:     y,
	}
	err = c.Store.Put(ctx, ch.ID, CaptchaSecret{Kind: CaptchaSlider, Answer: x, IssuedAt: now, ExpiresAt: ch.ExpiresAt})
	if err != nil {
		return Challenge{}, err
	}
	return ch, nil
}

// Verify consumes the challenge id and accepts answer (an X offset, see
// ParseSliderAnswer) within the tolerance of the target. See Captcha.
func (c *SliderCaptcha) Verify(ctx context.Context, id, answer string, now time.Time) error {
	tol := c.Tolerance
	if tol <= 0 {
		tol = DefaultSliderTolerance
	}
	return VerifyCaptcha(ctx, c.Store, id, answer, tol, now)
}

// ParseSliderAnswer parses the dropped X offset a page submits: a decimal
// number of pixels, possibly with a fraction (browsers report fractional
// positions), rounded to the nearest pixel; surrounding spaces are ignored.
// It must lie within 0..SliderWidth. Anything else gives ErrCaptchaAnswer.
func ParseSliderAnswer(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 16 {
		return 0, ErrCaptchaAnswer
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return 0, ErrCaptchaAnswer // no signs, exponents, "NaN", "Inf", hex
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > SliderWidth {
		return 0, ErrCaptchaAnswer
	}
	return int(math.Round(f)), nil
}

// inPiece reports whether (x, y), relative to the piece image, lies inside the
// jigsaw shape: a square body with a round knob on its top and right sides.
func inPiece(x, y int) bool {
	const (
		top    = pieceInset + pieceKnob + 1
		left   = pieceInset
		right  = left + pieceBody
		bottom = top + pieceBody
	)
	if x >= left && x < right && y >= top && y < bottom {
		return true
	}
	in := func(cx, cy int) bool {
		dx, dy := x-cx, y-cy
		return dx*dx+dy*dy <= pieceKnob*pieceKnob
	}
	return in(left+pieceBody/2, top) || in(right-1, top+pieceBody/2)
}

// pieceEdge reports whether (x, y) is inside the shape next to a point outside.
func pieceEdge(x, y int) bool {
	return inPiece(x, y) && (!inPiece(x-1, y) || !inPiece(x+1, y) || !inPiece(x, y-1) || !inPiece(x, y+1))
}

// drawSliderPuzzle draws the background with the hole at (hx, hy) and the
// piece, and returns both as PNG.
func drawSliderPuzzle(rng *mrand.Rand, hx, hy int) (background, piece []byte, err error) {
	bg := image.NewRGBA(image.Rect(0, 0, SliderWidth, SliderHeight))
	paintBackground(bg, rng)

	pc := image.NewNRGBA(image.Rect(0, 0, SliderPieceSize, SliderPieceSize))
	for y := 0; y < SliderPieceSize; y++ {
		for x := 0; x < SliderPieceSize; x++ {
			if !inPiece(x, y) {
				continue
			}
			bi := bg.PixOffset(hx+x, hy+y)
			pi := pc.PixOffset(x, y)
			if pieceEdge(x, y) {
				copy(pc.Pix[pi:pi+4], []uint8{255, 255, 255, 235})
				bg.Pix[bi], bg.Pix[bi+1], bg.Pix[bi+2] = 235, 235, 235
				continue
			}
			copy(pc.Pix[pi:pi+3], bg.Pix[bi:bi+3])
			pc.Pix[pi+3] = 255
			for k := 0; k < 3; k++ { // the hole: 55 % toward black
				bg.Pix[bi+k] = uint8(uint16(bg.Pix[bi+k]) * 45 / 100)
			}
		}
	}

	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: pngBuffers}
	var b1, b2 bytes.Buffer
	if err := enc.Encode(&b1, bg); err != nil {
		return nil, nil, err
	}
	if err := enc.Encode(&b2, pc); err != nil {
		return nil, nil, err
	}
	return b1.Bytes(), b2.Bytes(), nil
}

// pngBuffers reuses the PNG encoder's compression state between challenges.
var pngBuffers = &pngBufferPool{}

type pngBufferPool struct{ p sync.Pool }

// Get implements png.EncoderBufferPool.
func (bp *pngBufferPool) Get() *png.EncoderBuffer {
	b, _ := bp.p.Get().(*png.EncoderBuffer)
	return b
}

// Put implements png.EncoderBufferPool.
func (bp *pngBufferPool) Put(b *png.EncoderBuffer) { bp.p.Put(b) }

// paintBackground fills img with a diagonal gradient between two random
// colours and scatters translucent circles and rectangles over it, so the hole
// cannot be found by looking for a flat area.
func paintBackground(img *image.RGBA, rng *mrand.Rand) {
	c1, c2 := randomColor(rng, 255), randomColor(rng, 255)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := (x + y) * 256 / (w + h)
			i := img.PixOffset(x, y)
			img.Pix[i+0] = lerp8(c1.R, c2.R, t)
			img.Pix[i+1] = lerp8(c1.G, c2.G, t)
			img.Pix[i+2] = lerp8(c1.B, c2.B, t)
			img.Pix[i+3] = 255
		}
	}
	for n := 18 + rng.IntN(8); n > 0; n-- {
		src := image.NewUniform(randomColor(rng, uint8(90+rng.IntN(110))))
		cx, cy := rng.IntN(w), rng.IntN(h)
		if rng.IntN(2) == 0 {
			fillCircle(img, cx, cy, 8+rng.IntN(40), src.C.(color.NRGBA))
		} else {
			rect := image.Rect(cx, cy, cx+10+rng.IntN(70), cy+6+rng.IntN(40))
			draw.Draw(img, rect, src, image.Point{}, draw.Over)
		}
	}
}

func randomColor(rng *mrand.Rand, alpha uint8) color.NRGBA {
	return color.NRGBA{R: uint8(40 + rng.IntN(200)), G: uint8(40 + rng.IntN(200)), B: uint8(40 + rng.IntN(200)), A: alpha}
}

func lerp8(a, b uint8, t int) uint8 {
	return uint8((int(a)*(256-t) + int(b)*t) / 256)
}

// fillCircle blends c over the disc of radius r around (cx, cy).
func fillCircle(img *image.RGBA, cx, cy, r int, c color.NRGBA) {
	a := int(c.A)
	rect := image.Rect(cx-r, cy-r, cx+r+1, cy+r+1).Intersect(img.Rect)
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		dy := y - cy
		for x := rect.Min.X; x < rect.Max.X; x++ {
			if dx := x - cx; dx*dx+dy*dy > r*r {
				continue
			}
			i := img.PixOffset(x, y)
			img.Pix[i+0] = uint8((int(c.R)*a + int(img.Pix[i+0])*(255-a)) / 255)
			img.Pix[i+1] = uint8((int(c.G)*a + int(img.Pix[i+1])*(255-a)) / 255)
			img.Pix[i+2] = uint8((int(c.B)*a + int(img.Pix[i+2])*(255-a)) / 255)
		}
	}
}
