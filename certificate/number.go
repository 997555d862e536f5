package certificate

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Number is a 教师资格证书号码 (certificate number): 15 or 17 ASCII digits with no check digit.
// It is a small comparable value; get one only through ParseNumber (the zero Number is
// "no number").
//
// 17 digits: 1–4 year of certification (认定年度), 5–6 province code, 7–9 authority code,
// 10 kind (资格种类), 11 gender, 12–17 sequence.
// 15 digits: 1–2 year (19YY), 3–8 area code (province = its first two digits), 9 kind,
// 10 gender, 11–15 sequence.
type Number struct {
	d [17]byte // ASCII digits; only the first n are used
	n uint8    // 0 (zero value), 15 or 17
}

// MinYear is the earliest year of certification a number may carry.
const MinYear = 1996

// ErrInvalidNumber matches (errors.Is) every failure of ParseNumber.
var ErrInvalidNumber = errors.New("教师资格证书号码无效")

// NumberErrorCode says which check of a certificate number failed. The values are stable
// strings a web layer may map to its own messages.
type NumberErrorCode string

// The certificate-number error codes.
const (
	CodeNumberEmpty     NumberErrorCode = "certificate.number.empty"
	CodeNumberLength    NumberErrorCode = "certificate.number.length"
	CodeNumberNotDigits NumberErrorCode = "certificate.number.not_digits"
	CodeNumberYear      NumberErrorCode = "certificate.number.year"
	CodeNumberKind      NumberErrorCode = "certificate.number.kind"
)

// NumberError is the typed error of ParseNumber. It never contains the number itself.
type NumberError struct {
	Code NumberErrorCode
	// Len is the length in characters of the trimmed input.
	Len int
	// Pos is the 1-based position of the first offending character (CodeNumberNotDigits).
	Pos int
	// Year is the year of certification read from the number (CodeNumberYear).
	Year int
	// MaxYear is the latest year allowed (CodeNumberYear).
	MaxYear int
	// KindDigit is the kind digit read from the number (CodeNumberKind).
	KindDigit int
}

// Error returns a zh-CN message saying what was wrong.
func (e *NumberError) Error() string {
	switch e.Code {
	case CodeNumberEmpty:
		return "请填写教师资格证书号码"
	case CodeNumberLength:
		return "教师资格证书号码应为15位或17位数字，当前为" + strconv.Itoa(e.Len) + "位"
	case CodeNumberNotDigits:
		return "教师资格证书号码只能由数字0-9组成（半角），第" + strconv.Itoa(e.Pos) + "位不是数字"
	case CodeNumberYear:
		return "教师资格证书号码中的认定年度" + strconv.Itoa(e.Year) + "年无效，应在" +
			strconv.Itoa(MinYear) + "年至" + strconv.Itoa(e.MaxYear) + "年之间"
	case CodeNumberKind:
		return "教师资格证书号码中的资格种类代码" + strconv.Itoa(e.KindDigit) + "无效，应为1至7"
	}
	return ErrInvalidNumber.Error()
}

// Is makes errors.Is(err, ErrInvalidNumber) true.
func (e *NumberError) Is(target error) bool { return target == ErrInvalidNumber }

// ParseNumber parses a certificate number against the current year (time.Now).
// See ParseNumberAt.
func ParseNumber(s string) (Number, error) { return ParseNumberAt(s, time.Now()) }

// ParseNumberAt parses a certificate number: surrounding spaces are trimmed, then exactly 15
// or 17 ASCII digits must remain (full-width digits, letters and signs are refused), the year
// of certification must lie in 1996..now.Year() and the kind digit in 1..7. The gender digit
// is kept and never judged. The error is a *NumberError matching ErrInvalidNumber.
func ParseNumberAt(s string, now time.Time) (Number, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Number{}, &NumberError{Code: CodeNumberEmpty}
	}
	// Digits first, so "12345678901234５67" says "not a digit" rather than "wrong length".
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			return Number{}, &NumberError{Code: CodeNumberNotDigits, Len: runeCount(s), Pos: runeCount(s[:i]) + 1}
		}
	}
	if len(s) != 15 && len(s) != 17 {
		return Number{}, &NumberError{Code: CodeNumberLength, Len: len(s)}
	}
	var n Number
	n.n = uint8(copy(n.d[:], s))
	if y, latest := n.Year(), now.Year(); y < MinYear || y > latest {
		return Number{}, &NumberError{Code: CodeNumberYear, Len: len(s), Year: y, MaxYear: latest}
	}
	if k := n.kindDigit(); k < 1 || k > 7 {
		return Number{}, &NumberError{Code: CodeNumberKind, Len: len(s), KindDigit: k}
	}
	return n, nil
}

func runeCount(s string) int {
	c := 0
	for range s {
		c++
	}
	return c
}

// MustParseNumber is ParseNumber for tests and constants: it panics on an invalid number.
func MustParseNumber(s string) Number {
	n, err := ParseNumber(s)
	if err != nil {
		panic("certificate.MustParseNumber: " + err.Error())
	}
	return n
}

// String returns the canonical digits ("" for the zero Number).
func (n Number) String() string { return string(n.d[:n.n]) }

// Len returns 15 or 17 (0 for the zero Number).
func (n Number) Len() int { return int(n.n) }

// IsZero reports whether n is the zero Number (no number).
func (n Number) IsZero() bool { return n.n == 0 }

// Year returns the year of certification (认定年度): digits 1–4, or 19 + digits 1–2 for a
// 15-digit number.
func (n Number) Year() int {
	switch n.n {
	case 17:
		return digits(n.d[0:4])
	case 15:
		return 1900 + digits(n.d[0:2])
	}
	return 0
}

// Province returns the two-digit province code (GB/T 2260), e.g. "45" for Guangxi.
func (n Number) Province() string {
	switch n.n {
	case 17:
		return string(n.d[4:6])
	case 15:
		return string(n.d[2:4])
	}
	return ""
}

// Kind returns the qualification kind (资格种类) coded in the number.
func (n Number) Kind() Kind { return Kind(n.kindDigit()) }

// GenderDigit returns the gender digit as stored. Its coding changed over the years, so it is
// kept but never interpreted. -1 for the zero Number.
func (n Number) GenderDigit() int {
	switch n.n {
	case 17:
		return int(n.d[10] - '0')
	case 15:
		return int(n.d[9] - '0')
	}
	return -1
}

func (n Number) kindDigit() int {
	switch n.n {
	case 17:
		return int(n.d[9] - '0')
	case 15:
		return int(n.d[8] - '0')
	}
	return 0
}

func (n Number) isGuangxi() bool { return n.Province() == GuangxiProvince }

// MarshalText returns the digits, so a Number can be stored or sent as text.
func (n Number) MarshalText() ([]byte, error) { return n.d[:n.n:n.n], nil }

// UnmarshalText parses the digits with ParseNumber; empty text gives the zero Number.
func (n *Number) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*n = Number{}
		return nil
	}
	v, err := ParseNumber(string(b))
	if err != nil {
		return err
	}
	*n = v
	return nil
}

func digits(b []byte) int {
	v := 0
	for _, c := range b {
		v = v*10 + int(c-'0')
	}
	return v
}
