package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/tqreg/tqreg/account"
)

// The store keeps the account package's storage.
var (
	_ account.Store           = (*Store)(nil)
	_ account.ResetTokenStore = (*Store)(nil)
	_ account.CodeStore       = (*Store)(nil)
	_ account.CaptchaStore    = (*CaptchaStore)(nil)
)

type accountRow struct {
	bun.BaseModel `bun:"table:accounts"`

	ID                int64     `bun:"id,pk,autoincrement"`
	DocType           int16     `bun:"doc_type,notnull"`
	DocNumber         string    `bun:"doc_number,notnull"`
	Name              string    `bun:"name,notnull"`
	Phone             string    `bun:"phone,notnull"`
	Email             string    `bun:"email,notnull"`
	RegisteredAt      time.Time `bun:"registered_at,notnull"`
	WeChatLinked      bool      `bun:"wechat_linked,notnull"`
	RealNameVerified  bool      `bun:"real_name_verified,notnull"`
	PasswordHash      string    `bun:"password_hash,notnull"`
	PasswordChangedAt time.Time `bun:"password_changed_at,notnull"`
	Version           int64     `bun:"version,notnull"`
}

func toAccountRow(a account.Account) accountRow {
	return accountRow{
		ID: a.ID, DocType: int16(a.DocType), DocNumber: a.DocNumber, Name: a.Name,
		Phone: a.Phone, Email: a.Email, RegisteredAt: ts(a.RegisteredAt),
		WeChatLinked: a.WeChatLinked, RealNameVerified: a.RealNameVerified,
		PasswordHash: a.PasswordHash, PasswordChangedAt: ts(a.PasswordChangedAt), Version: 1,
	}
}

func (r accountRow) domain() account.Account {
	return account.Account{
		ID: r.ID, DocType: account.DocType(r.DocType), DocNumber: r.DocNumber, Name: r.Name,
		Phone: r.Phone, Email: r.Email, RegisteredAt: r.RegisteredAt.UTC(),
		WeChatLinked: r.WeChatLinked, RealNameVerified: r.RealNameVerified,
		PasswordHash: r.PasswordHash, PasswordChangedAt: r.PasswordChangedAt.UTC(),
	}
}

// ts normalises a time for storage: UTC, microsecond precision (what Postgres keeps), so
// a value read back equals the value written on both backends.
func ts(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

// CreateAccount registers a (申请人账号) and returns it with its new ID; a.ID is ignored.
// ErrDuplicate when an account with the same document type and number exists.
func (s *Store) CreateAccount(ctx context.Context, a account.Account) (account.Account, error) {
	row := toAccountRow(a)
	row.ID = 0
	if _, err := s.idb.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
		return account.Account{}, s.wrap("create account", err)
	}
	return row.domain(), nil
}

// AccountByDocument returns the account registered with the document (canonical number);
// ErrNotFound (also account.ErrNotFound) when there is none. Implements account.Store.
func (s *Store) AccountByDocument(ctx context.Context, t account.DocType, number string) (account.Account, error) {
	var row accountRow
	err := s.idb.NewSelect().Model(&row).
		Where("doc_type = ?", int16(t)).Where("doc_number = ?", number).Scan(ctx)
	if err != nil {
		return account.Account{}, s.wrap("account by document", err)
	}
	return row.domain(), nil
}

// AccountByID returns the account; ErrNotFound when there is none. Implements account.Store.
func (s *Store) AccountByID(ctx context.Context, id int64) (account.Account, error) {
	var rows []accountRow
	if err := s.prepared(ctx, accountByIDQuery, &rows, id); err != nil {
		return account.Account{}, s.wrap("account by id", err)
	}
	if len(rows) == 0 {
		return account.Account{}, newError(ErrNotFound, "account by id")
	}
	return rows[0].domain(), nil
}

// accountByIDQuery runs at every request of a logged-in applicant: prepared (see prepared).
var accountByIDQuery = newPreparedQuery(`SELECT id, doc_type, doc_number, name, phone, email, registered_at,
	wechat_linked, real_name_verified, password_hash, password_changed_at, version
	FROM accounts WHERE id = ?`)

// SetPassword stores a new password hash and when it was set; ErrNotFound for an unknown
// id. Implements account.Store.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string, changedAt time.Time) error {
	res, err := s.idb.NewUpdate().Model((*accountRow)(nil)).
		Set("password_hash = ?", hash).
		Set("password_changed_at = ?", ts(changedAt)).
		Set("version = version + 1").
		Where("id = ?", id).Exec(ctx)
	return s.wrap("set password", affectedOne(res, err))
}

// UpdateAccount writes a's identity and contact fields (document type and number, name,
// phone, e-mail, WeChat link, real-name flag) over the stored account a.ID. The password
// and the registration time are left alone (SetPassword changes the password).
// ErrNotFound for an unknown id, ErrDuplicate when the new document belongs to another
// account. Whether an edit is allowed is the account package's decision, made before.
func (s *Store) UpdateAccount(ctx context.Context, a account.Account) error {
	row := toAccountRow(a)
	res, err := s.idb.NewUpdate().Model(&row).
		Column("doc_type", "doc_number", "name", "phone", "email", "wechat_linked", "real_name_verified").
		Set("version = version + 1").
		WherePK().Exec(ctx)
	return s.wrap("update account", affectedOne(res, err))
}

// affectedOne turns "no row changed" into sql.ErrNoRows (mapped to ErrNotFound).
func affectedOne(res interface{ RowsAffected() (int64, error) }, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return errNoRows
	}
	return nil
}
