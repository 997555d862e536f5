package form

import (
	"errors"
	"strconv"
	"time"
)

// Date is a civil date (公历日期) without a clock or time zone, as the form's date fields hold
// it. The zero Date means "not given".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// MinYear is the earliest year a form date may carry.
const MinYear = 1900

// ErrInvalidDate is returned by ParseDate for anything but a real date written 2006-01-02.
var ErrInvalidDate = errors.New("日期无效，应为真实日期，格式如2006-01-02")

// ParseDate reads a date written exactly as 2006-01-02 (what <input type="date"> sends),
// ASCII digits only, a real calendar date in 1900..9999. Surrounding spaces are not accepted
// here; Decode trims them.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, ErrInvalidDate
	}
	y, ok1 := atoi(s[0:4])
	m, ok2 := atoi(s[5:7])
	d, ok3 := atoi(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, ErrInvalidDate
	}
	v := Date{y, time.Month(m), d}
	if !v.Valid() {
		return Date{}, ErrInvalidDate
	}
	return v, nil
}

func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// MustParseDate is ParseDate for tests and constants; it panics on a bad date.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic("form.MustParseDate(" + strconv.Quote(s) + "): " + err.Error())
	}
	return d
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// chinaZone is China Standard Time (UTC+8, no daylight saving).
var chinaZone = time.FixedZone("CST", 8*3600)

// ChinaDate returns the calendar date of t in China Standard Time (UTC+8): "today" for an
// applicant.
func ChinaDate(t time.Time) Date { return DateOf(t.In(chinaZone)) }

// Valid reports whether d is a real calendar date in 1900..9999.
func (d Date) Valid() bool {
	if d.Year < MinYear || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	return d.Day <= time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IsZero reports whether d is the zero Date (not given).
func (d Date) IsZero() bool { return d == Date{} }

// String returns the date as 2006-01-02, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	b := make([]byte, 0, 10)
	b = appendPad(b, d.Year, 4)
	b = append(b, '-')
	b = appendPad(b, int(d.Month), 2)
	b = append(b, '-')
	b = appendPad(b, d.Day, 2)
	return string(b)
}

// Chinese returns the date as printed on forms, e.g. "2006年01月02日"; "" for the zero Date.
func (d Date) Chinese() string {
	if d.IsZero() {
		return ""
	}
	b := appendPad(nil, d.Year, 4)
	b = append(b, "年"...)
	b = appendPad(b, int(d.Month), 2)
	b = append(b, "月"...)
	b = appendPad(b, d.Day, 2)
	b = append(b, "日"...)
	return string(b)
}

func appendPad(b []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	}
	return cmpInt(d.Day, o.Day)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// AddYears returns the date n years later; 29 February becomes 1 March in a common year
// (so someone born on 29 February turns 16 on 1 March).
func (d Date) AddYears(n int) Date {
	return DateOf(time.Date(d.Year+n, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
}

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalText returns the 2006-01-02 form ("" for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses the 2006-01-02 form; empty text gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
