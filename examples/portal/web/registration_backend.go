package web

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/registration"
)

// RegistrationBackend is what the 定期注册 pages (platform, wizard, my applications) and the
// reviewer console need from the database beyond registration.Store. Its one implementation is
// the adapter over the portal's store (registration_store.go), built by New from Config.Store.
type RegistrationBackend interface {
	registration.Store

	// Catalogue returns the provinces, cities, authorities, confirmation points and windows.
	Catalogue(ctx context.Context) (*registration.Catalogue, error)
	// AccountCertificates returns the teacher qualification certificates synced to the account
	// (本人的教师资格证书), including those the applicant added by hand.
	AccountCertificates(ctx context.Context, a account.Account) ([]certificate.Certificate, error)
	// AccountMandarinCertificates returns the account's 普通话证书 (information centre); none
	// means the form lets the applicant type the number and level.
	AccountMandarinCertificates(ctx context.Context, a account.Account) ([]form.MandarinCertificate, error)
	// ApplicationsOf returns the account's applications, newest first.
	ApplicationsOf(ctx context.Context, accountID int64) ([]*registration.Application, error)
	// Application returns the application with the number (registration.ErrNotFound if none).
	Application(ctx context.Context, number string) (*registration.Application, error)

	// WizardDraft returns the account's saved wizard state; nil data (and no error) when none.
	WizardDraft(ctx context.Context, accountID int64) ([]byte, error)
	// SaveWizardDraft inserts or replaces the account's wizard state.
	SaveWizardDraft(ctx context.Context, accountID int64, data []byte) error
	// DeleteWizardDraft removes it; deleting a missing draft is not an error.
	DeleteWizardDraft(ctx context.Context, accountID int64) error

	// SavePhoto keeps photo bytes for the account under their content hash and returns the key.
	SavePhoto(ctx context.Context, accountID int64, data []byte) (string, error)
	// Photo returns the bytes of the account's photo with key; registration.ErrNotFound when
	// there is no such photo or it belongs to another account.
	Photo(ctx context.Context, accountID int64, key string) ([]byte, error)

	// SearchSchools returns up to limit graduation schools (毕业学校) whose name contains q.
	SearchSchools(ctx context.Context, q string, limit int) ([]School, error)
	// AddSchool records a school an applicant added (新增学校).
	AddSchool(ctx context.Context, accountID int64, s form.NewSchool) error
}

// School is a graduation school (毕业学校) of the school search.
type School struct {
	Name string
	Type form.SchoolType
}

// ErrPhotoTooLarge is returned by SavePhoto for empty data or data over 200 KB (the photo spec's
// bound; a larger upload cannot be kept, not even for 自动调整).
var ErrPhotoTooLarge = errors.New("照片文件应大于0KB并小于200KB,请压缩后重新上传")

// registrationPages holds the 定期注册 pages' dependencies for one Server.
type registrationPages struct {
	s       *Server
	reports photoReports // photo checks by (account, content key)
}

// backend is the store adapter the pages and the reviewer console share (Server.registration).
func (p *registrationPages) backend() RegistrationBackend { return p.s.registration }

func newRegistrationPages(s *Server) *registrationPages { return &registrationPages{s: s} }

// applicantOf is the registration view of the logged-in account.
func applicantOf(a Applicant) registration.Applicant {
	ra := registration.Applicant{
		AccountID: strconv.FormatInt(a.ID, 10), DocType: a.Account.DocType,
		DocNumber: a.Account.DocNumber, Name: a.Account.Name,
	}
	// 居民身份证 and 港澳台居民居住证 carry the birth date the form's age rules need.
	if birth, _, ok := account.BirthOf(a.Account.DocType, a.Account.DocNumber, time.Now()); ok {
		ra.Birth = birth
	}
	return ra
}

// formApplicant is the identity printed on the application form.
func formApplicant(a account.Account) form.Applicant {
	fa := form.Applicant{Name: a.Name, DocType: a.DocType, DocNumber: a.DocNumber}
	if birth, male, ok := account.BirthOf(a.DocType, a.DocNumber, time.Now()); ok {
		fa.Birth = form.DateOf(birth)
		fa.Gender = form.GenderFemale
		if male {
			fa.Gender = form.GenderMale
		}
	}
	return fa
}

// isNotFound reports a missing record of either the registration package or the store.
func isNotFound(err error) bool {
	return errors.Is(err, registration.ErrNotFound) || errors.Is(err, errNotFound) || errors.Is(err, store.ErrNotFound)
}
