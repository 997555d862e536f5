package account

import "time"

// HMTResidencePermit is a parsed 港澳台居民居住证 number: 18 characters in the
// GB 11643 layout of a resident ID, with region 810000 (Hong Kong), 820000
// (Macao) or 830000 (Taiwan), a real birth date and the check character. The
// zero value is no permit.
type HMTResidencePermit struct{ id ResidentID }

// ParseHMTResidencePermit parses a 港澳台居民居住证 number as of the current time
// (time.Now): surrounding spaces trimmed, a lowercase x read as X. Failures are
// *IDError values matching ErrInvalidID and ErrInvalidDocument.
func ParseHMTResidencePermit(s string) (HMTResidencePermit, error) {
	return ParseHMTResidencePermitAt(s, time.Now())
}

// ParseHMTResidencePermitAt is ParseHMTResidencePermit with an explicit clock
// for the "birth date not in the future" check.
func ParseHMTResidencePermitAt(s string, now time.Time) (HMTResidencePermit, error) {
	id, err := parseGB11643(s, now, regionHMTPermit)
	return HMTResidencePermit{id}, err
}

// String returns the canonical 18 characters, or "" for the zero value.
func (p HMTResidencePermit) String() string { return p.id.String() }

// IsZero reports whether p is the zero value.
func (p HMTResidencePermit) IsZero() bool { return p.id.IsZero() }

// Birth returns the birth date (出生日期) in the number, at midnight in China
// Standard Time; the zero time for the zero value.
func (p HMTResidencePermit) Birth() time.Time { return p.id.Birth() }

// Male reports whether the sequence code is odd (GB 11643: men).
func (p HMTResidencePermit) Male() bool { return p.id.Male() }

// Region returns "810000" (香港), "820000" (澳门) or "830000" (台湾), or "" for
// the zero value.
func (p HMTResidencePermit) Region() string { return p.id.Region() }

// BirthOf returns the birth date and sex a document number carries, for the
// document types that carry them (居民身份证 and 港澳台居民居住证), as of now;
// ok is false for other types and for invalid numbers. The form's age rules
// take the birth date from here.
func BirthOf(t DocType, number string, now time.Time) (birth time.Time, male, ok bool) {
	var id ResidentID
	var err error
	switch t {
	case DocResidentID:
		id, err = parseGB11643(number, now, regionMainland)
	case DocHMTResidencePermit:
		id, err = parseGB11643(number, now, regionHMTPermit)
	default:
		return time.Time{}, false, false
	}
	if err != nil {
		return time.Time{}, false, false
	}
	return id.Birth(), id.Male(), true
}
