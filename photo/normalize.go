package photo

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"math"

	xdraw "golang.org/x/image/draw"
)

// Error is a photo processing error (照片处理错误) from [Normalize]. Code says what
// kind, Message says it to people in zh-CN. errors.Is matches on Code, so
// errors.Is(err, ErrCorrupt) holds for every damaged input.
type Error struct {
	Code    Code
	Message string
}

// Error returns the zh-CN message.
func (e *Error) Error() string { return e.Message }

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Errors from Normalize, for errors.Is.
var (
	// ErrFormat: the input is empty or neither JPEG nor PNG.
	ErrFormat = &Error{CodeNotJPEG, "图片格式不支持，只能处理 JPEG 或 PNG 图片"}
	// ErrCorrupt: the input is a damaged or truncated JPEG or PNG, or has no pixels.
	ErrCorrupt = &Error{CodeCorrupt, "图片文件已损坏或不完整，无法读取"}
	// ErrTooLarge: the input is over the byte or pixel limit, or no JPEG quality
	// brings the output under the spec's maximum size.
	ErrTooLarge = &Error{CodeTooLarge, "图片太大，无法处理"}
	// ErrSpec: the spec leaves no room for a picture (a bound is missing or the
	// range is empty). A programming error, not the applicant's.
	ErrSpec = errors.New("照片要求无效：尺寸或文件大小的范围为空")
)

// Limits that bound the work Normalize does.
const (
	// MaxNormalizeBytes is the largest input Normalize reads (32 MiB).
	MaxNormalizeBytes = 32 << 20
	// MaxNormalizePixels is the most pixels an input may claim (50 megapixels);
	// the header is read first, so a larger claim costs no decoding.
	MaxNormalizePixels = 50_000_000
)

// Normalize turns a JPEG or PNG portrait (the bytes decide, never a name) into a
// photo for s: it applies the EXIF orientation, crops to the aspect of the middle
// of s's pixel bounds around the centre, resizes to that size (Catmull-Rom), puts
// a transparent PNG on white, and encodes a JPEG with the highest quality whose
// size is under s.MaxBytes (binary search on quality). EXIF and every other
// metadata segment are dropped by the re-encoding.
//
// A small or flat picture can come out no larger than s.MinBytes even at quality
// 100; Normalize then pads it with JPEG comment (COM, 0xFFFE) segments right after
// the SOI marker up to s.MinBytes+1 bytes. Decoders ignore comments, so the picture
// is unchanged; the padding only meets the upload rule.
//
// The result passes s.Check unless the background is not white: Normalize cannot
// invent a background. Errors are *Error values matching ErrFormat, ErrCorrupt or
// ErrTooLarge, or ErrSpec for a spec with an empty range.
func Normalize(data []byte, s Spec) ([]byte, error) {
	if s.MinWidth < 0 || s.MinHeight < 0 || s.MinBytes < 0 ||
		s.MaxWidth-s.MinWidth < 2 || s.MaxHeight-s.MinHeight < 2 || s.MaxBytes-s.MinBytes < 6 {
		return nil, ErrSpec
	}
	if len(data) > MaxNormalizeBytes {
		return nil, &Error{CodeTooLarge, fmt.Sprintf("图片文件大小为 %s，超过可以处理的上限 %s", size(int64(len(data))), size(MaxNormalizeBytes))}
	}
	var (
		decodeConfig func(io.Reader) (image.Config, error)
		decode       func(io.Reader) (image.Image, error)
		orientation  = 1
	)
	switch {
	case isJPEG(data):
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
		orientation = exifOrientation(data)
	case isPNG(data):
		decodeConfig, decode = png.DecodeConfig, png.Decode
	default:
		return nil, &Error{CodeNotJPEG, fmt.Sprintf("图片格式不支持（文件内容为%s），只能处理 JPEG 或 PNG 图片", sniff(data))}
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, ErrCorrupt
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, &Error{CodeCorrupt, fmt.Sprintf("图片文件已损坏：图片尺寸为 %d×%d 像素", cfg.Width, cfg.Height)}
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > MaxNormalizePixels {
		return nil, &Error{CodeTooLarge, fmt.Sprintf("图片为 %d×%d 像素，超过可以处理的上限 %d 万像素", cfg.Width, cfg.Height, MaxNormalizePixels/10000)}
	}
	src, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, ErrCorrupt
	}
	out := resize(src, orientation, (s.MinWidth+s.MaxWidth)/2, (s.MinHeight+s.MaxHeight)/2)
	return encodeWithin(out, s.MinBytes, s.MaxBytes)
}

// resize crops src, shown with EXIF orientation o, to the aspect tw:th around the
// centre and scales it to tw×th, on white.
func resize(src image.Image, o, tw, th int) *image.RGBA {
	sb := src.Bounds()
	dw, dh := sb.Dx(), sb.Dy() // displayed size
	if o >= 5 {
		dw, dh = dh, dw
	}
	cw, ch := dw, dh
	if int64(dw)*int64(th) > int64(dh)*int64(tw) {
		cw = max(1, int(math.Round(float64(dh)*float64(tw)/float64(th))))
	} else {
		ch = max(1, int(math.Round(float64(dw)*float64(th)/float64(tw))))
	}
	cx, cy := (dw-cw)/2, (dh-ch)/2
	x0, y0 := stored(o, cx, cy, dw, dh, false)
	x1, y1 := stored(o, cx+cw, cy+ch, dw, dh, false)
	sr := image.Rect(x0, y0, x1, y1).Canon().Add(sb.Min)

	ow, oh := tw, th // output size before orientation
	if o >= 5 {
		ow, oh = th, tw
	}
	if m, ok := src.(*image.YCbCr); ok {
		// Average k×k blocks first, down to at least twice the output size: the
		// kernel then reads a few taps per pixel instead of tens, and the box
		// average is a sound anti-aliasing prefilter.
		if k := min(sr.Dx()/(2*ow), sr.Dy()/(2*oh)); k >= 2 {
			src, sr = boxShrink(m, sr, k), image.Rect(0, 0, sr.Dx()/k, sr.Dy()/k)
		}
	}
	scaled := image.NewRGBA(image.Rect(0, 0, ow, oh))
	draw.Draw(scaled, scaled.Rect, image.White, image.Point{}, draw.Src)
	xdraw.CatmullRom.Scale(scaled, scaled.Rect, src, sr, xdraw.Over, nil)
	if o <= 1 || o > 8 {
		return scaled
	}
	out := image.NewRGBA(image.Rect(0, 0, tw, th))
	for y := range th {
		for x := range tw {
			sx, sy := stored(o, x, y, tw, th, true)
			copy(out.Pix[out.PixOffset(x, y):][:4], scaled.Pix[scaled.PixOffset(sx, sy):][:4])
		}
	}
	return out
}

// boxShrink returns the middle of sr in m, shrunk k times by averaging k×k blocks,
// as a 4:4:4 picture. YCbCr is linear in RGB, so averaging the planes averages the
// colours.
func boxShrink(m *image.YCbCr, sr image.Rectangle, k int) *image.YCbCr {
	w, h := sr.Dx()/k, sr.Dy()/k
	x0, y0 := sr.Min.X+(sr.Dx()-w*k)/2, sr.Min.Y+(sr.Dy()-h*k)/2
	out := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio444)
	sums := make([]uint32, 3*w)
	ys, cbs, crs := sums[:w], sums[w:2*w], sums[2*w:]
	n, half := uint32(k*k), uint32(k*k/2)
	for oy := range h {
		clear(sums)
		for y := y0 + oy*k; y < y0+oy*k+k; y++ {
			row := m.Y[m.YOffset(x0, y):][:w*k]
			for ox := range w {
				var s uint32
				for _, v := range row[ox*k : ox*k+k] {
					s += uint32(v)
				}
				ys[ox] += s
			}
			for ox := range w {
				var cb, cr uint32
				for x := x0 + ox*k; x < x0+ox*k+k; x++ {
					c := m.COffset(x, y)
					cb += uint32(m.Cb[c])
					cr += uint32(m.Cr[c])
				}
				cbs[ox] += cb
				crs[ox] += cr
			}
		}
		o := oy * out.YStride
		for ox := range w {
			out.Y[o+ox] = uint8((ys[ox] + half) / n)
			out.Cb[o+ox] = uint8((cbs[ox] + half) / n)
			out.Cr[o+ox] = uint8((crs[ox] + half) / n)
		}
	}
	return out
}

// encodeWithin encodes img as a JPEG with the highest quality whose size is below
// maxBytes, padded with comment segments to minBytes+1 if it is not above minBytes.
func encodeWithin(img image.Image, minBytes, maxBytes int64) ([]byte, error) {
	var buf bytes.Buffer
	encode := func(q int) int64 {
		buf.Reset()
		// Encoding into a bytes.Buffer fails only for an empty image, which
		// resize never returns.
		_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: q})
		return int64(buf.Len())
	}
	best := -1
	if encode(100) < maxBytes {
		best = 100
	} else {
		// Size grows with quality; find the highest quality that fits.
		lo, hi := 1, 99
		for lo <= hi {
			mid := (lo + hi) / 2
			if encode(mid) < maxBytes {
				best, lo = mid, mid+1
			} else {
				hi = mid - 1
			}
		}
	}
	if best < 0 {
		return nil, &Error{CodeTooLarge, fmt.Sprintf("图片即使以最低质量压缩也不小于 %s", size(maxBytes))}
	}
	if best != 100 || buf.Len() == 0 {
		encode(best)
	}
	out := bytes.Clone(buf.Bytes())
	if need := minBytes + 1 - int64(len(out)); need > 0 {
		need = max(need, 4) // a COM segment is at least 4 bytes
		if int64(len(out))+need >= maxBytes {
			return nil, &Error{CodeTooSmall, fmt.Sprintf("图片压缩后为 %s，无法补足到 %s 以上", size(int64(len(out))), size(minBytes))}
		}
		out = padComment(out, int(need))
	}
	return out, nil
}

// padComment returns jpg with n bytes (n >= 4) of COM segments inserted after SOI.
func padComment(jpg []byte, n int) []byte {
	const note = "padding to the minimum file size; not image data"
	out := make([]byte, 0, len(jpg)+n)
	out = append(out, jpg[:2]...)
	for n > 0 {
		seg := min(n, 0xffff+2) // marker (2) + length field (2) + payload; length counts itself
		if rest := n - seg; rest > 0 && rest < 4 {
			seg -= 4 - rest // leave room for a last segment of at least 4 bytes
		}
		payload := seg - 4
		out = append(out, 0xff, 0xfe, byte((payload+2)>>8), byte(payload+2))
		for i := range payload {
			if i < len(note) {
				out = append(out, note[i])
			} else {
				out = append(out, ' ')
			}
		}
		n -= seg
	}
	return append(out, jpg[2:]...)
}
