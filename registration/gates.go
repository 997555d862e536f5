package registration

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
)

// ReregisterAfterMonths is how long after a 注册合格 a certificate need not register again
// (the national system's check: 5年内无需再注册, tested as 54 months).
const ReregisterAfterMonths = 54

// Submission gate errors (the national system's checks at submission). Match with errors.Is; the
// returned message may carry dates or names.
var (
	ErrKindNotRegistrable  = &Error{Code: "kind_not_registrable", Message: "该资格种类的教师资格证书不参加中小学教师资格定期注册"}
	ErrUnknownAuthority    = &Error{Code: "unknown_authority", Message: "请选择注册机构"}
	ErrAuthorityNotAllowed = &Error{Code: "authority_not_allowed", Message: "所选注册机构无权注册该资格种类或任教学段的教师资格证书"}
	ErrUnknownPoint        = &Error{Code: "unknown_point", Message: "请选择确认点"}
	ErrPointNotOfAuthority = &Error{Code: "point_not_of_authority", Message: "所选确认点不属于所选注册机构"}
	ErrPointOutOfScope     = &Error{Code: "point_out_of_scope", Message: "您的情况不在所选确认点的确认范围内，请选择其他确认点"}
	ErrActiveApplication   = &Error{Code: "active_application", Message: "该教师资格证书已有正在办理的定期注册报名，不能重复报名"}
	ErrRecentlyQualified   = &Error{Code: "recently_qualified", Message: "该教师资格证书5年内无需再注册"}
	ErrRestricted          = &Error{Code: "restricted", Message: "您在限制期内，不能申请定期注册"}
)

// Applicant is who applies: the account and its identity document (for the 限制库).
type Applicant struct {
	AccountID string
	DocType   account.DocType
	// DocNumber is the canonical document number (account.ValidateDocument).
	DocNumber string
	Name      string
	// Birth is the birth date from the document, used by the form's date rules.
	Birth time.Time
}

// Choice is what an application is made for and where: the certificate, the applicant's current
// teaching situation, the authority and the confirmation point.
type Choice struct {
	Certificate certificate.Number
	Kind        certificate.Kind
	Stage       Stage
	Subject     string // 任教学科
	District    string // 任教学校所在地 (GB/T 2260 code)
	AuthorityID string
	PointID     string
}

// Situation returns the facts a confirmation point's scope is checked against.
func (c Choice) Situation() Situation {
	return Situation{Kind: c.Kind, Stage: c.Stage, Subject: c.Subject, District: c.District}
}

// CheckChoice runs the gates that need only the catalogue, in this order: the certificate kind is
// registrable; the authority exists and may register the kind for the stage; it has a window for
// the stage open at now (ErrNotOpenYet, ErrClosed or ErrNoPlan otherwise); the confirmation point
// exists, belongs to the authority and its scope admits the choice. It returns the open window.
func CheckChoice(cat *Catalogue, c Choice, now time.Time) (Window, error) {
	if !c.Kind.Registrable() {
		return Window{}, ErrKindNotRegistrable.with(fmt.Sprintf("%s教师资格证书不参加中小学教师资格定期注册", c.Kind))
	}
	a, ok := cat.Authority(c.AuthorityID)
	if !ok {
		return Window{}, ErrUnknownAuthority
	}
	if !a.Registers(c.Kind, c.Stage) {
		return Window{}, ErrAuthorityNotAllowed.with(fmt.Sprintf("%s无权注册任教学段为%s的%s教师资格证书", a.Name, c.Stage, c.Kind))
	}
	w, err := cat.WindowFor(a.ID, c.Stage, now)
	if err != nil {
		return Window{}, err
	}
	p, ok := cat.Point(c.PointID)
	switch {
	case !ok:
		return Window{}, ErrUnknownPoint
	case p.AuthorityID != a.ID:
		return Window{}, ErrPointNotOfAuthority
	case !p.Scope.Fits(c.Situation()):
		return Window{}, ErrPointOutOfScope.with(fmt.Sprintf("您的情况不在确认点“%s”的确认范围（%s）内，请选择其他确认点", p.Name, p.ScopeText))
	}
	return w, nil
}

// CheckEligibility runs the gates that need the store, in this order: no active application of
// the account for the certificate (ErrActiveApplication); the certificate not concluded 注册合格
// within the last 54 months (ErrRecentlyQualified; at exactly 54 months it may register); no
// active restriction against the applicant (ErrRestricted). Store errors are returned wrapped.
func CheckEligibility(ctx context.Context, st Store, who Applicant, cert certificate.Number, now time.Time) error {
	_, err := st.ActiveApplication(ctx, who.AccountID, cert)
	switch {
	case err == nil:
		return ErrActiveApplication
	case !errors.Is(err, ErrNotFound):
		return fmt.Errorf("registration: active application: %w", err)
	}
	last, err := st.LastQualified(ctx, cert)
	if err != nil {
		return fmt.Errorf("registration: last qualified: %w", err)
	}
	if !last.IsZero() {
		if next := last.AddDate(0, ReregisterAfterMonths, 0); now.Before(next) {
			return ErrRecentlyQualified.with(fmt.Sprintf("该教师资格证书于%s注册合格，5年内无需再注册（%s后可再次申请）",
				last.In(CST).Format("2006-01-02"), next.In(CST).Format("2006-01-02")))
		}
	}
	rs, err := st.Restrictions(ctx, who.DocType, who.DocNumber)
	if err != nil {
		return fmt.Errorf("registration: restrictions: %w", err)
	}
	for _, r := range rs {
		if !r.Active(now) {
			continue
		}
		if until, ok := r.Until(); ok {
			return ErrRestricted.with(fmt.Sprintf("您因%s在限制期内，%s前不能申请定期注册", r.Kind, until.In(CST).Format("2006-01-02")))
		}
		return ErrRestricted.with(fmt.Sprintf("您因%s，不能申请定期注册", r.Kind))
	}
	return nil
}
