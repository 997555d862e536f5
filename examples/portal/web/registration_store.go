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

// storeRegistration is the RegistrationBackend over the portal's store (bun over SQLite or
// Postgres): it translates the pages' account-centred calls into the store's methods.
type storeRegistration struct {
	st  *store.Store
	now func() time.Time
}

var (
	_ RegistrationBackend         = (*storeRegistration)(nil)
	_ registration.NumberingStore = (*storeRegistration)(nil)
)

// NextSequence implements registration.Sequence.
func (b *storeRegistration) NextSequence(ctx context.Context, year int, province string) (int64, error) {
	return b.st.NextSequence(ctx, year, province)
}

// ActiveApplication implements registration.Store.
func (b *storeRegistration) ActiveApplication(ctx context.Context, accountID string, cert certificate.Number) (*registration.Application, error) {
	return b.st.ActiveApplication(ctx, accountID, cert)
}

// LastQualified implements registration.Store.
func (b *storeRegistration) LastQualified(ctx context.Context, cert certificate.Number) (time.Time, error) {
	return b.st.LastQualified(ctx, cert)
}

// Restrictions implements registration.Store.
func (b *storeRegistration) Restrictions(ctx context.Context, t account.DocType, number string) ([]registration.Restriction, error) {
	return b.st.Restrictions(ctx, t, number)
}

// CreateApplication implements registration.Store; the store keeps a hand-added certificate
// with the account's certificates in the same transaction.
func (b *storeRegistration) CreateApplication(ctx context.Context, a *registration.Application) error {
	return b.st.CreateApplication(ctx, a)
}

// CreateNumbered implements registration.NumberingStore: the store draws the number inside
// the inserting statement (registration.Submit uses it).
func (b *storeRegistration) CreateNumbered(ctx context.Context, a *registration.Application, province string) error {
	return b.st.CreateNumbered(ctx, a, province)
}

// SaveApplication implements registration.Store.
func (b *storeRegistration) SaveApplication(ctx context.Context, a *registration.Application) error {
	return b.st.SaveApplication(ctx, a)
}

// Catalogue implements RegistrationBackend.
func (b *storeRegistration) Catalogue(ctx context.Context) (*registration.Catalogue, error) {
	return b.st.Catalogue(ctx)
}

// AccountCertificates implements RegistrationBackend: the certificates held under the account's
// document and name.
func (b *storeRegistration) AccountCertificates(ctx context.Context, a account.Account) ([]certificate.Certificate, error) {
	all, err := b.st.CertificatesOf(ctx, a.DocType, a.DocNumber, a.Name)
	if err != nil {
		return nil, err
	}
	return certificate.Own(all, certificate.Holder{Name: a.Name, DocType: a.DocType, DocNumber: a.DocNumber}), nil
}

// AccountMandarinCertificates implements RegistrationBackend from the information centre.
func (b *storeRegistration) AccountMandarinCertificates(ctx context.Context, a account.Account) ([]form.MandarinCertificate, error) {
	return b.st.MandarinCertificatesOf(ctx, store.Holder{DocNumber: a.DocNumber, Name: a.Name})
}

// ApplicationsOf implements RegistrationBackend.
func (b *storeRegistration) ApplicationsOf(ctx context.Context, accountID int64) ([]*registration.Application, error) {
	return b.st.ApplicationsOf(ctx, strconv.FormatInt(accountID, 10))
}

// Application implements RegistrationBackend.
func (b *storeRegistration) Application(ctx context.Context, number string) (*registration.Application, error) {
	return b.st.Application(ctx, number)
}

// WizardDraft implements RegistrationBackend.
func (b *storeRegistration) WizardDraft(ctx context.Context, accountID int64) ([]byte, error) {
	state, _, err := b.st.Draft(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []byte(state), nil
}

// SaveWizardDraft implements RegistrationBackend.
func (b *storeRegistration) SaveWizardDraft(ctx context.Context, accountID int64, data []byte) error {
	return b.st.SaveDraft(ctx, accountID, string(data), b.now())
}

// DeleteWizardDraft implements RegistrationBackend.
func (b *storeRegistration) DeleteWizardDraft(ctx context.Context, accountID int64) error {
	return b.st.DeleteDraft(ctx, accountID)
}

// SavePhoto implements RegistrationBackend.
func (b *storeRegistration) SavePhoto(ctx context.Context, accountID int64, data []byte) (string, error) {
	key, err := b.st.SavePhoto(ctx, accountID, data, b.now())
	if errors.Is(err, store.ErrPhotoTooLarge) {
		return "", ErrPhotoTooLarge
	}
	return key, err
}

// Photo implements RegistrationBackend: only the account's own photos.
func (b *storeRegistration) Photo(ctx context.Context, accountID int64, key string) ([]byte, error) {
	return b.st.PhotoOf(ctx, accountID, key)
}

// SearchSchools implements RegistrationBackend.
func (b *storeRegistration) SearchSchools(ctx context.Context, q string, limit int) ([]School, error) {
	rows, err := b.st.SearchSchools(ctx, q, limit)
	if err != nil {
		return nil, err
	}
	out := make([]School, len(rows))
	for i, r := range rows {
		out[i] = School{Name: r.Name, Type: r.Type}
	}
	return out, nil
}

// AddSchool implements RegistrationBackend.
func (b *storeRegistration) AddSchool(ctx context.Context, accountID int64, s form.NewSchool) error {
	_, err := b.st.AddSchool(ctx, store.School{Name: s.Name, Type: s.Type, AddedBy: accountID})
	return err
}
