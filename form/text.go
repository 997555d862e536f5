package form

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// NormalizeText trims s, turns every run of white space (including the ideographic space
// U+3000, tabs and newlines) into one ASCII space, and drops a space next to a Chinese
// character ("北京 师范大学" → "北京师范大学", "University of Hong Kong" stays). Other control
// characters are kept so that validation can refuse them. Invalid UTF-8 is kept as is.
func NormalizeText(s string) string {
	if !utf8.ValidString(s) {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending
	var prev rune
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space && !isHan(prev) && !isHan(r) {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// NormalizeName is NormalizeText after folding full-width ASCII to half-width (Ｂ → B,
// （ → (, ０ → 0) with golang.org/x/text/width, for names typed on a Chinese keyboard.
func NormalizeName(s string) string {
	if !utf8.ValidString(s) {
		return strings.TrimSpace(s)
	}
	return NormalizeText(width.Fold.String(s))
}

func isHan(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// checkChars returns a zh-CN problem when s is empty, not UTF-8 or holds control or
// format characters, or "".
func checkChars(label, s string) string {
	if s == "" {
		return "请填写" + label
	}
	if !utf8.ValidString(s) {
		return label + "包含无效字符"
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return label + "不能包含控制字符"
		}
	}
	return ""
}

func lengthRange(min, max int) string {
	return strconv.Itoa(min) + "至" + strconv.Itoa(max) + "个字"
}

// checkText returns a zh-CN problem with a free-text value (checkChars plus min..max
// characters), or "". label names the field.
func checkText(label, s string, min, max int) string {
	if msg := checkChars(label, s); msg != "" {
		return msg
	}
	if n := utf8.RuneCountInString(s); n < min || n > max {
		return label + "应为" + lengthRange(min, max) + "，当前为" + strconv.Itoa(n) + "个字"
	}
	return ""
}

// checkSchoolName returns a zh-CN problem with a school name, or "": a full name of 2–60
// characters with at least one letter or Chinese character and no control characters.
func checkSchoolName(label, s string) string {
	if msg := checkChars(label, s); msg != "" {
		return msg
	}
	if n := utf8.RuneCountInString(s); n < MinSchoolName || n > MaxSchoolName {
		return label + "请填写学校全称（" + lengthRange(MinSchoolName, MaxSchoolName) + "），当前为" + strconv.Itoa(n) + "个字"
	}
	if strings.IndexFunc(s, unicode.IsLetter) < 0 {
		return label + "请填写学校全称，不能只有数字或符号"
	}
	return ""
}

// NewSchool is a graduation school the applicant adds because the school search did not
// find it (新增学校): its full name and its 办学类型.
type NewSchool struct {
	Name string
	Type SchoolType
}

// Normalize returns s with its name normalised by NormalizeName.
func (s NewSchool) Normalize() NewSchool {
	s.Name = NormalizeName(s.Name)
	return s
}

// Validate returns every problem with s, keyed by FieldGraduationSchool (the name) and
// FieldNewSchoolType (the type): the name is a full name of 2–60 characters without control
// characters, and the type is one of SchoolTypes. Call Normalize first.
func (s NewSchool) Validate() Errors {
	var e Errors
	if msg := checkSchoolName("毕业学校", s.Name); msg != "" {
		e.Add(FieldGraduationSchool, msg)
	}
	if s.Type == "" {
		e.Add(FieldNewSchoolType, "请选择新增学校的办学类型")
	} else if !SchoolTypes.Valid(s.Type) {
		e.Add(FieldNewSchoolType, "办学类型的选项无效，请重新选择")
	}
	return e
}
