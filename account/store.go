package account

import (
	"context"
	"crypto/sha256"
	"time"
)

// Store is the account storage (账号库) the password-reset rules need. The
// portal's database implements it; accounttest has an in-memory one.
type Store interface {
	// AccountByDocument returns the account registered with the document
	// (number in canonical form), or ErrNotFound.
	AccountByDocument(ctx context.Context, t DocType, number string) (Account, error)
	// AccountByID returns the account, or ErrNotFound.
	AccountByID(ctx context.Context, id int64) (Account, error)
	// SetPassword stores a new password hash (PHC string) and the time it was
	// set (Account.PasswordChangedAt); ErrNotFound for an unknown id.
	SetPassword(ctx context.Context, id int64, hash string, changedAt time.Time) error
}

// TokenHash is the SHA-256 of a secret (a reset token). Only the hash is
// stored, so a database leak gives no usable link.
type TokenHash [sha256.Size]byte

// ResetToken is a stored 密码重置链接 token: its hash, never the token itself.
type ResetToken struct {
	Hash      TokenHash
	AccountID int64
	IssuedAt  time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero until used
}

// ResetTokenStore keeps e-mail reset tokens.
type ResetTokenStore interface {
	// SaveResetToken stores a new token.
	SaveResetToken(ctx context.Context, t ResetToken) error
	// ResetTokenByHash returns the token with this hash, or ErrNotFound (also
	// for a voided token).
	ResetTokenByHash(ctx context.Context, h TokenHash) (ResetToken, error)
	// UseResetToken marks the token used at the given time. It must be atomic
	// (e.g. UPDATE … WHERE used_at IS NULL): when the token is already used,
	// voided or unknown it returns ErrTokenInvalid, so of two concurrent uses
	// at most one succeeds.
	UseResetToken(ctx context.Context, h TokenHash, at time.Time) error
	// VoidResetTokens voids (e.g. deletes) every unused token of the account.
	VoidResetTokens(ctx context.Context, accountID int64) error
}

// OneTimeCode is a stored 短信验证码: bound to one phone and one purpose, kept
// only as a salted hash.
type OneTimeCode struct {
	Phone     string // 11 digits, as ParsePhone returns it
	Purpose   CodePurpose
	Salt      [16]byte
	Hash      TokenHash // SHA-256 over salt, purpose, phone and the code
	IssuedAt  time.Time
	ExpiresAt time.Time
	Attempts  int // checks made so far, right or wrong
}

// CodeStore keeps one-time codes, at most one per phone and purpose.
type CodeStore interface {
	// SaveCode stores c, replacing any earlier code for c.Phone and c.Purpose.
	SaveCode(ctx context.Context, c OneTimeCode) error
	// CodeFor returns the live code for the phone and purpose, or ErrNotFound.
	CodeFor(ctx context.Context, phone string, purpose CodePurpose) (OneTimeCode, error)
	// CountCodeAttempt atomically adds one to the code's Attempts and returns
	// the new count; ErrNotFound when there is no code.
	CountCodeAttempt(ctx context.Context, phone string, purpose CodePurpose) (int, error)
	// ConsumeCode deletes the code for the phone and purpose if its hash is h.
	// It must be atomic: when no such code is left it returns ErrNotFound, so
	// of two concurrent uses at most one succeeds.
	ConsumeCode(ctx context.Context, phone string, purpose CodePurpose, h TokenHash) error
}
