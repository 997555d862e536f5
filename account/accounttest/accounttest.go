// Package accounttest has in-memory implementations of the account storage
// interfaces (账号库), an outbox for e-mails and SMS, and a settable clock, for
// the tests of account and of anything built on it. Safe for concurrent use.
package accounttest

import (
	"context"
	"sync"
	"time"

	"github.com/tqreg/tqreg/account"
)

// Memory implements account.Store, account.ResetTokenStore and
// account.CodeStore in memory. The zero value is ready to use.
type Memory struct {
	mu       sync.Mutex
	accounts map[int64]account.Account
	nextID   int64
	tokens   map[account.TokenHash]account.ResetToken
	codes    map[codeKey]account.OneTimeCode
}

type codeKey struct {
	phone   string
	purpose account.CodePurpose
}

var (
	_ account.Store           = (*Memory)(nil)
	_ account.ResetTokenStore = (*Memory)(nil)
	_ account.CodeStore       = (*Memory)(nil)
)

// AddAccount stores a and returns it with its new ID (a.ID is ignored).
func (m *Memory) AddAccount(a account.Account) account.Account {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.accounts == nil {
		m.accounts = map[int64]account.Account{}
	}
	m.nextID++
	a.ID = m.nextID
	m.accounts[a.ID] = a
	return a
}

// AccountByDocument implements account.Store.
func (m *Memory) AccountByDocument(_ context.Context, t account.DocType, number string) (account.Account, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range m.accounts {
		if a.DocType == t && a.DocNumber == number {
			return a, nil
		}
	}
	return account.Account{}, account.ErrNotFound
}

// AccountByID implements account.Store.
func (m *Memory) AccountByID(_ context.Context, id int64) (account.Account, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.accounts[id]
	if !ok {
		return account.Account{}, account.ErrNotFound
	}
	return a, nil
}

// SetPassword implements account.Store.
func (m *Memory) SetPassword(_ context.Context, id int64, hash string, changedAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.accounts[id]
	if !ok {
		return account.ErrNotFound
	}
	a.PasswordHash, a.PasswordChangedAt = hash, changedAt
	m.accounts[id] = a
	return nil
}

// SaveResetToken implements account.ResetTokenStore.
func (m *Memory) SaveResetToken(_ context.Context, t account.ResetToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tokens == nil {
		m.tokens = map[account.TokenHash]account.ResetToken{}
	}
	m.tokens[t.Hash] = t
	return nil
}

// ResetTokenByHash implements account.ResetTokenStore.
func (m *Memory) ResetTokenByHash(_ context.Context, h account.TokenHash) (account.ResetToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[h]
	if !ok {
		return account.ResetToken{}, account.ErrNotFound
	}
	return t, nil
}

// UseResetToken implements account.ResetTokenStore.
func (m *Memory) UseResetToken(_ context.Context, h account.TokenHash, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[h]
	if !ok || !t.UsedAt.IsZero() {
		return account.ErrTokenInvalid
	}
	t.UsedAt = at
	m.tokens[h] = t
	return nil
}

// VoidResetTokens implements account.ResetTokenStore by deleting the
// account's unused tokens.
func (m *Memory) VoidResetTokens(_ context.Context, accountID int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for h, t := range m.tokens {
		if t.AccountID == accountID && t.UsedAt.IsZero() {
			delete(m.tokens, h)
		}
	}
	return nil
}

// ResetTokens returns the stored tokens of an account (to check that only
// hashes are kept).
func (m *Memory) ResetTokens(accountID int64) []account.ResetToken {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []account.ResetToken
	for _, t := range m.tokens {
		if t.AccountID == accountID {
			out = append(out, t)
		}
	}
	return out
}

// SaveCode implements account.CodeStore.
func (m *Memory) SaveCode(_ context.Context, c account.OneTimeCode) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.codes == nil {
		m.codes = map[codeKey]account.OneTimeCode{}
	}
	m.codes[codeKey{c.Phone, c.Purpose}] = c
	return nil
}

// CodeFor implements account.CodeStore.
func (m *Memory) CodeFor(_ context.Context, phone string, purpose account.CodePurpose) (account.OneTimeCode, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.codes[codeKey{phone, purpose}]
	if !ok {
		return account.OneTimeCode{}, account.ErrNotFound
	}
	return c, nil
}

// CountCodeAttempt implements account.CodeStore.
func (m *Memory) CountCodeAttempt(_ context.Context, phone string, purpose account.CodePurpose) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := codeKey{phone, purpose}
	c, ok := m.codes[k]
	if !ok {
		return 0, account.ErrNotFound
	}
	c.Attempts++
	m.codes[k] = c
	return c.Attempts, nil
}

// ConsumeCode implements account.CodeStore.
func (m *Memory) ConsumeCode(_ context.Context, phone string, purpose account.CodePurpose, h account.TokenHash) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := codeKey{phone, purpose}
	c, ok := m.codes[k]
	if !ok || c.Hash != h {
		return account.ErrNotFound
	}
	delete(m.codes, k)
	return nil
}

// Mail is one e-mail in the Outbox.
type Mail struct {
	To, Name, Token string
	ExpiresAt       time.Time
}

// SMS is one text message in the Outbox.
type SMS struct {
	Phone     string
	Purpose   account.CodePurpose
	Code      string
	ExpiresAt time.Time
}

// Outbox implements account.Mailer and account.SMSSender by keeping what was
// sent. The zero value is ready to use.
type Outbox struct {
	mu    sync.Mutex
	mails []Mail
	sms   []SMS
}

var (
	_ account.Mailer    = (*Outbox)(nil)
	_ account.SMSSender = (*Outbox)(nil)
)

// SendResetLink implements account.Mailer.
func (o *Outbox) SendResetLink(_ context.Context, to, name, token string, expiresAt time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.mails = append(o.mails, Mail{To: to, Name: name, Token: token, ExpiresAt: expiresAt})
	return nil
}

// SendCode implements account.SMSSender.
func (o *Outbox) SendCode(_ context.Context, phone string, purpose account.CodePurpose, code string, expiresAt time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sms = append(o.sms, SMS{Phone: phone, Purpose: purpose, Code: code, ExpiresAt: expiresAt})
	return nil
}

// Mails returns the e-mails sent so far, oldest first.
func (o *Outbox) Mails() []Mail {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Mail(nil), o.mails...)
}

// SMS returns the text messages sent so far, oldest first.
func (o *Outbox) SMS() []SMS {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]SMS(nil), o.sms...)
}

// LastMail returns the newest e-mail; ok is false when none was sent.
func (o *Outbox) LastMail() (m Mail, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.mails) == 0 {
		return Mail{}, false
	}
	return o.mails[len(o.mails)-1], true
}

// LastSMS returns the newest text message; ok is false when none was sent.
func (o *Outbox) LastSMS() (s SMS, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.sms) == 0 {
		return SMS{}, false
	}
	return o.sms[len(o.sms)-1], true
}

// Clock is a settable clock for the Now fields. Safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
