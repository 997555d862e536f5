package registration

import (
	"context"
	"errors"
	"time"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/certificate"
)

// Store errors. A Store returns these (wrapped or not) so that callers can use errors.Is.
var (
	// ErrNotFound: no such application.
	ErrNotFound = &Error{Code: "not_found", Message: "未找到报名信息"}
	// ErrConflict: the application changed since it was read (optimistic locking); reload and retry.
	ErrConflict = &Error{Code: "conflict", Message: "报名信息已被他人修改，请刷新后重试"}
	// ErrDuplicate: an application with this number already exists.
	ErrDuplicate = &Error{Code: "duplicate", Message: "报名号重复，请重新提交"}
)

// Store persists what this package decides. The portal implements it over bun; tests may use an
// in-memory implementation. Every method is safe for concurrent use.
type Store interface {
	// Sequence gives the sequence part of application numbers (see SequenceNumbers).
	Sequence

	// ActiveApplication returns the application of accountID for certificate cert whose status is
	// Active (网报待确认 or 已确认), or ErrNotFound when there is none.
	ActiveApplication(ctx context.Context, accountID string, cert certificate.Number) (*Application, error)

	// LastQualified returns when certificate cert was last concluded 注册合格 (by any account, in
	// this system or in imported history); the zero time when never.
	LastQualified(ctx context.Context, cert certificate.Number) (time.Time, error)

	// Restrictions returns the 限制库 entries recorded against the person with this document
	// (account.DocType and the canonical number from account.ValidateDocument): expired ones
	// too (Restriction.Until decides), but not those lifted by staff (解除限制), which a store
	// that can lift entries leaves out.
	Restrictions(ctx context.Context, docType account.DocType, docNumber string) ([]Restriction, error)

	// CreateApplication inserts a new application with its events and messages and sets
	// a.Version to 1. It returns ErrActiveApplication when the account already has an active
	// application for the certificate (the store enforces this with a unique constraint, so two
	// concurrent submissions cannot both succeed) and ErrDuplicate when the number exists.
	CreateApplication(ctx context.Context, a *Application) error

	// SaveApplication writes a back provided the stored version still equals a.Version, and then
	// increments both the stored version and a.Version. It appends the events beyond those already
	// stored, stores new messages and read marks, the status and every edited field. It returns
	// ErrConflict when the stored version differs (someone else saved first; nothing is written)
	// and ErrNotFound when there is no application with a.Number.
	SaveApplication(ctx context.Context, a *Application) error
}

// NumberingStore is a Store that can draw an application's number from its own Sequence as
// part of creating the application (a database: in the inserting statement, one round trip
// instead of two). Submit uses it when it is given no NumberGenerator.
type NumberingStore interface {
	Store
	// CreateNumbered sets a.Number to the number SequenceNumbers{Seq: the store} would issue
	// for a.SubmittedAt and province (two-digit code) and creates a as CreateApplication does,
	// with the same errors. After an error a.Number means nothing.
	CreateNumbered(ctx context.Context, a *Application, province string) error
}

// Submit stores a new application (提交报名): it numbers a with gen for the year of
// a.SubmittedAt and the authority's province (two-digit code), then calls
// st.CreateApplication. Without gen the store's own sequence numbers it: in one step through
// st.CreateNumbered when st is a NumberingStore, else with SequenceNumbers{Seq: st}. A number
// that is already stored (issued by another process) is replaced by the next one, three tries
// in all. The wizard creates its application through it at step 6, and the portal's store
// benchmark measures it, so both take the same path.
func Submit(ctx context.Context, st Store, gen NumberGenerator, a *Application, province string) error {
	ns, numbering := st.(NumberingStore)
	if gen == nil && !numbering {
		gen = SequenceNumbers{Seq: st}
	}
	var err error
	for range 3 {
		if gen == nil {
			err = ns.CreateNumbered(ctx, a, province)
		} else {
			if a.Number, err = gen.NewNumber(ctx, a.SubmittedAt, province); err != nil {
				return err
			}
			err = st.CreateApplication(ctx, a)
		}
		if !errors.Is(err, ErrDuplicate) {
			return err
		}
	}
	return err
}
