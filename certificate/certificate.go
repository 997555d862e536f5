package certificate

import (
	"time"

	"github.com/tqreg/tqreg/account"
)

// Certificate is a 教师资格证书 record as the national system holds it (or as an applicant
// entered it by hand where ManualEntryAllowed permits).
// The holder's document is its type and its canonical number (account.ValidateDocument).
type Certificate struct {
	Number     Number
	HolderName string          // 持证人姓名
	DocType    account.DocType // 证件类型
	DocNumber  string          // 证件号码, canonical form
	Kind       Kind            // 资格种类; normally Number.Kind()
	Subject    string          // 任教学科, as printed on the certificate
	Authority  string          // 认定机构名称
	Issued     time.Time
	// FirstRegistered is set once the certificate has been through 首次注册; FirstRegisteredOn
	// is its date (zero when unknown).
	FirstRegistered   bool
	FirstRegisteredOn time.Time
	// Manual marks a certificate the applicant added by hand (not synced from the system).
	Manual bool
}

// Registrable reports whether the certificate can take part in periodic registration: its
// kind is 1–6.
func (c Certificate) Registrable() bool { return c.Kind.Registrable() }

// InSystem reports whether a certificate with number n was certified through the national
// information system (认定年度 2008 or later; Guangxi 2012 or later) and can therefore be found
// by the certificate queries. Older certificates: ask the issuing authority (NotFoundMessage).
func InSystem(n Number) bool {
	if n.IsZero() {
		return false
	}
	if n.isGuangxi() {
		return n.Year() >= 2012
	}
	return n.Year() >= 2008
}
