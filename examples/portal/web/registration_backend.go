package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
	"github.com/tqreg/tqreg/examples/portal/store"
	"github.com/tqreg/tqreg/form"
	"github.com/tqreg/tqreg/registration"
	"github.com/tqreg/tqreg/registration/registrationtest"
)

// RegistrationBackend is what the 定期注册 pages (platform, wizard, my applications) need from
// the database beyond registration.Store. The portal's store implements it; when the configured
// store does not (yet), the server falls back to a MemoryRegistration with a small demo
// catalogue and says so in the log.
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

// maxPhotoBytes is the largest photo kept.
const maxPhotoBytes = 200 << 10

// PhotoKey is the content-addressed key of photo bytes: the hex SHA-256.
func PhotoKey(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// registrationPages holds the 定期注册 pages' dependencies for one Server.
type registrationPages struct {
	s       *Server
	b       atomic.Pointer[backendBox]
	reports photoReports // photo checks by (account, content key)
}

type backendBox struct{ RegistrationBackend }

var registrationPagesOf sync.Map // *Server → *registrationPages

func (p *registrationPages) backend() RegistrationBackend { return p.b.Load().RegistrationBackend }

// SetRegistrationBackend replaces the backend of the 定期注册 pages (tests, or a store kept
// elsewhere). It is safe to call while the server serves.
func (s *Server) SetRegistrationBackend(b RegistrationBackend) {
	if v, ok := registrationPagesOf.Load(s); ok {
		v.(*registrationPages).b.Store(&backendBox{b})
		v.(*registrationPages).reports.reset()
	}
}

func newRegistrationPages(s *Server) *registrationPages {
	p := &registrationPages{s: s}
	var b RegistrationBackend = &storeRegistration{st: s.cfg.Store, now: s.now}
	if rb, ok := any(s.cfg.Store).(RegistrationBackend); ok {
		b = rb
	}
	p.b.Store(&backendBox{b})
	registrationPagesOf.Store(s, p)
	return p
}

// MemoryRegistration is an in-memory RegistrationBackend (tests and a portal without the
// registration tables). Safe for concurrent use.
type MemoryRegistration struct {
	registrationtest.Memory

	mu       sync.Mutex
	cat      *registration.Catalogue
	certs    map[int64][]certificate.Certificate
	mandarin map[int64][]form.MandarinCertificate
	numbers  map[string][]string // account id → application numbers
	drafts   map[int64][]byte
	photos   map[string]memPhoto
	schools  []School
}

type memPhoto struct {
	owner int64
	data  []byte
}

// NewMemoryRegistration returns an empty backend over the catalogue, with a few schools.
func NewMemoryRegistration(cat *registration.Catalogue) *MemoryRegistration {
	return &MemoryRegistration{
		cat: cat, certs: map[int64][]certificate.Certificate{}, mandarin: map[int64][]form.MandarinCertificate{},
		numbers: map[string][]string{}, drafts: map[int64][]byte{}, photos: map[string]memPhoto{},
		schools: []School{
			{"北京师范大学", form.SchoolTypeRegularHigher}, {"华南师范大学", form.SchoolTypeRegularHigher},
			{"华东师范大学", form.SchoolTypeRegularHigher}, {"广州大学", form.SchoolTypeRegularHigher},
			{"广西师范大学", form.SchoolTypeRegularHigher}, {"南宁师范大学", form.SchoolTypeRegularHigher},
		},
	}
}

// AddCertificate syncs a certificate to the account.
func (m *MemoryRegistration) AddCertificate(accountID int64, c certificate.Certificate) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.certs[accountID] = append(m.certs[accountID], c)
}

// AddMandarinCertificate records a 普通话证书 of the account.
func (m *MemoryRegistration) AddMandarinCertificate(accountID int64, c form.MandarinCertificate) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mandarin[accountID] = append(m.mandarin[accountID], c)
}

// Catalogue implements RegistrationBackend.
func (m *MemoryRegistration) Catalogue(context.Context) (*registration.Catalogue, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cat, nil
}

// editCatalogue changes the catalogue (the administrator's pages): edit gets a copy, which
// replaces the catalogue only when edit returns nil and the copy passes Catalogue.Validate.
// Catalogues handed out earlier are never changed.
func (m *MemoryRegistration) editCatalogue(edit func(*registration.Catalogue) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	cp := &registration.Catalogue{
		Provinces: slices.Clone(m.cat.Provinces), Cities: slices.Clone(m.cat.Cities), Authorities: slices.Clone(m.cat.Authorities),
		Points: slices.Clone(m.cat.Points), Windows: slices.Clone(m.cat.Windows),
	}
	if err := edit(cp); err != nil {
		return err
	}
	if err := cp.Validate(); err != nil {
		return err
	}
	m.cat = cp
	return nil
}

// AccountCertificates implements RegistrationBackend.
func (m *MemoryRegistration) AccountCertificates(_ context.Context, a account.Account) ([]certificate.Certificate, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.certs[a.ID]), nil
}

// AccountMandarinCertificates implements RegistrationBackend.
func (m *MemoryRegistration) AccountMandarinCertificates(_ context.Context, a account.Account) ([]form.MandarinCertificate, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.mandarin[a.ID]), nil
}

// CreateApplication implements registration.Store and remembers the manually added certificate.
func (m *MemoryRegistration) CreateApplication(ctx context.Context, a *registration.Application) error {
	if err := m.Memory.CreateApplication(ctx, a); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.numbers[a.AccountID] = append(m.numbers[a.AccountID], a.Number)
	if a.ManualCertificate != nil {
		id, _ := strconv.ParseInt(a.AccountID, 10, 64)
		if !slices.ContainsFunc(m.certs[id], func(c certificate.Certificate) bool { return c.Number == a.Certificate }) {
			m.certs[id] = append(m.certs[id], *a.ManualCertificate)
		}
	}
	return nil
}

// ApplicationsOf implements RegistrationBackend.
func (m *MemoryRegistration) ApplicationsOf(ctx context.Context, id int64) ([]*registration.Application, error) {
	m.mu.Lock()
	nums := slices.Clone(m.numbers[strconv.FormatInt(id, 10)])
	m.mu.Unlock()
	out := make([]*registration.Application, 0, len(nums))
	for i := len(nums) - 1; i >= 0; i-- {
		a, err := m.Memory.Application(ctx, nums[i])
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// WizardDraft implements RegistrationBackend.
func (m *MemoryRegistration) WizardDraft(_ context.Context, id int64) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.drafts[id]), nil
}

// SaveWizardDraft implements RegistrationBackend.
func (m *MemoryRegistration) SaveWizardDraft(_ context.Context, id int64, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.drafts[id] = slices.Clone(data)
	return nil
}

// DeleteWizardDraft implements RegistrationBackend.
func (m *MemoryRegistration) DeleteWizardDraft(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.drafts, id)
	return nil
}

// SavePhoto implements RegistrationBackend. The key is per owner, so two accounts uploading the
// same bytes never share a record.
func (m *MemoryRegistration) SavePhoto(_ context.Context, id int64, data []byte) (string, error) {
	if len(data) == 0 || len(data) > maxPhotoBytes {
		return "", ErrPhotoTooLarge
	}
	key := PhotoKey(data)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.photos[strconv.FormatInt(id, 10)+"/"+key] = memPhoto{owner: id, data: slices.Clone(data)}
	return key, nil
}

// Photo implements RegistrationBackend.
func (m *MemoryRegistration) Photo(_ context.Context, id int64, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.photos[strconv.FormatInt(id, 10)+"/"+key]
	if !ok || p.owner != id {
		return nil, registration.ErrNotFound
	}
	return slices.Clone(p.data), nil
}

// SearchSchools implements RegistrationBackend.
func (m *MemoryRegistration) SearchSchools(_ context.Context, q string, limit int) ([]School, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []School
	for _, s := range m.schools {
		if len(out) >= limit {
			break
		}
		if q == "" || strings.Contains(s.Name, q) {
			out = append(out, s)
		}
	}
	return out, nil
}

// AddSchool implements RegistrationBackend.
func (m *MemoryRegistration) AddSchool(_ context.Context, _ int64, s form.NewSchool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !slices.ContainsFunc(m.schools, func(x School) bool { return x.Name == s.Name }) {
		m.schools = append(m.schools, School{Name: s.Name, Type: s.Type})
	}
	return nil
}

// DemoCatalogue is a small catalogue with windows open around now (for a portal whose store has
// no catalogue yet): Guangdong (Guangzhou, Shenzhen) and Guangxi (Nanning), with one window not
// yet open and one closed, so every message of the window query can be seen.
func DemoCatalogue(now time.Time) *registration.Catalogue {
	day := 24 * time.Hour
	start := now.Add(-10 * day).Truncate(time.Hour)
	end := now.Add(30 * day).Truncate(time.Hour)
	all := registration.Stages
	kinds := certificate.Kinds()
	c := &registration.Catalogue{
		Provinces: []registration.Province{{Code: "44", Name: "广东省"}, {Code: "45", Name: "广西壮族自治区"}, {Code: "11", Name: "北京市"}},
		Cities: []registration.City{
			{Code: "440100", Name: "广州市", Province: "44"}, {Code: "440300", Name: "深圳市", Province: "44"},
			{Code: "450100", Name: "南宁市", Province: "45"}, {Code: "110100", Name: "北京市", Province: "11"},
		},
		Authorities: []registration.Authority{
			{ID: "gz-edu", Name: "广州市教育局", Province: "44", City: "440100", Stages: all, Kinds: kinds},
			{ID: "gz-th", Name: "广州市天河区教育局", Province: "44", City: "440100", Stages: []registration.Stage{registration.StageKindergarten, registration.StagePrimary, registration.StageJuniorMiddle}, Kinds: kinds},
			{ID: "sz-edu", Name: "深圳市教育局", Province: "44", City: "440300", Stages: all, Kinds: kinds},
			{ID: "nn-edu", Name: "南宁市教育局", Province: "45", City: "450100", Stages: all, Kinds: kinds},
		},
		Points: []registration.ConfirmationPoint{
			{ID: "p-gz-edu-1", AuthorityID: "gz-edu", Name: "广州市教师发展中心确认点", ScopeText: "广州市直属中小学及中等职业学校教师", Address: "广州市越秀区", Notes: "请携带身份证原件、教师资格证书原件及申请表。"},
			{ID: "p-gz-th-1", AuthorityID: "gz-th", Name: "天河区教师发展中心确认点", ScopeText: "天河区公办中小学、幼儿园教师", Scope: registration.Scope{Districts: []string{"440106"}}, Address: "广州市天河区"},
			{ID: "p-gz-th-2", AuthorityID: "gz-th", Name: "天河区民办学校确认点", ScopeText: "天河区民办中小学、幼儿园教师", Address: "广州市天河区"},
			{ID: "p-sz-edu-1", AuthorityID: "sz-edu", Name: "深圳市教育局确认点", ScopeText: "深圳市中小学、幼儿园教师", Address: "深圳市福田区"},
			{ID: "p-nn-edu-1", AuthorityID: "nn-edu", Name: "南宁市教育局确认点", ScopeText: "南宁市中小学、幼儿园教师", Address: "南宁市青秀区"},
		},
	}
	for _, a := range c.Authorities {
		for _, s := range a.Stages {
			w := registration.Window{ID: a.ID + "-" + strconv.Itoa(int(s)), AuthorityID: a.ID, Province: a.Province, City: a.City, Stage: s, Opens: start, Closes: end}
			switch a.ID {
			case "sz-edu":
				w.Opens, w.Closes = now.Add(20*day).Truncate(time.Hour), now.Add(50*day).Truncate(time.Hour)
			case "nn-edu":
				w.Opens, w.Closes = now.Add(-60*day).Truncate(time.Hour), now.Add(-20*day).Truncate(time.Hour)
			}
			c.Windows = append(c.Windows, w)
		}
	}
	return c
}

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
