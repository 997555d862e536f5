package pdf

// sheet is what the renderer draws: the application form reduced to labelled text in the
// order it is printed. It is built from form.ApplicationForm by sheetOf.
type sheet struct {
	title      string
	number     string  // 报名号, printed top right
	identity   []field // printed beside the photo
	sections   []section
	commitment string
	signature  string // the applicant's signature and date line
	opinions   []opinion
}

// field is one labelled value of the form.
type field struct {
	label, value string
}

// section is a titled group of fields in the bordered table.
type section struct {
	title  string
	fields []field
}

// opinion is a box left for an office to write in and stamp (确认点意见, 注册机构意见).
type opinion struct {
	title string // e.g. 确认点意见
	name  string // the office's name, printed under the title when known
}

// Page geometry in points (A4 portrait, 595.28 × 841.89 pt).
const (
	pageW        = 595.28
	pageH        = 841.89
	marginX      = 42.0
	marginTop    = 36.0
	marginBottom = 36.0
	contentW     = pageW - 2*marginX

	photoW     = 70.87 // 25 mm: the 一寸 photo size
	photoH     = 99.21 // 35 mm
	photoPad   = 6.0
	photoCellW = photoW + 2*photoPad

	titleSize = 17.0
	textSize  = 9.5
	smallSize = 8.5
	lineGap   = 1.35 // line height as a multiple of the font size
	cellPadX  = 4.0
	cellPadY  = 3.0
	minRowH   = 19.0
	labelW    = 92.0
	headerH   = 17.0
	opinionH  = 92.0
)
