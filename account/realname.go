package account

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// RealNameVerifier performs 实名核验 (real-name verification): it asks an
// authority whether the name belongs to the document. Verify returns nil,
// ErrRealNameFailed (the authority said no; show its message, keep the old
// data, let the applicant go on), or another error when the service could not
// answer.
type RealNameVerifier interface {
	Verify(ctx context.Context, t DocType, number, name string) error
}

// DevRealNameFailMarker makes DevRealNameVerifier refuse a name containing it.
const DevRealNameFailMarker = "测试失败"

// DevRealNameVerifier is the development stand-in for the real-name service:
// it accepts any name with a valid resident ID (checksum and all) or a
// well-formed other document, and refuses names containing
// DevRealNameFailMarker (e.g. "张三测试失败"), so the portal can show the
// 实名审核失败 path. It never calls out.
type DevRealNameVerifier struct {
	Now func() time.Time // for the birth-date check of resident IDs; nil means time.Now
}

// Verify implements RealNameVerifier.
func (v DevRealNameVerifier) Verify(ctx context.Context, t DocType, number, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	if _, err := ValidateDocumentAt(t, number, now); err != nil {
		return ErrRealNameFailed
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 64 || !utf8.ValidString(name) ||
		strings.Contains(name, DevRealNameFailMarker) {
		return ErrRealNameFailed
	}
	return nil
}

// CanEditIdentity decides whether the identity data (个人身份信息: name,
// document) may be edited. certificateInUse is true while one of the
// applicant's certificates is used by a registration or a registration has
// passed on-site confirmation (现场确认); then the edit is refused with
// ErrIdentityLocked, whose message sends the applicant to the authority
// (manual §2.1).
func CanEditIdentity(certificateInUse bool) error {
	if certificateInUse {
		return ErrIdentityLocked
	}
	return nil
}

// ChangeName applies a name change (修改姓名) the manual's way: refused while
// the identity is locked (see CanEditIdentity), then real-name verified with
// the new name; only when verification passes is the returned account changed
// (Name set, RealNameVerified true). On ErrRealNameFailed the account comes
// back unchanged and the applicant can still do business. The caller stores
// the result.
func ChangeName(ctx context.Context, v RealNameVerifier, a Account, newName string, certificateInUse bool) (Account, error) {
	if err := CanEditIdentity(certificateInUse); err != nil {
		return a, err
	}
	newName = strings.TrimSpace(newName)
	if err := v.Verify(ctx, a.DocType, a.DocNumber, newName); err != nil {
		return a, err
	}
	a.Name = newName
	a.RealNameVerified = true
	return a, nil
}
