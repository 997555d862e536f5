package account

import (
	"errors"
	"strings"
	"time"
)

// ChinaStandardTime is the fixed UTC+8 zone (中国标准时间) in which birth dates of
// resident IDs are interpreted. It is a fixed zone, so results do not depend on
// the machine's time-zone database.
var ChinaStandardTime = time.FixedZone("CST", 8*3600)

// ResidentID is a parsed 居民身份证号码 (GB 11643-1999 citizen identity number) in
// its canonical 18-character form. It is a small comparable value; the zero
// value is not a valid ID (its String is ""). Get one only from ParseResidentID,
// ParseResidentIDAt or MustParseResidentID.
type ResidentID struct {
	b [18]byte
}

// ErrInvalidID is matched (errors.Is) by every resident-ID failure (身份证号码无效).
// The concrete error is an *IDError that says which check failed.
var ErrInvalidID = errors.New("身份证号码无效")

// IDCheck names the check a resident ID failed. Stable codes: do not reorder.
type IDCheck uint8

// The checks of ParseResidentID, in the order they are applied.
const (
	IDCheckLength     IDCheck = iota + 1 // not 15 or 18 characters
	IDCheckCharacters                    // a non-digit (only the 18th may be X)
	IDCheckRegion                        // first two digits not a province-level code
	IDCheckDate                          // birth date is not a real calendar date
	IDCheckBefore1900                    // birth year before 1900
	IDCheckFuture                        // birth date after today (China Standard Time)
	IDCheckChecksum                      // the 18th character does not match GB 11643
)

var idCheckMessages = [...]string{
	IDCheckLength:     "身份证号码应为18位(或15位一代证号码)",
	IDCheckCharacters: "身份证号码只能包含数字,最后一位可以是X",
	IDCheckRegion:     "身份证号码的地区码无效",
	IDCheckDate:       "身份证号码中的出生日期不是有效日期",
	IDCheckBefore1900: "身份证号码中的出生日期早于1900年",
	IDCheckFuture:     "身份证号码中的出生日期晚于今天",
	IDCheckChecksum:   "身份证号码校验位错误",
}

// String returns the zh-CN message of the check, e.g. "身份证号码校验位错误".
func (c IDCheck) String() string {
	if c == 0 || int(c) >= len(idCheckMessages) {
		return ErrInvalidID.Error()
	}
	return idCheckMessages[c]
}

// IDError is the error of a failed resident-ID check (身份证号码校验). It never
// contains the number itself. errors.Is(err, ErrInvalidID) and
// errors.Is(err, ErrInvalidDocument) are true for every IDError. The parsers
// return shared values (so failing does not allocate): read them, never modify.
type IDError struct {
	Check IDCheck // which check failed; a stable code
	// Permit is true when the number was read as a 港澳台居民居住证号码 (same
	// layout, regions 810000/820000/830000): the message names the permit.
	Permit bool
}

// Error returns the zh-CN message naming the failed check (and the document).
func (e *IDError) Error() string {
	if !e.Permit {
		return e.Check.String()
	}
	switch e.Check {
	case IDCheckLength:
		return "港澳台居民居住证号码应为18位"
	case IDCheckRegion:
		return "港澳台居民居住证号码应以810000(香港)、820000(澳门)或830000(台湾)开头"
	}
	return strings.Replace(e.Check.String(), "身份证号码", "港澳台居民居住证号码", 1)
}

// Is makes errors.Is match ErrInvalidID and ErrInvalidDocument.
func (e *IDError) Is(target error) bool {
	return target == ErrInvalidID || target == ErrInvalidDocument
}

// idErrors are preallocated so a failed parse does not allocate either.
var idErrors, permitErrors = func() (ids, permits [len(idCheckMessages)]*IDError) {
	for i := range ids {
		ids[i] = &IDError{Check: IDCheck(i)}
		permits[i] = &IDError{Check: IDCheck(i), Permit: true}
	}
	return ids, permits
}()

// gbErr returns the shared error of check c for the document the rule reads.
func gbErr(c IDCheck, rule regionRule) error {
	if rule == regionHMTPermit {
		return permitErrors[c]
	}
	return idErrors[c]
}

// regionRule says which region prefixes a GB 11643-shaped number may carry.
type regionRule uint8

const (
	regionMainland  regionRule = iota // 居民身份证: province-level codes 11–65
	regionHMTPermit                   // 港澳台居民居住证: 810000, 820000, 830000
)

// ParseResidentID parses a 居民身份证号码 and checks it as of the current time
// (time.Now). It accepts 18 characters (17 digits and a GB 11643 check
// character; a lowercase x is read as X) or a 15-digit first-generation number,
// which is converted to 18 characters by inserting "19" before the year and
// appending the check character. Surrounding spaces are trimmed. The region must
// start with a mainland province-level code; the birth date must be a real date,
// not before 1900 and not after today in China Standard Time. Failures are
// *IDError values matching ErrInvalidID. The valid path does not allocate.
func ParseResidentID(s string) (ResidentID, error) {
	return ParseResidentIDAt(s, time.Now())
}

// ParseResidentIDAt is ParseResidentID with an explicit clock: now decides what
// "birth date in the future" means (the date of now in China Standard Time).
func ParseResidentIDAt(s string, now time.Time) (ResidentID, error) {
	return parseGB11643(s, now, regionMainland)
}

// MustParseResidentID is ParseResidentID for tests and constants: it panics on
// an invalid number.
func MustParseResidentID(s string) ResidentID {
	id, err := ParseResidentID(s)
	if err != nil {
		panic("account.MustParseResidentID: " + err.Error())
	}
	return id
}

// gb11643Weights are the weights of the first 17 digits (2^(18-i) mod 11).
var gb11643Weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// gb11643Check maps the weighted sum mod 11 to the check character.
const gb11643Check = "10X98765432"

// checkChar returns the GB 11643 check character of the first 17 digits of b.
func checkChar(b *[18]byte) byte {
	sum := 0
	for i, w := range gb11643Weights {
		sum += int(b[i]-'0') * w
	}
	return gb11643Check[sum%11]
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseGB11643 does the work of ParseResidentIDAt and of the residence-permit
// validation; rule selects the allowed region prefixes.
func parseGB11643(s string, now time.Time, rule regionRule) (ResidentID, error) {
	s = strings.TrimSpace(s)
	var id ResidentID
	switch len(s) {
	case 18:
		if !isDigits(s[:17]) {
			return ResidentID{}, gbErr(IDCheckCharacters, rule)
		}
		c := s[17]
		if c == 'x' {
			c = 'X'
		}
		if c != 'X' && (c < '0' || c > '9') {
			return ResidentID{}, gbErr(IDCheckCharacters, rule)
		}
		copy(id.b[:17], s)
		id.b[17] = c
	case 15:
		if rule != regionMainland {
			// Residence permits were introduced in 2018: no first generation.
			return ResidentID{}, gbErr(IDCheckLength, rule)
		}
		if !isDigits(s) {
			return ResidentID{}, gbErr(IDCheckCharacters, rule)
		}
		copy(id.b[:6], s[:6])
		id.b[6], id.b[7] = '1', '9'
		copy(id.b[8:17], s[6:])
		id.b[17] = checkChar(&id.b)
	default:
		return ResidentID{}, gbErr(IDCheckLength, rule)
	}

	if !regionAllowed(&id.b, rule) {
		return ResidentID{}, gbErr(IDCheckRegion, rule)
	}

	year := num(id.b[6:10])
	month := num(id.b[10:12])
	day := num(id.b[12:14])
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return ResidentID{}, gbErr(IDCheckDate, rule)
	}
	if year < 1900 {
		return ResidentID{}, gbErr(IDCheckBefore1900, rule)
	}
	ny, nm, nd := now.In(ChinaStandardTime).Date()
	if year > ny || year == ny && (month > int(nm) || month == int(nm) && day > nd) {
		return ResidentID{}, gbErr(IDCheckFuture, rule)
	}

	if checkChar(&id.b) != id.b[17] {
		return ResidentID{}, gbErr(IDCheckChecksum, rule)
	}
	return id, nil
}

func regionAllowed(b *[18]byte, rule regionRule) bool {
	if rule == regionHMTPermit {
		if string(b[2:6]) != "0000" || b[0] != '8' {
			return false
		}
		return b[1] == '1' || b[1] == '2' || b[1] == '3'
	}
	switch p := num(b[:2]); {
	case p >= 11 && p <= 15, p >= 21 && p <= 23, p >= 31 && p <= 37,
		p >= 41 && p <= 46, p >= 50 && p <= 54, p >= 61 && p <= 65:
		return true
	}
	return false
}

// num reads ASCII digits already known to be digits.
func num(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// String returns the canonical 18 characters (check character X upper case),
// or "" for the zero value.
func (id ResidentID) String() string {
	if id.b[0] == 0 {
		return ""
	}
	return string(id.b[:])
}

// IsZero reports whether id is the zero value (no ID).
func (id ResidentID) IsZero() bool { return id.b[0] == 0 }

// Birth returns the birth date (出生日期) encoded in the ID, at midnight in
// China Standard Time (ChinaStandardTime, a fixed UTC+8 zone). The zero value
// gives the zero time.
func (id ResidentID) Birth() time.Time {
	if id.IsZero() {
		return time.Time{}
	}
	return time.Date(num(id.b[6:10]), time.Month(num(id.b[10:12])), num(id.b[12:14]),
		0, 0, 0, 0, ChinaStandardTime)
}

// Male reports whether the sequence code (顺序码, 17th digit) is odd, which
// GB 11643 assigns to men; even is assigned to women.
func (id ResidentID) Male() bool {
	return !id.IsZero() && (id.b[16]-'0')%2 == 1
}

// Region returns the six-digit region code (行政区划代码, GB/T 2260) at the start
// of the ID, or "" for the zero value.
func (id ResidentID) Region() string {
	if id.IsZero() {
		return ""
	}
	return string(id.b[:6])
}
