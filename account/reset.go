package account

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// ResetAvailableFrom is the 2019-03-01 00:00 CST cut-off of manual §1.2.2:
// accounts registered before it cannot reset their password (密码重置) and must
// register anew.
var ResetAvailableFrom = time.Date(2019, 3, 1, 0, 0, 0, 0, ChinaStandardTime)

// Reset rule constants.
const (
	ResetTokenTTL    = 24 * time.Hour   // an e-mail link is valid this long
	DefaultTicketTTL = 30 * time.Minute // identification stays valid this long
	minResetKeyLen   = 32
)

// Mailer delivers the 密码重置 e-mail. The portal implements it (in
// development: an outbox page) and builds the link from token; the token must
// not be logged.
type Mailer interface {
	SendResetLink(ctx context.Context, to, name, token string, expiresAt time.Time) error
}

// PasswordHasher makes the stored hash of a new password. *Hasher
// implements it; it honours ctx while waiting for a hashing slot.
type PasswordHasher interface {
	HashContext(ctx context.Context, password string) (string, error)
}

var _ PasswordHasher = (*Hasher)(nil)

// Reset runs password reset (忘记密码, manual §1.2.2): identify the account by
// document type + number + name, then reset by e-mail link, SMS code or
// WeChat. It holds no state of its own; the portal keeps the ResetTicket
// string between steps.
type Reset struct {
	Accounts Store
	Tokens   ResetTokenStore
	Codes    *Codes // sends and checks the PurposeReset SMS codes
	Mail     Mailer
	// Hasher turns a new password into the stored PHC string; *Hasher
	// (argon2id) implements it.
	Hasher PasswordHasher
	// Key signs tickets; at least 32 secret random bytes, shared by all app
	// servers.
	Key       []byte
	Now       func() time.Time
	TicketTTL time.Duration // 0 means DefaultTicketTTL
}

// ResetTicket is what identification gives the reset page: the opaque signed
// Ticket for the next steps and which reset methods the account offers, with
// the contact details masked.
type ResetTicket struct {
	Ticket string // opaque, signed; keep it in the session, never in a URL
	Email  string // masked e-mail, "" when the account has none
	Phone  string // masked phone, "" when the account has none
	WeChat bool   // the account linked the WeChat service account
}

func (r *Reset) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Begin identifies the account by document type, number and name; all three
// must match.
//
// Privacy: an unknown document and a known document with a wrong name (or
// type) give the same ErrResetMismatch, after the same work, so the answer
// never tells which field was wrong or whether an account exists. A
// malformed number gives ValidateDocument's format error, which depends on
// the input only. ErrResetUnavailable (registered before ResetAvailableFrom)
// is returned only after all three fields matched: it tells the person that
// an account exists, which only someone who already knows its document and
// name can learn — the same people a successful Begin tells more (the masked
// contacts). Rate-limit Begin in the portal: it answers guesses.
func (r *Reset) Begin(ctx context.Context, t DocType, number, name string) (ResetTicket, error) {
	canonical, err := ValidateDocumentAt(t, number, r.now())
	if err != nil {
		return ResetTicket{}, err
	}
	a, err := r.Accounts.AccountByDocument(ctx, t, canonical)
	if errors.Is(err, ErrNotFound) {
		sameName("\u0000", name) // the same work as for a known account
		return ResetTicket{}, ErrResetMismatch
	} else if err != nil {
		return ResetTicket{}, err
	}
	if !sameName(a.Name, name) || a.DocType != t {
		return ResetTicket{}, ErrResetMismatch
	}
	if a.RegisteredAt.Before(ResetAvailableFrom) {
		return ResetTicket{}, ErrResetUnavailable
	}
	ticket, err := r.seal(a.ID, r.now())
	if err != nil {
		return ResetTicket{}, err
	}
	rt := ResetTicket{Ticket: ticket, WeChat: a.WeChatLinked}
	if a.Email != "" {
		rt.Email = MaskEmail(a.Email)
	}
	if a.Phone != "" {
		rt.Phone = MaskPhone(a.Phone)
	}
	return rt, nil
}

// SendEmailLink issues a new e-mail link token (128 random bits, valid 24 h),
// voids every earlier one, stores only its SHA-256 and mails it. Errors:
// ErrTicketInvalid, ErrResetMethod (no e-mail), or a store or mailer error.
func (r *Reset) SendEmailLink(ctx context.Context, ticket string) error {
	a, err := r.account(ctx, ticket)
	if err != nil {
		return err
	}
	if a.Email == "" {
		return ErrResetMethod
	}
	token, h := newResetToken()
	now := r.now()
	if err := r.Tokens.VoidResetTokens(ctx, a.ID); err != nil {
		return err
	}
	rt := ResetToken{Hash: h, AccountID: a.ID, IssuedAt: now, ExpiresAt: now.Add(ResetTokenTTL)}
	if err := r.Tokens.SaveResetToken(ctx, rt); err != nil {
		return err
	}
	return r.Mail.SendResetLink(ctx, a.Email, a.Name, token, rt.ExpiresAt)
}

// SendSMSCode sends a PurposeReset code to the account's registered phone.
// Errors: ErrTicketInvalid, ErrResetMethod (no phone), ErrCodeTooSoon, or a
// store or sender error.
func (r *Reset) SendSMSCode(ctx context.Context, ticket string) error {
	a, err := r.account(ctx, ticket)
	if err != nil {
		return err
	}
	if a.Phone == "" {
		return ErrResetMethod
	}
	return r.Codes.Send(ctx, a.Phone, PurposeReset)
}

// CheckToken reports whether an e-mail link token may still set a password,
// without using it (for showing the new-password form). Errors:
// ErrTokenInvalid, ErrTokenExpired, or a store error.
func (r *Reset) CheckToken(ctx context.Context, token string) error {
	_, _, err := r.liveToken(ctx, token)
	return err
}

// CompleteWithToken sets newPassword through an e-mail link token. The
// password policy is checked first (a weak password does not use the link);
// then the token is used, the password set and every other token voided.
// Errors: ErrTokenInvalid, ErrTokenExpired, ErrWeakPassword (a
// *PasswordError), or a store or hash error.
func (r *Reset) CompleteWithToken(ctx context.Context, token, newPassword string) error {
	h, a, err := r.liveToken(ctx, token)
	if err != nil {
		return err
	}
	if err := CheckPassword(newPassword, a.DocNumber); err != nil {
		return err
	}
	now := r.now()
	if err := r.Tokens.UseResetToken(ctx, h, now); err != nil {
		return err
	}
	return r.setPassword(ctx, a, newPassword, now)
}

// CompleteWithCode sets newPassword after checking the SMS code sent by
// SendSMSCode. The policy is checked before the code, so a weak password
// costs no attempt. Errors: ErrTicketInvalid, ErrResetMethod,
// ErrWeakPassword, the errors of Codes.Check, or a store or hash error.
func (r *Reset) CompleteWithCode(ctx context.Context, ticket, code, newPassword string) error {
	a, err := r.account(ctx, ticket)
	if err != nil {
		return err
	}
	if a.Phone == "" {
		return ErrResetMethod
	}
	if err := CheckPassword(newPassword, a.DocNumber); err != nil {
		return err
	}
	if err := r.Codes.Check(ctx, a.Phone, PurposeReset, code); err != nil {
		return err
	}
	return r.setPassword(ctx, a, newPassword, r.now())
}

// CompleteWithWeChat sets newPassword for an account linked to the WeChat
// service account (微信验证重置密码). In production the linked WeChat
// conversation proves the person; the reference portal simulates it with a
// fake QR code, so the caller must have had that confirmation. Errors:
// ErrTicketInvalid, ErrWeChatNotLinked, ErrWeakPassword, or a store or hash
// error.
func (r *Reset) CompleteWithWeChat(ctx context.Context, ticket, newPassword string) error {
	a, err := r.account(ctx, ticket)
	if err != nil {
		return err
	}
	if !a.WeChatLinked {
		return ErrWeChatNotLinked
	}
	if err := CheckPassword(newPassword, a.DocNumber); err != nil {
		return err
	}
	return r.setPassword(ctx, a, newPassword, r.now())
}

// ParseResetToken decodes an e-mail link token (22 characters of unpadded
// base64url holding 128 bits; spaces around ignored) and returns the hash it
// is stored under, or ErrTokenInvalid.
func ParseResetToken(token string) (TokenHash, error) {
	token = strings.TrimSpace(token)
	if len(token) != base64.RawURLEncoding.EncodedLen(randomIDBytes) {
		return TokenHash{}, ErrTokenInvalid
	}
	var b [randomIDBytes]byte
	n, err := base64.RawURLEncoding.Strict().Decode(b[:], []byte(token))
	if err != nil || n != randomIDBytes {
		return TokenHash{}, ErrTokenInvalid
	}
	return TokenHash(sha256.Sum256(b[:])), nil
}

// newResetToken returns a fresh token and its hash.
func newResetToken() (string, TokenHash) {
	token := newRandomID()
	h, _ := ParseResetToken(token) // newRandomID's output always parses
	return token, h
}

// liveToken returns the hash and account of a token that may set a password.
func (r *Reset) liveToken(ctx context.Context, token string) (TokenHash, Account, error) {
	h, err := ParseResetToken(token)
	if err != nil {
		return h, Account{}, err
	}
	rt, err := r.Tokens.ResetTokenByHash(ctx, h)
	if errors.Is(err, ErrNotFound) {
		return h, Account{}, ErrTokenInvalid
	} else if err != nil {
		return h, Account{}, err
	}
	if !rt.UsedAt.IsZero() {
		return h, Account{}, ErrTokenInvalid
	}
	if !r.now().Before(rt.ExpiresAt) {
		return h, Account{}, ErrTokenExpired
	}
	a, err := r.Accounts.AccountByID(ctx, rt.AccountID)
	if errors.Is(err, ErrNotFound) {
		return h, Account{}, ErrTokenInvalid
	} else if err != nil {
		return h, Account{}, err
	}
	// A password set at or after the token was issued voids it, even if the
	// change came another way (login, another link) and forgot to void.
	if !a.PasswordChangedAt.Before(rt.IssuedAt) {
		return h, Account{}, ErrTokenInvalid
	}
	return h, a, nil
}

// setPassword hashes and stores the new password and voids every reset link.
func (r *Reset) setPassword(ctx context.Context, a Account, password string, now time.Time) error {
	hash, err := r.Hasher.HashContext(ctx, password)
	if err != nil {
		return err
	}
	if err := r.Accounts.SetPassword(ctx, a.ID, hash, now); err != nil {
		return err
	}
	return r.Tokens.VoidResetTokens(ctx, a.ID)
}

// account opens a ticket and loads its account.
func (r *Reset) account(ctx context.Context, ticket string) (Account, error) {
	id, err := r.open(ticket, r.now())
	if err != nil {
		return Account{}, err
	}
	a, err := r.Accounts.AccountByID(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Account{}, ErrTicketInvalid
	} else if err != nil {
		return Account{}, err
	}
	if a.RegisteredAt.Before(ResetAvailableFrom) {
		return Account{}, ErrResetUnavailable
	}
	return a, nil
}

var errResetKey = errors.New("account: Reset.Key must hold at least 32 random bytes")

const ticketPayload, ticketMAC = 16, 16

// seal makes the ticket: base64url(account id | issued unix seconds | MAC).
func (r *Reset) seal(id int64, now time.Time) (string, error) {
	if len(r.Key) < minResetKeyLen {
		return "", errResetKey
	}
	var b [ticketPayload + ticketMAC]byte
	binary.BigEndian.PutUint64(b[0:8], uint64(id))
	binary.BigEndian.PutUint64(b[8:16], uint64(now.Unix()))
	copy(b[ticketPayload:], r.mac(b[:ticketPayload]))
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// open checks a ticket's MAC and age and returns its account id.
func (r *Reset) open(ticket string, now time.Time) (int64, error) {
	if len(r.Key) < minResetKeyLen {
		return 0, errResetKey
	}
	var b [ticketPayload + ticketMAC]byte
	if len(ticket) != base64.RawURLEncoding.EncodedLen(len(b)) {
		return 0, ErrTicketInvalid
	}
	if n, err := base64.RawURLEncoding.Strict().Decode(b[:], []byte(ticket)); err != nil || n != len(b) {
		return 0, ErrTicketInvalid
	}
	if !hmac.Equal(b[ticketPayload:], r.mac(b[:ticketPayload])) {
		return 0, ErrTicketInvalid
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(b[8:16])), 0)
	ttl := r.TicketTTL
	if ttl <= 0 {
		ttl = DefaultTicketTTL
	}
	if now.Before(issued.Add(-time.Minute)) || !now.Before(issued.Add(ttl)) {
		return 0, ErrTicketInvalid
	}
	return int64(binary.BigEndian.Uint64(b[0:8])), nil
}

func (r *Reset) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, r.Key)
	m.Write([]byte("tqreg/account reset ticket v1\x00"))
	m.Write(payload)
	return m.Sum(nil)[:ticketMAC]
}

// sameName compares a stored and a typed name (姓名) in constant time after
// normalising both: Unicode NFKC (full-width forms), runs of spaces collapsed,
// the middle-dot variants of minority and foreign names (·・•‧.) unified,
// Latin letters upper-cased.
func sameName(stored, typed string) bool {
	a, b := normalizeName(stored), normalizeName(typed)
	eq := subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
	return eq && a != ""
}

func normalizeName(s string) string {
	if len(s) > 256 {
		s = s[:256]
	}
	s = strings.Join(strings.Fields(norm.NFKC.String(s)), " ")
	return strings.Map(func(r rune) rune {
		switch r {
		case '·', '・', '•', '‧', '.', '･':
			return '·'
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}
