// Package pdf renders the application form (申请表) of a periodic registration as an A4 PDF
// with correct Chinese text: the title, the application number, the photo, identity,
// certificate, every field of the registration form, the authority and confirmation point,
// the applicant's commitment, and the signature, date and stamp lines.
//
// The fonts are vendored in examples/portal/fonts: Droid Sans Fallback for Chinese and Go
// Regular for Latin letters, digits and symbols; only the glyphs a form uses are embedded.
// They are parsed once per Renderer and shared read-only, so one Renderer serves concurrent
// requests. The layout is sheet-driven: form.ApplicationForm's sections and rows are printed
// in their order, so the PDF and the HTML preview show the same fields.
package pdf

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"sync"
	"unicode/utf8"

	"github.com/signintech/gopdf"

	"github.com/tqreg/tqreg/examples/portal/fonts"
	"github.com/tqreg/tqreg/form"
)

// Error is a rendering failure with a stable code and a zh-CN message for people.
type Error struct {
	Code    string // stable, e.g. "pdf.photo"
	Message string // zh-CN, safe to show
	Err     error  // the underlying cause, if any (never shown to people)
}

// Error returns the zh-CN message.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same code, so errors.Is(err, ErrPhoto) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

var (
	// ErrPhoto means the photo bytes are not a readable JPEG (照片无法读取). An absent photo is
	// not an error: the form then shows an empty 照片 box.
	ErrPhoto = &Error{Code: "pdf.photo", Message: "照片无法读取，请重新上传照片后再下载申请表"}
	// ErrFont means the embedded font could not be loaded (字体加载失败): a build defect.
	ErrFont = &Error{Code: "pdf.font", Message: "申请表字体加载失败，请稍后再试"}
	// ErrRender means the PDF writer failed (申请表生成失败).
	ErrRender = &Error{Code: "pdf.render", Message: "申请表生成失败，请稍后再试"}
)

func wrap(sentinel *Error, cause error) error {
	return &Error{Code: sentinel.Code, Message: sentinel.Message, Err: cause}
}

// Renderer draws application forms (申请表). It parses the fonts once in NewRenderer; Render
// is safe for concurrent use (each call copies the parsed fonts' headers and shares their
// read-only tables).
type Renderer struct {
	fonts *gopdf.FontContainer
}

// The two faces of a form: CJK text, and Latin letters, digits and symbols.
const (
	faceCJK   = 0
	faceLatin = 1
	faceNone  = -1
)

// faceFamily names the faces; the six-letter tag marks them as subsets (PDF 32000 §9.6.4).
var faceFamily = [...]string{faceCJK: "TQREGA+DroidSansFallback", faceLatin: "TQREGB+GoRegular"}

// NewRenderer parses the embedded fonts and returns a Renderer that reuses them.
func NewRenderer() (*Renderer, error) {
	var fc gopdf.FontContainer
	opt := gopdf.TtfOption{
		// Render picks a face that has each character (or prints □) before drawing; this only
		// keeps gopdf's own lookups from ever dropping a character silently.
		OnGlyphNotFoundSubstitute: func(rune) rune { return fallbackRune },
	}
	if err := fc.AddTTFFontDataWithOption(faceFamily[faceCJK], fonts.DroidSansFallback, opt); err != nil {
		return nil, wrap(ErrFont, err)
	}
	if err := fc.AddTTFFontDataWithOption(faceFamily[faceLatin], fonts.GoRegular, opt); err != nil {
		return nil, wrap(ErrFont, err)
	}
	return &Renderer{fonts: &fc}, nil
}

var defaultRenderer = sync.OnceValues(NewRenderer)

// Render draws f as an A4 application form (申请表) with a shared default Renderer, whose fonts
// are parsed on first use. See Renderer.Render.
func Render(f form.ApplicationForm, photoJPEG []byte) ([]byte, error) {
	r, err := defaultRenderer()
	if err != nil {
		return nil, err
	}
	return r.Render(f, photoJPEG)
}

// Render draws f as an A4 application form (申请表) and returns the PDF bytes. photoJPEG may be
// empty (an empty box labelled 照片 is drawn); bytes that are not a JPEG give ErrPhoto.
// Characters neither font can draw (emoji, rare ideographs) are printed as □, control
// characters as spaces. A complete form fits one page; extreme values continue on further
// pages rather than being cut.
func (r *Renderer) Render(f form.ApplicationForm, photoJPEG []byte) (doc []byte, err error) {
	// gopdf indexes font tables and image data directly; the values it gets are sanitised
	// first, but a fault in it must still reach the caller as an error, not a crash.
	defer func() {
		if p := recover(); p != nil {
			doc, err = nil, wrap(ErrRender, fmt.Errorf("gopdf panic: %v", p))
		}
	}()
	var photo *picture
	if len(photoJPEG) > 0 {
		img, err := jpeg.Decode(bytes.NewReader(photoJPEG))
		if err != nil {
			return nil, wrap(ErrPhoto, err)
		}
		h, err := gopdf.ImageHolderByBytes(photoJPEG)
		if err != nil {
			return nil, wrap(ErrPhoto, err)
		}
		b := img.Bounds()
		photo = &picture{holder: h, w: b.Dx(), h: b.Dy()}
	}
	d, err := r.newDoc()
	if err != nil {
		return nil, err
	}
	d.sheet(d.clean(sheetOf(f)), photo)
	if d.err != nil {
		return nil, wrap(ErrRender, d.err)
	}
	out, err := d.gp.GetBytesPdfReturnErr()
	if err != nil {
		return nil, wrap(ErrRender, err)
	}
	return out, nil
}

// picture is a checked JPEG photo and its size in pixels.
type picture struct {
	holder gopdf.ImageHolder
	w, h   int
}

// doc is one PDF being drawn. Drawing errors are kept in err (the first one wins) so the
// layout code reads top to bottom; Render checks err once.
type doc struct {
	gp     *gopdf.GoPdf
	face   int     // face set in gp, or faceNone
	size   float64 // the size text is laid out in
	gsize  float64 // size set in gp
	glyphs map[rune]glyph
	y      float64
	err    error
}

// glyph is how one character is drawn: its face and its advance width at size 1.
type glyph struct {
	face int
	w    float64
}

func (r *Renderer) newDoc() (*doc, error) {
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}, Unit: gopdf.UnitPT})
	gp.SetInfo(gopdf.PdfInfo{Title: "中小学教师资格定期注册申请表", Creator: "tqreg"})
	for _, family := range faceFamily {
		if err := gp.AddTTFFontFromFontContainer(family, r.fonts); err != nil {
			return nil, wrap(ErrFont, err)
		}
	}
	d := &doc{gp: gp, face: faceNone, size: textSize, glyphs: make(map[rune]glyph, 256)}
	gp.AddPage()
	d.y = marginTop
	return d, nil
}

func (d *doc) fail(err error) {
	if err != nil && d.err == nil {
		d.err = err
	}
}

// use makes face at size the current font of gp.
func (d *doc) use(face int, size float64) {
	if d.face == face && d.gsize == size {
		return
	}
	d.face, d.gsize = face, size
	d.fail(d.gp.SetFont(faceFamily[face], "", size))
}

// glyph returns how r is drawn: Latin letters, digits and symbols in the Latin face when it
// has them, everything else in the CJK face, faceNone when neither face has r.
func (d *doc) glyph(r rune) glyph {
	if g, ok := d.glyphs[r]; ok {
		return g
	}
	order := [2]int{faceCJK, faceLatin}
	if r < 0x2E80 {
		order = [2]int{faceLatin, faceCJK}
	}
	g := glyph{face: faceNone}
	for _, face := range order {
		d.use(face, 1)
		if ok, err := d.gp.IsCurrFontContainGlyph(r); err == nil && ok {
			w, err := d.gp.MeasureTextWidth(string(r))
			d.fail(err)
			g = glyph{face: face, w: w}
			break
		}
	}
	d.glyphs[r] = g
	return g
}

func (d *doc) has(r rune) bool { return d.glyph(r).face != faceNone }

// clean makes every string of s drawable (see printable).
func (d *doc) clean(s sheet) sheet {
	p := func(v string) string { return printable(v, d.has, fallbackRune, maxValueRunes) }
	fields := func(in []field) []field {
		out := make([]field, len(in))
		for i, f := range in {
			out[i] = field{label: p(f.label), value: p(f.value)}
		}
		return out
	}
	c := sheet{
		title:      p(s.title),
		number:     p(s.number),
		identity:   fields(s.identity),
		commitment: printable(s.commitment, d.has, fallbackRune, 4*maxValueRunes),
		signature:  p(s.signature),
	}
	for _, sec := range s.sections {
		c.sections = append(c.sections, section{title: p(sec.title), fields: fields(sec.fields)})
	}
	for _, o := range s.opinions {
		c.opinions = append(c.opinions, opinion{title: p(o.title), name: p(o.name)})
	}
	return c
}

// width is the advance width of s at the current size.
func (d *doc) width(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += d.glyph(r).w
	}
	return w * d.size
}

// lines breaks s into lines no wider than w at the current size: between any two CJK
// characters, and at a space when a Latin word would be split. An empty s gives no lines.
func (d *doc) lines(s string, w float64) []string {
	if s == "" {
		return nil
	}
	if d.width(s) <= w {
		return []string{s}
	}
	var out []string
	rs := []rune(s)
	start, lastSpace := 0, -1
	cur := 0.0
	for i := 0; i < len(rs); i++ {
		rw := d.glyph(rs[i]).w * d.size
		if cur+rw > w && i > start {
			end := i
			if isWordRune(rs[i]) && lastSpace > start {
				end = lastSpace
			}
			out = append(out, string(rs[start:end]))
			start = end
			for start < len(rs) && rs[start] == ' ' {
				start++
			}
			lastSpace = -1
			if start > i {
				i = start - 1
				cur = 0
				continue
			}
			cur = d.width(string(rs[start:i]))
		}
		if rs[i] == ' ' {
			lastSpace = i
		}
		cur += rw
	}
	if start < len(rs) {
		out = append(out, string(rs[start:]))
	}
	return out
}

func isWordRune(r rune) bool {
	return r < 0x2E80 && r != ' '
}

func (d *doc) lineH() float64 { return d.size * lineGap }

// textHeight is the height of s wrapped to width w, padding included.
func (d *doc) textHeight(s string, w float64) float64 {
	n := len(d.lines(s, w-2*cellPadX))
	if n == 0 {
		n = 1
	}
	return float64(n)*d.lineH() + 2*cellPadY
}

// text draws s wrapped inside the box (x, y, w, h), vertically centred, aligned by align
// (gopdf.Left, gopdf.Center or gopdf.Right).
func (d *doc) text(s string, x, y, w, h float64, align int) {
	ls := d.lines(s, w-2*cellPadX)
	top := y + (h-float64(len(ls))*d.lineH())/2
	for i, l := range ls {
		lx := x + cellPadX
		switch align {
		case gopdf.Center:
			lx = x + (w-d.width(l))/2
		case gopdf.Right:
			lx = x + w - cellPadX - d.width(l)
		}
		d.line(l, lx, top+float64(i)*d.lineH())
	}
}

// line draws one line of text from (x, y), switching faces between runs of characters.
func (d *doc) line(s string, x, y float64) {
	for len(s) > 0 {
		first, _ := utf8.DecodeRuneInString(s)
		face := d.glyph(first).face
		end := len(s)
		for i, r := range s {
			if d.glyph(r).face != face {
				end = i
				break
			}
		}
		run := s[:end]
		s = s[end:]
		w := d.width(run)
		if face == faceNone { // printable replaced these; never drawn
			x += w
			continue
		}
		d.use(face, d.size)
		d.gp.SetXY(x, y)
		d.fail(d.gp.CellWithOption(&gopdf.Rect{W: w, H: d.lineH()}, run,
			gopdf.CellOption{Align: gopdf.Left | gopdf.Middle}))
		x += w
	}
}

// labelSize is the size a label is drawn in: the text size, or the small size when that
// keeps the label on one line.
func (d *doc) labelSize(s string) float64 {
	defer func(size float64) { d.size = size }(d.size)
	d.size = textSize
	if d.width(s) <= labelW-2*cellPadX {
		return textSize
	}
	return smallSize
}

// labelHeight is the height of the label cell for s.
func (d *doc) labelHeight(s string) float64 {
	defer func(size float64) { d.size = size }(d.size)
	d.size = d.labelSize(s)
	return d.textHeight(s, labelW)
}

// label draws s centred in the shaded label cell at (x, y) of height h.
func (d *doc) label(s string, x, y, h float64) {
	defer func(size float64) { d.size = size }(d.size)
	d.size = d.labelSize(s)
	d.text(s, x, y, labelW, h, gopdf.Center)
}

// box draws a rectangle outline, filled light grey when shaded.
func (d *doc) box(x, y, w, h float64, shaded bool) {
	if shaded {
		d.gp.SetFillColor(242, 242, 242)
		d.gp.RectFromUpperLeftWithStyle(x, y, w, h, "FD")
		return
	}
	d.gp.RectFromUpperLeftWithStyle(x, y, w, h, "D")
}

// room starts a new page when h more points do not fit on this one.
func (d *doc) room(h float64) {
	if d.y+h <= pageH-marginBottom {
		return
	}
	d.gp.AddPage()
	d.y = marginTop
}

func (d *doc) sheet(s sheet, photo *picture) {
	d.gp.SetLineWidth(0.6)
	d.gp.SetStrokeColor(0, 0, 0)
	d.gp.SetTextColor(0, 0, 0)

	// Title, then the application number on the right.
	d.size = titleSize
	th := max(titleSize*1.6, d.textHeight(s.title, contentW))
	d.text(s.title, marginX, d.y, contentW, th, gopdf.Center)
	d.y += th + 4
	d.size = textSize
	number := "报名号：" + s.number
	nw := min(d.width(number)+2*cellPadX+2, contentW/2)
	nh := d.textHeight(number, nw) - 2*cellPadY
	d.text(number, marginX+contentW-nw, d.y, nw, nh, gopdf.Right)
	d.y += nh + 4

	if len(s.sections) == 0 {
		d.identity(nil, photo)
	}
	for i, sec := range s.sections {
		next := minRowH
		if i == 0 {
			_, next = d.identityHeights(s.identity)
		}
		d.band(sec.title, next)
		if i == 0 {
			d.identity(s.identity, photo)
		}
		d.rows(sec.fields)
	}
	d.commitment(s.commitment, s.signature)
	d.opinions(s.opinions)
}

// identity draws the identity rows with the photo cell on their right, spanning them all.
func (d *doc) identity(fs []field, photo *picture) {
	tableW := contentW - photoCellW
	valueW := tableW - labelW
	heights, total := d.identityHeights(fs)
	d.room(total)
	top := d.y
	for i, f := range fs {
		d.box(marginX, d.y, labelW, heights[i], true)
		d.label(f.label, marginX, d.y, heights[i])
		d.box(marginX+labelW, d.y, valueW, heights[i], false)
		d.text(f.value, marginX+labelW, d.y, valueW, heights[i], gopdf.Left)
		d.y += heights[i]
	}
	d.y = top + total
	d.photo(marginX+tableW, top, total, photo)
}

// identityHeights returns the height of each identity row and of the whole block: at least
// the photo cell's height, spread evenly over the rows.
func (d *doc) identityHeights(fs []field) ([]float64, float64) {
	valueW := contentW - photoCellW - labelW
	heights := make([]float64, len(fs))
	total := 0.0
	for i, f := range fs {
		heights[i] = max(minRowH, d.textHeight(f.value, valueW), d.labelHeight(f.label))
		total += heights[i]
	}
	if need := photoH + 2*photoPad; total < need && len(fs) > 0 {
		extra := (need - total) / float64(len(fs))
		for i := range heights {
			heights[i] += extra
		}
		total = need
	}
	return heights, max(total, photoH+2*photoPad)
}

// photo draws the photo cell at (x, top) of height h: the picture fitted into a 25 × 35 mm
// frame, or an empty frame reading 照片.
func (d *doc) photo(x, top, h float64, p *picture) {
	d.box(x, top, photoCellW, h, false)
	fx, fy := x+photoPad, top+(h-photoH)/2
	if p == nil {
		d.gp.SetStrokeColor(160, 160, 160)
		d.box(fx, fy, photoW, photoH, false)
		d.gp.SetStrokeColor(0, 0, 0)
		d.gp.SetTextColor(128, 128, 128)
		d.text("照片", fx, fy, photoW, photoH, gopdf.Center)
		d.gp.SetTextColor(0, 0, 0)
		return
	}
	scale := min(photoW/float64(p.w), photoH/float64(p.h))
	w, ph := float64(p.w)*scale, float64(p.h)*scale
	d.fail(d.gp.ImageByHolder(p.holder, fx+(photoW-w)/2, fy+(photoH-ph)/2, &gopdf.Rect{W: w, H: ph}))
}

// band draws a section's shaded title band, on the same page as the next points of content.
func (d *doc) band(title string, next float64) {
	d.room(headerH + next)
	d.box(marginX, d.y, contentW, headerH, true)
	d.text(title, marginX, d.y, contentW, headerH, gopdf.Left)
	d.y += headerH
}

// rows draws fields two to a row when both values are short, one to a row (the value across
// the full width, wrapped) otherwise.
func (d *doc) rows(fs []field) {
	halfValueW := contentW/2 - labelW
	fullValueW := contentW - labelW
	fits := func(f field) bool {
		return d.width(f.value) <= halfValueW-2*cellPadX && d.labelHeight(f.label) <= minRowH+0.01
	}
	for i := 0; i < len(fs); {
		if i+1 < len(fs) && fits(fs[i]) && fits(fs[i+1]) {
			h := minRowH
			d.room(h)
			for j, f := range fs[i : i+2] {
				x := marginX + float64(j)*contentW/2
				d.box(x, d.y, labelW, h, true)
				d.label(f.label, x, d.y, h)
				d.box(x+labelW, d.y, halfValueW, h, false)
				d.text(f.value, x+labelW, d.y, halfValueW, h, gopdf.Left)
			}
			d.y += h
			i += 2
			continue
		}
		f := fs[i]
		h := max(minRowH, d.textHeight(f.value, fullValueW), d.labelHeight(f.label))
		d.room(h)
		d.box(marginX, d.y, labelW, h, true)
		d.label(f.label, marginX, d.y, h)
		d.box(marginX+labelW, d.y, fullValueW, h, false)
		d.text(f.value, marginX+labelW, d.y, fullValueW, h, gopdf.Left)
		d.y += h
		i++
	}
}

// commitment draws the 个人承诺 box: the promise, then the signature and date line.
func (d *doc) commitment(text, signature string) {
	d.y += 8
	textW := contentW - labelW
	h := max(d.textHeight(text, textW)+d.lineH()+3*cellPadY, 2*minRowH+8)
	d.room(h)
	d.box(marginX, d.y, labelW, h, true)
	d.text("个人承诺", marginX, d.y, labelW, h, gopdf.Center)
	d.box(marginX+labelW, d.y, textW, h, false)
	body := h - d.lineH() - 3*cellPadY
	d.text(text, marginX+labelW, d.y+cellPadY, textW, body, gopdf.Left)
	d.text(signature, marginX+labelW, d.y+h-d.lineH()-2*cellPadY, textW, d.lineH(), gopdf.Right)
	d.y += h
}

// opinions draws the office boxes side by side, each with its title, the office name, and
// the stamp and date lines at the bottom right.
func (d *doc) opinions(os []opinion) {
	if len(os) == 0 {
		return
	}
	w := contentW / float64(len(os))
	stamp := 2*d.lineH() + 2*cellPadY
	h := opinionH
	for _, o := range os {
		h = max(h, d.textHeight(o.title, w)+d.smallHeight(o.name, w)+stamp+d.lineH())
	}
	d.y += 8
	d.room(h)
	for i, o := range os {
		x := marginX + float64(i)*w
		d.box(x, d.y, w, h, false)
		th := d.textHeight(o.title, w)
		d.text(o.title, x, d.y, w, th, gopdf.Left)
		if o.name != "" {
			d.size = smallSize
			d.text(o.name, x, d.y+th-cellPadY, w, d.textHeight(o.name, w)-cellPadY, gopdf.Left)
			d.size = textSize
		}
		d.text("（签章）", x, d.y+h-2*d.lineH()-2*cellPadY, w-12, d.lineH(), gopdf.Right)
		d.text("日期：      年    月    日", x, d.y+h-d.lineH()-cellPadY, w-12, d.lineH(), gopdf.Right)
	}
	d.y += h
}

// smallHeight is textHeight at the small size.
func (d *doc) smallHeight(s string, w float64) float64 {
	defer func(size float64) { d.size = size }(d.size)
	d.size = smallSize
	return d.textHeight(s, w)
}
