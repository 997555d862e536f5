package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/uptrace/bun"

	"github.com/tqreg/tqreg/account"
)

// ---- reset tokens (密码重置链接): the hash only ----

type resetTokenRow struct {
	bun.BaseModel `bun:"table:reset_tokens"`

	TokenHash string    `bun:"token_hash,pk"`
	AccountID int64     `bun:"account_id,notnull"`
	IssuedAt  time.Time `bun:"issued_at,notnull"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
	UsedAt    time.Time `bun:"used_at,nullzero"`
}

func (r resetTokenRow) domain() (account.ResetToken, error) {
	var h account.TokenHash
	if b, err := hex.DecodeString(r.TokenHash); err != nil || len(b) != len(h) {
		return account.ResetToken{}, errors.New("reset token hash is not 64 hex digits")
	} else {
		copy(h[:], b)
	}
	return account.ResetToken{Hash: h, AccountID: r.AccountID, IssuedAt: r.IssuedAt.UTC(),
		ExpiresAt: r.ExpiresAt.UTC(), UsedAt: utcOrZero(r.UsedAt)}, nil
}

func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// SaveResetToken stores a new e-mail reset token (its hash). Implements account.ResetTokenStore.
func (s *Store) SaveResetToken(ctx context.Context, t account.ResetToken) error {
	row := resetTokenRow{TokenHash: hex.EncodeToString(t.Hash[:]), AccountID: t.AccountID,
		IssuedAt: ts(t.IssuedAt), ExpiresAt: ts(t.ExpiresAt), UsedAt: ts(t.UsedAt)}
	_, err := s.idb.NewInsert().Model(&row).Exec(ctx)
	return s.wrap("save reset token", err)
}

// ResetTokenByHash returns the token, or ErrNotFound (also account.ErrNotFound) when it is
// unknown or voided. Implements account.ResetTokenStore.
func (s *Store) ResetTokenByHash(ctx context.Context, h account.TokenHash) (account.ResetToken, error) {
	var row resetTokenRow
	if err := s.idb.NewSelect().Model(&row).Where("token_hash = ?", hex.EncodeToString(h[:])).Scan(ctx); err != nil {
		return account.ResetToken{}, s.wrap("reset token", err)
	}
	t, err := row.domain()
	return t, s.wrap("reset token", err)
}

// UseResetToken marks the token used, atomically: account.ErrTokenInvalid when it is
// unknown, voided or used already, so of two concurrent uses one wins. Implements
// account.ResetTokenStore.
func (s *Store) UseResetToken(ctx context.Context, h account.TokenHash, at time.Time) error {
	res, err := s.idb.NewUpdate().Model((*resetTokenRow)(nil)).
		Set("used_at = ?", ts(at)).
		Where("token_hash = ?", hex.EncodeToString(h[:])).Where("used_at IS NULL").Exec(ctx)
	if err := affectedOne(res, err); errors.Is(err, sql.ErrNoRows) {
		return account.ErrTokenInvalid
	} else if err != nil {
		return s.wrap("use reset token", err)
	}
	return nil
}

// VoidResetTokens deletes every unused token of the account. Implements
// account.ResetTokenStore.
func (s *Store) VoidResetTokens(ctx context.Context, accountID int64) error {
	_, err := s.idb.NewDelete().Model((*resetTokenRow)(nil)).
		Where("account_id = ?", accountID).Where("used_at IS NULL").Exec(ctx)
	return s.wrap("void reset tokens", err)
}

// ---- one-time codes (短信验证码): salted hash only, one per phone and purpose ----

type codeRow struct {
	bun.BaseModel `bun:"table:one_time_codes"`

	Phone     string    `bun:"phone,pk"`
	Purpose   int16     `bun:"purpose,pk"`
	Salt      string    `bun:"salt,notnull"`
	CodeHash  string    `bun:"code_hash,notnull"`
	IssuedAt  time.Time `bun:"issued_at,notnull"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
	Attempts  int       `bun:"attempts,notnull"`
}

func (r codeRow) domain() (account.OneTimeCode, error) {
	c := account.OneTimeCode{Phone: r.Phone, Purpose: account.CodePurpose(r.Purpose),
		IssuedAt: r.IssuedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), Attempts: r.Attempts}
	salt, err1 := hex.DecodeString(r.Salt)
	hash, err2 := hex.DecodeString(r.CodeHash)
	if err1 != nil || err2 != nil || len(salt) != len(c.Salt) || len(hash) != len(c.Hash) {
		return account.OneTimeCode{}, errors.New("one-time code row has a malformed salt or hash")
	}
	copy(c.Salt[:], salt)
	copy(c.Hash[:], hash)
	return c, nil
}

// SaveCode stores c, replacing any earlier code for its phone and purpose. Implements
// account.CodeStore.
func (s *Store) SaveCode(ctx context.Context, c account.OneTimeCode) error {
	row := codeRow{Phone: c.Phone, Purpose: int16(c.Purpose), Salt: hex.EncodeToString(c.Salt[:]),
		CodeHash: hex.EncodeToString(c.Hash[:]), IssuedAt: ts(c.IssuedAt), ExpiresAt: ts(c.ExpiresAt),
		Attempts: c.Attempts}
	_, err := s.idb.NewInsert().Model(&row).
		On("CONFLICT (phone, purpose) DO UPDATE").
		Set("salt = EXCLUDED.salt").Set("code_hash = EXCLUDED.code_hash").
		Set("issued_at = EXCLUDED.issued_at").Set("expires_at = EXCLUDED.expires_at").
		Set("attempts = EXCLUDED.attempts").Exec(ctx)
	return s.wrap("save code", err)
}

// CodeFor returns the code for the phone and purpose, or ErrNotFound (also
// account.ErrNotFound). Expiry is the account package's to judge. Implements
// account.CodeStore.
func (s *Store) CodeFor(ctx context.Context, phone string, purpose account.CodePurpose) (account.OneTimeCode, error) {
	var row codeRow
	if err := s.idb.NewSelect().Model(&row).Where("phone = ?", phone).Where("purpose = ?", int16(purpose)).Scan(ctx); err != nil {
		return account.OneTimeCode{}, s.wrap("code", err)
	}
	c, err := row.domain()
	return c, s.wrap("code", err)
}

// CountCodeAttempt atomically adds one to the code's attempts and returns the new count;
// ErrNotFound when there is no code. Implements account.CodeStore.
func (s *Store) CountCodeAttempt(ctx context.Context, phone string, purpose account.CodePurpose) (int, error) {
	var n int
	err := s.idb.NewUpdate().Model((*codeRow)(nil)).
		Set("attempts = attempts + 1").
		Where("phone = ?", phone).Where("purpose = ?", int16(purpose)).
		Returning("attempts").Scan(ctx, &n)
	if err != nil {
		return 0, s.wrap("count code attempt", err)
	}
	return n, nil
}

// ConsumeCode deletes the code for the phone and purpose if its hash is h, atomically;
// ErrNotFound when no such code is left. Implements account.CodeStore.
func (s *Store) ConsumeCode(ctx context.Context, phone string, purpose account.CodePurpose, h account.TokenHash) error {
	res, err := s.idb.NewDelete().Model((*codeRow)(nil)).
		Where("phone = ?", phone).Where("purpose = ?", int16(purpose)).
		Where("code_hash = ?", hex.EncodeToString(h[:])).Exec(ctx)
	return s.wrap("consume code", affectedOne(res, err))
}

// ---- captcha challenges (滑块验证) ----

// CaptchaStore keeps issued captcha challenges in the database, so several app servers
// share them. It implements account.CaptchaStore; get one from Store.Captchas.
type CaptchaStore struct{ s *Store }

// Captchas returns the database-backed account.CaptchaStore.
func (s *Store) Captchas() *CaptchaStore { return &CaptchaStore{s: s} }

type captchaRow struct {
	bun.BaseModel `bun:"table:captcha_challenges"`

	ID        string    `bun:"id,pk"`
	Kind      int16     `bun:"kind,notnull"`
	Answer    int       `bun:"answer,notnull"`
	IssuedAt  time.Time `bun:"issued_at,notnull"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
}

// Put stores the secret under id. About one Put in 64 also deletes challenges that
// expired before this one was issued, so abandoned challenges do not pile up.
func (c *CaptchaStore) Put(ctx context.Context, id string, sec account.CaptchaSecret) error {
	row := captchaRow{ID: id, Kind: int16(sec.Kind), Answer: sec.Answer,
		IssuedAt: ts(sec.IssuedAt), ExpiresAt: ts(sec.ExpiresAt)}
	if _, err := c.s.idb.NewInsert().Model(&row).Exec(ctx); err != nil {
		return c.s.wrap("put captcha", err)
	}
	if rand.IntN(64) == 0 {
		_, err := c.s.idb.NewDelete().Model((*captchaRow)(nil)).Where("expires_at < ?", ts(sec.IssuedAt)).Exec(ctx)
		return c.s.wrap("prune captchas", err)
	}
	return nil
}

// Take returns and deletes the secret under id, atomically; account.ErrCaptchaInvalid when
// there is none (unknown or taken already).
func (c *CaptchaStore) Take(ctx context.Context, id string) (account.CaptchaSecret, error) {
	var row captchaRow
	err := c.s.idb.NewDelete().Model(&row).Where("id = ?", id).Returning("*").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return account.CaptchaSecret{}, account.ErrCaptchaInvalid
	}
	if err != nil {
		return account.CaptchaSecret{}, c.s.wrap("take captcha", err)
	}
	return account.CaptchaSecret{Kind: account.CaptchaKind(row.Kind), Answer: row.Answer,
		IssuedAt: row.IssuedAt.UTC(), ExpiresAt: row.ExpiresAt.UTC()}, nil
}

// ---- throttle counters (登录限制) ----

type throttleRow struct {
	bun.BaseModel `bun:"table:throttle_counters"`

	Key       string    `bun:"key,pk"`
	State     string    `bun:"state,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
}

// Throttle returns the serialised state kept under key, and false when there is none or
// it expired at now. Keys must not contain personal data in clear (hash document numbers,
// phones and client addresses first).
func (s *Store) Throttle(ctx context.Context, key string, now time.Time) (state string, ok bool, err error) {
	var row throttleRow
	err = s.idb.NewSelect().Model(&row).Where("key = ?", key).Where("expires_at > ?", ts(now)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, s.wrap("throttle", err)
	}
	return row.State, true, nil
}

// UpdateThrottle reads the state under key (ok false when none or expired at now), lets
// update compute the next state and its expiry, and writes it, all in one transaction, so
// concurrent failures are all counted. update's error aborts the change and is returned
// as is.
func (s *Store) UpdateThrottle(ctx context.Context, key string, now time.Time,
	update func(state string, ok bool) (next string, expiresAt time.Time, err error)) error {
	var updErr error
	err := s.tx(ctx, func(ctx context.Context, db bun.IDB) error {
		// Make sure the row exists (expired), so the locking read below always has a row
		// to lock and two first failures cannot both start from nothing.
		placeholder := throttleRow{Key: key, UpdatedAt: ts(now), ExpiresAt: time.Unix(0, 0).UTC()}
		if _, err := db.NewInsert().Model(&placeholder).On("CONFLICT (key) DO NOTHING").Exec(ctx); err != nil {
			return err
		}
		var row throttleRow
		q := db.NewSelect().Model(&row).Where("key = ?", key)
		if s.backend == Postgres {
			q = q.For("UPDATE")
		}
		err := q.Scan(ctx)
		found := err == nil && row.ExpiresAt.After(now)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		state := ""
		if found {
			state = row.State
		}
		next, exp, uerr := update(state, found)
		if uerr != nil {
			updErr = uerr
			return uerr
		}
		nr := throttleRow{Key: key, State: next, UpdatedAt: ts(now), ExpiresAt: ts(exp)}
		_, err = db.NewInsert().Model(&nr).On("CONFLICT (key) DO UPDATE").
			Set("state = EXCLUDED.state").Set("updated_at = EXCLUDED.updated_at").
			Set("expires_at = EXCLUDED.expires_at").Exec(ctx)
		return err
	})
	if updErr != nil {
		return updErr
	}
	return s.wrap("update throttle", err)
}

// ClearThrottle deletes the state under key (e.g. after a successful login).
func (s *Store) ClearThrottle(ctx context.Context, key string) error {
	_, err := s.idb.NewDelete().Model((*throttleRow)(nil)).Where("key = ?", key).Exec(ctx)
	return s.wrap("clear throttle", err)
}

// ---- development outbox (开发用发件箱) ----

// OutboxMessage is an e-mail, SMS or WeChat message the development senders "sent"; the
// portal's /dev/outbox page lists them. Never used in production.
type OutboxMessage struct {
	ID        int64
	Channel   string // "email", "sms" or "wechat"
	Recipient string
	Subject   string
	Body      string
	SentAt    time.Time
}

type outboxRow struct {
	bun.BaseModel `bun:"table:outbox"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Channel   string    `bun:"channel,notnull"`
	Recipient string    `bun:"recipient,notnull"`
	Subject   string    `bun:"subject,notnull"`
	Body      string    `bun:"body,notnull"`
	SentAt    time.Time `bun:"sent_at,notnull"`
}

// AddOutbox records a sent message (SentAt zero: the store's clock) and returns its ID.
func (s *Store) AddOutbox(ctx context.Context, m OutboxMessage) (int64, error) {
	if m.SentAt.IsZero() {
		m.SentAt = s.now()
	}
	row := outboxRow{Channel: m.Channel, Recipient: m.Recipient, Subject: m.Subject, Body: m.Body, SentAt: ts(m.SentAt)}
	if _, err := s.idb.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
		return 0, s.wrap("add outbox", err)
	}
	return row.ID, nil
}

// Outbox returns the newest limit messages, newest first (limit ≤ 0: 100).
func (s *Store) Outbox(ctx context.Context, limit int) ([]OutboxMessage, error) {
	if limit <= 0 {
		limit = 100
	}
	var rows []outboxRow
	if err := s.idb.NewSelect().Model(&rows).Order("id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, s.wrap("outbox", err)
	}
	out := make([]OutboxMessage, len(rows))
	for i, r := range rows {
		out[i] = OutboxMessage{ID: r.ID, Channel: r.Channel, Recipient: r.Recipient, Subject: r.Subject,
			Body: r.Body, SentAt: r.SentAt.UTC()}
	}
	return out, nil
}
