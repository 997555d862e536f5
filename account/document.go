package account

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// DocType is a 证件类型, the kind of identity document an account is registered
// with. It is a closed set; the zero value is not a valid type.
//
// The constants carry a Doc prefix because ResidentID is also the name of the
// parsed resident-ID value type.
type DocType uint8

// The document types, in the order of the national portal's select box.
// Stored codes: do not reorder, do not renumber; append new types at the end.
const (
	DocResidentID               DocType = 1 // 居民身份证
	DocHKMacaoPermit            DocType = 2 // 港澳居民来往内地通行证
	DocTaiwanPermit             DocType = 3 // 台湾居民来往大陆通行证
	DocHMTResidencePermit       DocType = 4 // 港澳台居民居住证
	DocPassport                 DocType = 5 // 护照
	DocForeignPermanentResident DocType = 6 // 外国人永久居留身份证
)

var docTypeLabels = [...]string{
	DocResidentID:               "居民身份证",
	DocHKMacaoPermit:            "港澳居民来往内地通行证",
	DocTaiwanPermit:             "台湾居民来往大陆通行证",
	DocHMTResidencePermit:       "港澳台居民居住证",
	DocPassport:                 "护照",
	DocForeignPermanentResident: "外国人永久居留身份证",
}

// ErrInvalidDocType is returned by ParseDocType and ValidateDocument for a value
// outside the closed set of document types (证件类型).
var ErrInvalidDocType = errors.New("证件类型无效")

// DocTypes lists every document type (证件类型) in display order, e.g. for a
// select box. The caller owns the returned slice.
func DocTypes() []DocType {
	return []DocType{
		DocResidentID,
		DocHKMacaoPermit,
		DocTaiwanPermit,
		DocHMTResidencePermit,
		DocPassport,
		DocForeignPermanentResident,
	}
}

// Valid reports whether t is one of the defined document types (证件类型).
func (t DocType) Valid() bool {
	return t >= DocResidentID && int(t) < len(docTypeLabels)
}

// String returns the zh-CN label of the document type (证件类型), e.g. "居民身份证".
// An undefined value gives "未知证件类型(n)".
func (t DocType) String() string {
	if !t.Valid() {
		return "未知证件类型(" + strconv.Itoa(int(t)) + ")"
	}
	return docTypeLabels[t]
}

// Code returns the stored code of the document type (证件类型) as a decimal
// string, the value a select box submits: "1" for DocResidentID.
func (t DocType) Code() string {
	return strconv.Itoa(int(t))
}

// ParseDocType parses a document type (证件类型) from its stored code exactly as
// Code returns it ("1".."6") or from its zh-CN label ("居民身份证"). Surrounding
// spaces are ignored. Anything else gives ErrInvalidDocType.
func ParseDocType(s string) (DocType, error) {
	s = strings.TrimSpace(s)
	for _, t := range DocTypes() {
		if s == t.Code() || s == docTypeLabels[t] {
			return t, nil
		}
	}
	return 0, ErrInvalidDocType
}

// ErrInvalidDocument is matched (errors.Is) by every failure of ValidateDocument
// (证件号码无效), including resident-ID failures, which also match ErrInvalidID.
var ErrInvalidDocument = errors.New("证件号码无效")

// DocumentError is the error of a document number (证件号码) that does not have
// the format of its document type. It never contains the number itself.
// errors.Is(err, ErrInvalidDocument) is true for every DocumentError.
type DocumentError struct {
	Type DocType // the document type whose format was not met
}

// Error returns the zh-CN message, naming the expected format.
func (e *DocumentError) Error() string {
	switch e.Type {
	case DocHKMacaoPermit:
		return "港澳居民来往内地通行证号码应为H或M加8位或10位数字"
	case DocTaiwanPermit:
		return "台湾居民来往大陆通行证号码应为8位数字(旧版为10位字母或数字)"
	case DocHMTResidencePermit:
		return "港澳台居民居住证号码应为18位,以810000、820000或830000开头"
	case DocPassport:
		return "护照号码应为5到17位字母或数字"
	case DocForeignPermanentResident:
		return "外国人永久居留身份证号码应为3位字母加12位数字,或以9开头的18位号码"
	}
	return ErrInvalidDocument.Error()
}

// Is makes errors.Is match ErrInvalidDocument.
func (e *DocumentError) Is(target error) bool { return target == ErrInvalidDocument }

// ValidateDocument checks a document number (证件号码) against the format of its
// type (SPEC §1) and returns its canonical form: surrounding spaces trimmed,
// letters upper case. It uses time.Now for the birth-date checks of resident
// IDs and residence permits; ValidateDocumentAt takes the clock explicitly.
//
// Formats:
//   - DocResidentID: as ParseResidentID (a 15-digit number becomes 18 characters).
//   - DocHKMacaoPermit: H or M followed by 8 or 10 digits.
//   - DocTaiwanPermit: 8 digits, or the older 10 letters or digits.
//   - DocHMTResidencePermit: 18 characters with prefix 810000 (Hong Kong),
//     820000 (Macao) or 830000 (Taiwan), a real birth date and the GB 11643
//     check character.
//   - DocPassport: 5 to 17 letters or digits.
//   - DocForeignPermanentResident: 3 letters and 12 digits (2017 card), or 18
//     characters starting with 9 (2023 card: 17 digits, then a digit or X; its
//     check character is not verified).
//
// Errors: ErrInvalidDocType for an undefined t; an *IDError (matching
// ErrInvalidID and ErrInvalidDocument) for resident IDs and residence permits;
// a *DocumentError (matching ErrInvalidDocument) otherwise.
func ValidateDocument(t DocType, number string) (canonical string, err error) {
	return ValidateDocumentAt(t, number, time.Now())
}

// ValidateDocumentAt is ValidateDocument with an explicit clock for the
// "birth date not in the future" check.
func ValidateDocumentAt(t DocType, number string, now time.Time) (canonical string, err error) {
	s := strings.TrimSpace(number)
	switch t {
	case DocResidentID, DocHMTResidencePermit:
		rule := regionMainland
		if t == DocHMTResidencePermit {
			rule = regionHMTPermit
		}
		id, err := parseGB11643(s, now, rule)
		if err != nil {
			return "", err
		}
		return id.String(), nil
	case DocHKMacaoPermit:
		u := strings.ToUpper(s)
		if (len(u) == 9 || len(u) == 11) && (u[0] == 'H' || u[0] == 'M') && isDigits(u[1:]) {
			return u, nil
		}
	case DocTaiwanPermit:
		if len(s) == 8 && isDigits(s) || len(s) == 10 && isAlnum(s) {
			return strings.ToUpper(s), nil
		}
	case DocPassport:
		if len(s) >= 5 && len(s) <= 17 && isAlnum(s) {
			return strings.ToUpper(s), nil
		}
	case DocForeignPermanentResident:
		u := strings.ToUpper(s)
		if len(u) == 15 && isLetters(u[:3]) && isDigits(u[3:]) {
			return u, nil
		}
		if len(u) == 18 && u[0] == '9' && isDigits(u[:17]) && (u[17] == 'X' || isDigits(u[17:])) {
			return u, nil
		}
	default:
		return "", ErrInvalidDocType
	}
	return "", &DocumentError{Type: t}
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			continue
		}
		if c |= 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
