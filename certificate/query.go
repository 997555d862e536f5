package certificate

import (
	"strings"

	"github.com/tqreg/tqreg/account"
	"unicode"
	"unicode/utf8"
)

// QueryNotice is the notice printed above both certificate queries (证书查询), manual §1.1.2.
const QueryNotice = "注意：本网站目前仅提供2008年起（广西壮族自治区从2012年起）使用教师资格管理信息系统认定的教师资格证书查询。" +
	"2008年以前的教师资格证书的查询请与颁发教师资格证书的认定机构联系。"

// NotFoundMessage is the answer when a query finds no certificate: older certificates are not
// in the system, so the applicant must contact the issuing authority (认定机构).
const NotFoundMessage = "未查询到教师资格证书。本网站仅能查询2008年起（广西壮族自治区2012年起）认定的教师资格证书；" +
	"2008年以前（广西壮族自治区2012年以前）的教师资格证书，请与颁发教师资格证书的认定机构联系。"

// UnsyncedReasons returns, in zh-CN and in the manual's order (§2.2, §3.1.2), why a
// certificate may not have synced to the applicant's account, for the page to show.
// The slice is fresh on every call.
func UnsyncedReasons() []string {
	return []string{
		"注册信息（身份证件号码、姓名）与教师资格证书上的信息不完全一致：请先检查“个人身份信息”中的姓名、证件号码；如证书信息有误，需联系认定机构变更证书持证人姓名或证件号码。",
		"证书号码不是15位或17位：请联系原发证机构进行证书号码规范后再进行定期注册。",
		"证书关联的是一代身份证号码（15位）：请先联系原发证机构将证书对应的身份证号码变更为二代身份证号码，然后再进行定期注册。",
		"需要变更证书信息且已进行过首次注册的：还需联系首次注册的注册机构变更首次注册信息。",
		"2008年以前（广西壮族自治区2012年以前）核发且未参加过首次注册的证书不会同步：请点击【添加教师资格证书信息】手动添加。",
	}
}

// Holder identifies a certificate holder: name plus identity document.
type Holder struct {
	Name      string
	DocType   account.DocType
	DocNumber string
}

// Matches reports whether c belongs to h: the document type is equal, the document number is
// equal in canonical form (account.ValidateDocument: trimmed, x → X, a 15-digit resident ID
// as its 18-character form), and the name is equal after removing spaces. All three must match.
func (h Holder) Matches(c Certificate) bool {
	if !h.DocType.Valid() || h.DocType != c.DocType {
		return false
	}
	if n := canonicalName(h.Name); n == "" || n != canonicalName(c.HolderName) {
		return false
	}
	d := canonicalDoc(h.DocType, h.DocNumber)
	return d != "" && d == canonicalDoc(c.DocType, c.DocNumber)
}

// Own is 本人查询 (own certificates, after login): the certificates of all that belong to the
// logged-in account's holder, in their original order, including hand-added ones.
func Own(all []Certificate, h Holder) []Certificate {
	var out []Certificate
	for _, c := range all {
		if h.Matches(c) {
			out = append(out, c)
		}
	}
	return out
}

// OtherQuery is 其他查询 (a query without an account): name, document and a phone number
// that the portal verifies with an SMS code before calling Other.
type OtherQuery struct {
	Name      string
	DocType   account.DocType
	DocNumber string
	Phone     string
}

// QueryField names a field of OtherQuery, as used in form field names.
type QueryField string

// The OtherQuery fields.
const (
	QueryFieldName      QueryField = "name"
	QueryFieldDocType   QueryField = "doc_type"
	QueryFieldDocNumber QueryField = "doc_number"
	QueryFieldPhone     QueryField = "phone"
)

// QueryProblem is one problem with an OtherQuery; the message is zh-CN.
type QueryProblem struct {
	Field   QueryField
	Message string
}

// Problems returns every problem with q at once (empty when q can be sent): all fields are
// required, the document number must fit its type (account.ValidateDocument), and the phone must be an 11-digit mainland mobile number (1[3-9]xxxxxxxxx).
func (q OtherQuery) Problems() []QueryProblem {
	var ps []QueryProblem
	if canonicalName(q.Name) == "" {
		ps = append(ps, QueryProblem{QueryFieldName, "请填写姓名"})
	} else if utf8.RuneCountInString(canonicalName(q.Name)) > 50 {
		ps = append(ps, QueryProblem{QueryFieldName, "姓名不能超过50个字"})
	}
	if !q.DocType.Valid() {
		ps = append(ps, QueryProblem{QueryFieldDocType, "请选择证件类型"})
	}
	if strings.TrimSpace(q.DocNumber) == "" {
		ps = append(ps, QueryProblem{QueryFieldDocNumber, "请填写证件号码"})
	} else if q.DocType.Valid() {
		if _, err := account.ValidateDocument(q.DocType, q.DocNumber); err != nil {
			ps = append(ps, QueryProblem{QueryFieldDocNumber, err.Error()})
		}
	}
	if p := strings.TrimSpace(q.Phone); p == "" {
		ps = append(ps, QueryProblem{QueryFieldPhone, "请填写手机号码"})
	} else if !ValidPhone(p) {
		ps = append(ps, QueryProblem{QueryFieldPhone, "手机号码应为11位数字，以1开头"})
	}
	return ps
}

// Other is 其他查询: the certificates of all that belong to q's holder. Hand-added
// certificates are left out: only what the national system holds is shown to the public.
// The caller must have verified q.Phone by SMS code and checked q.Problems first.
func Other(all []Certificate, q OtherQuery) []Certificate {
	h := Holder{Name: q.Name, DocType: q.DocType, DocNumber: q.DocNumber}
	var out []Certificate
	for _, c := range all {
		if !c.Manual && h.Matches(c) {
			out = append(out, c)
		}
	}
	return out
}

// ValidPhone reports whether s (trimmed) is an 11-digit mainland mobile number: "1", then
// 3–9, then nine digits.
func ValidPhone(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MaskDocument returns a document number for display with its middle hidden: 15 or more
// characters keep the first 6 and last 4 ("110105********0021"); 8–14 keep the first 3 and
// last 2; 5–7 keep the first and the last; shorter numbers are hidden entirely. At least a
// third of the characters is always hidden. Surrounding spaces are trimmed.
func MaskDocument(s string) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n >= 15:
		return mask(s, 6, 4)
	case n >= 8:
		return mask(s, 3, 2)
	case n >= 5:
		return mask(s, 1, 1)
	}
	return mask(s, 0, 0)
}

// MaskPhone returns an 11-digit phone number for display as "138****8000" (first 3, last 4
// kept); other lengths are masked like MaskDocument.
func MaskPhone(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) == 11 {
		return mask(s, 3, 4)
	}
	return MaskDocument(s)
}

func mask(s string, head, tail int) string {
	r := []rune(s)
	n := len(r)
	var b strings.Builder
	b.Grow(len(s))
	for i, c := range r {
		if i < head || i >= n-tail {
			b.WriteRune(c)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// canonicalDoc returns the canonical document number, or the trimmed upper-case text when
// the number does not validate (stored data is matched as it is).
func canonicalDoc(t account.DocType, s string) string {
	if c, err := account.ValidateDocument(t, s); err == nil {
		return c
	}
	return strings.ToUpper(strings.TrimSpace(s))
}

func canonicalName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
