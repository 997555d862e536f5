package photo

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"strconv"
)

// Spec is a photo specification (照片要求): file size and pixel bounds, all
// exclusive, and whether the background must be white. Every bound is required:
// the zero Spec accepts nothing.
type Spec struct {
	// MinBytes and MaxBytes bound the file size in bytes: MinBytes < size < MaxBytes.
	MinBytes, MaxBytes int64
	// MinWidth and MaxWidth bound the width in pixels: MinWidth < width < MaxWidth.
	MinWidth, MaxWidth int
	// MinHeight and MaxHeight bound the height in pixels: MinHeight < height < MaxHeight.
	MinHeight, MaxHeight int
	// WhiteBackground requires a white background (白底), judged on the top and
	// side bands of the picture.
	WhiteBackground bool
}

// Registration is the manual's spec for the 定期注册 photo (manual §3.1.2 step 2):
// JPEG, more than 50 KB and less than 200 KB (1 KB = 1024 bytes), width more than
// 290 and less than 300 pixels, height more than 408 and less than 418 pixels,
// white background.
var Registration = Spec{
	MinBytes: 50 * 1024, MaxBytes: 200 * 1024,
	MinWidth: 290, MaxWidth: 300,
	MinHeight: 408, MaxHeight: 418,
	WhiteBackground: true,
}

// Hard limits that bound the work Check does on hostile input, whatever a Spec
// allows. A Spec whose MaxBytes or pixel bounds go beyond them can never pass a
// picture beyond them: Check reports such a picture with CodeTooLarge and a
// message naming the limit, never a silent OK.
const (
	// MaxCheckBytes: a larger upload is refused as too large without reading
	// it, even when Spec.MaxBytes is larger.
	MaxCheckBytes = 4 << 20
	// MaxCheckPixels: the pixels of a picture whose header claims more are
	// never decoded (a progressive 4:4:4 JPEG of this size needs about 15 MB
	// while decoding), so neither its background nor damage in its scan can be
	// judged: Check reports it as too large (unless its width or height already
	// fails the Spec).
	MaxCheckPixels = 1 << 20
)

// Report is the outcome of [Spec.Check] (照片检查结果): what the header says and
// every problem found. Width and Height are 0 when the header could not be read.
type Report struct {
	Width, Height int
	Bytes         int64
	Problems      []Problem
}

// OK reports whether the photo meets the spec, that is, no problem was found.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Has reports whether the report holds a problem with code c.
func (r Report) Has(c Code) bool {
	for _, p := range r.Problems {
		if p.Code == c {
			return true
		}
	}
	return false
}

// Problem is one way a photo fails its spec (照片问题). Message is for people, in
// zh-CN, and names the actual value and the allowed range.
type Problem struct {
	Code    Code
	Message string
}

// Check judges data against s and reports every problem at once. The bytes decide
// the format, never a name: data must start with the JPEG SOI marker and have a
// header the JPEG decoder accepts. The header is read before any pixel; pixels are
// decoded only for a picture of at most MaxCheckPixels, to judge the background
// and to find a damaged scan; a larger one is refused as too large. Uploads over
// MaxCheckBytes are refused as too large unread, whatever s.MaxBytes says.
// Check never panics.
func (s Spec) Check(data []byte) Report {
	r := Report{Bytes: int64(len(data)), Problems: make([]Problem, 0, 4)}
	if r.Bytes <= s.MinBytes || r.Bytes >= s.MaxBytes {
		c := CodeTooSmall
		if r.Bytes >= s.MaxBytes {
			c = CodeTooLarge
		}
		r.add(c, sizeMessage(r.Bytes, s.MinBytes, s.MaxBytes))
	}
	if len(data) > MaxCheckBytes {
		if !r.Has(CodeTooLarge) {
			// Here s.MaxBytes > len(data) > MaxCheckBytes: the system's limit is the lower one.
			r.add(CodeTooLarge, "照片文件大小为 "+size(r.Bytes)+"，超过系统可以检查的文件大小上限 "+size(MaxCheckBytes)+
				"（低于照片要求中的大小上限 "+size(s.MaxBytes)+"，以系统上限为准），请压缩后重新上传")
		}
		return r
	}
	if !isJPEG(data) {
		r.add(CodeNotJPEG, "照片不是 JPEG（JPG）格式（文件内容为"+sniff(data)+"），请上传 JPG 格式的照片")
		return r
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		r.add(CodeCorrupt, "照片文件已损坏或不完整，无法读取图片信息")
		return r
	}
	r.Width, r.Height = cfg.Width, cfg.Height
	if r.Width <= s.MinWidth || r.Width >= s.MaxWidth {
		r.add(CodeWidth, pixelMessage("照片宽度为 ", r.Width, s.MinWidth, s.MaxWidth))
	}
	if r.Height <= s.MinHeight || r.Height >= s.MaxHeight {
		r.add(CodeHeight, pixelMessage("照片高度为 ", r.Height, s.MinHeight, s.MaxHeight))
	}
	if r.Width == 0 || r.Height == 0 {
		r.add(CodeCorrupt, fmt.Sprintf("照片文件已损坏：图片尺寸为 %d×%d 像素", r.Width, r.Height))
		return r
	}
	if int64(r.Width)*int64(r.Height) > MaxCheckPixels {
		// Decoding would cost too much memory. For the photo asked for, the
		// width or height problem above already says so; a Spec that allows
		// this many pixels still gets no OK for what it could not check.
		if !r.Has(CodeWidth) && !r.Has(CodeHeight) {
			what := "图片内容"
			if s.WhiteBackground {
				what = "背景和图片内容"
			}
			r.add(CodeTooLarge, fmt.Sprintf("图片为 %d×%d 像素，超过系统可以检查的上限 %d 像素，无法检查%s，请缩小图片后重新上传",
				r.Width, r.Height, MaxCheckPixels, what))
		}
		return r
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		r.add(CodeCorrupt, "照片文件已损坏或不完整，无法读取图片内容")
		return r
	}
	if s.WhiteBackground {
		if white := whiteShare(img); white < minWhiteShare {
			r.add(CodeBackground, fmt.Sprintf("照片背景不是白色：顶部和两侧边缘接近白色的部分只有 %d%%，应至少 %d%%", white, minWhiteShare))
		}
	}
	return r
}

func (r *Report) add(c Code, message string) {
	r.Problems = append(r.Problems, Problem{Code: c, Message: message})
}

// The messages of the header path are built with one allocation each: rejecting
// by header must cost about what reading the header costs.

// sizeMessage says a file of n bytes is outside (lo, hi).
func sizeMessage(n, lo, hi int64) string {
	var a [160]byte
	b := append(a[:0], "照片文件大小为 "...)
	b = appendSize(b, n)
	b = append(b, "，应大于 "...)
	b = appendSize(b, lo)
	b = append(b, "且小于 "...)
	b = appendSize(b, hi)
	return string(b)
}

// pixelMessage says a side of v pixels is outside (lo, hi).
func pixelMessage(prefix string, v, lo, hi int) string {
	var a [128]byte
	b := append(a[:0], prefix...)
	b = strconv.AppendInt(b, int64(v), 10)
	b = append(b, " 像素，应大于 "...)
	b = strconv.AppendInt(b, int64(lo), 10)
	b = append(b, " 像素且小于 "...)
	b = strconv.AppendInt(b, int64(hi), 10)
	b = append(b, " 像素"...)
	return string(b)
}

// size formats a byte count for people: exact bytes and KB (1 KB = 1024 bytes).
func size(n int64) string { return string(appendSize(nil, n)) }

func appendSize(b []byte, n int64) []byte {
	b = strconv.AppendInt(b, n, 10)
	b = append(b, " 字节（"...)
	if n%1024 == 0 {
		b = strconv.AppendInt(b, n/1024, 10)
	} else {
		b = strconv.AppendFloat(b, float64(n)/1024, 'f', 1, 64)
	}
	return append(b, " KB）"...)
}

// isJPEG reports whether data starts with the JPEG SOI marker. What follows is
// the decoder's to judge: damage after SOI is CodeCorrupt, not CodeNotJPEG.
func isJPEG(data []byte) bool {
	return len(data) >= 2 && data[0] == 0xff && data[1] == 0xd8
}

func isPNG(data []byte) bool {
	return bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n"))
}

// sniff names what the bytes look like, for messages.
func sniff(data []byte) string {
	switch {
	case len(data) == 0:
		return "空"
	case isPNG(data):
		return " PNG 图片"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return " GIF 图片"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return " WebP 图片"
	case bytes.HasPrefix(data, []byte("BM")):
		return " BMP 图片"
	case len(data) >= 12 && string(data[4:8]) == "ftyp" &&
		(string(data[8:12]) == "heic" || string(data[8:12]) == "heix" || string(data[8:12]) == "mif1"):
		return " HEIC 图片"
	case bytes.HasPrefix(data, []byte("%PDF")):
		return " PDF 文档"
	default:
		return "无法识别的数据"
	}
}
