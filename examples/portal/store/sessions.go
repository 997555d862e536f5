package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Session is one server-side session (会话). Key identifies it: the hex SHA-256 of the
// cookie's random id (≥ 128 bits), computed by the caller, so the table holds nothing that
// could be replayed as a cookie. Data is the caller's encoded session values.
type Session struct {
	Key        string
	Kind       string // e.g. "applicant", "staff"
	AccountID  int64  // the applicant, 0 when none
	StaffID    int64  // the staff member, 0 when none
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end; the caller also applies its idle limit to LastSeenAt
	Data       []byte
}

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions"`

	IDHash     string    `bun:"id_hash,pk"`
	Kind       string    `bun:"kind,notnull"`
	AccountID  int64     `bun:"account_id,nullzero"`
	StaffID    int64     `bun:"staff_id,nullzero"`
	CreatedAt  time.Time `bun:"created_at,notnull"`
	LastSeenAt time.Time `bun:"last_seen_at,notnull"`
	ExpiresAt  time.Time `bun:"expires_at,notnull"`
	Data       []byte    `bun:"data,notnull"`
}

func (r sessionRow) domain() Session {
	return Session{Key: r.IDHash, Kind: r.Kind, AccountID: r.AccountID, StaffID: r.StaffID,
		CreatedAt: r.CreatedAt.UTC(), LastSeenAt: r.LastSeenAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), Data: r.Data}
}

// Session returns the session with key, or ErrNotFound. Expiry is the caller's to judge
// (ExpiresAt, LastSeenAt) with its own clock.
func (s *Store) Session(ctx context.Context, key string) (Session, error) {
	var rows []sessionRow
	if err := s.prepared(ctx, sessionQuery, &rows, key); err != nil {
		return Session{}, s.wrap("session", err)
	}
	if len(rows) == 0 {
		return Session{}, newError(ErrNotFound, "session")
	}
	return rows[0].domain(), nil
}

// sessionQuery runs at every request with a session cookie: prepared (see prepared).
var sessionQuery = newPreparedQuery(`SELECT id_hash, kind, account_id, staff_id, created_at, last_seen_at, expires_at, data
	FROM sessions WHERE id_hash = ?`)

// SaveSession inserts the session or replaces the one with the same key.
func (s *Store) SaveSession(ctx context.Context, se Session) error {
	data := se.Data
	if data == nil {
		data = []byte{}
	}
	row := sessionRow{IDHash: se.Key, Kind: se.Kind, AccountID: se.AccountID, StaffID: se.StaffID,
		CreatedAt: ts(se.CreatedAt), LastSeenAt: ts(se.LastSeenAt), ExpiresAt: ts(se.ExpiresAt), Data: data}
	_, err := s.idb.NewInsert().Model(&row).On("CONFLICT (id_hash) DO UPDATE").
		Set("kind = EXCLUDED.kind").Set("account_id = EXCLUDED.account_id").
		Set("staff_id = EXCLUDED.staff_id").Set("created_at = EXCLUDED.created_at").
		Set("last_seen_at = EXCLUDED.last_seen_at").Set("expires_at = EXCLUDED.expires_at").
		Set("data = EXCLUDED.data").Exec(ctx)
	return s.wrap("save session", err)
}

// TouchSession records activity at lastSeen; ErrNotFound when the session is gone.
func (s *Store) TouchSession(ctx context.Context, key string, lastSeen time.Time) error {
	res, err := s.idb.NewUpdate().Model((*sessionRow)(nil)).Set("last_seen_at = ?", ts(lastSeen)).
		Where("id_hash = ?", key).Exec(ctx)
	return s.wrap("touch session", affectedOne(res, err))
}

// DeleteSession deletes the session; an unknown key is not an error.
func (s *Store) DeleteSession(ctx context.Context, key string) error {
	_, err := s.idb.NewDelete().Model((*sessionRow)(nil)).Where("id_hash = ?", key).Exec(ctx)
	return s.wrap("delete session", err)
}

// DeleteSessionsForAccount deletes every session of the applicant except the one with
// keepKey ("" keeps none): after a password change, other devices are logged out.
func (s *Store) DeleteSessionsForAccount(ctx context.Context, accountID int64, keepKey string) (int64, error) {
	res, err := s.idb.NewDelete().Model((*sessionRow)(nil)).
		Where("account_id = ?", accountID).Where("id_hash <> ?", keepKey).Exec(ctx)
	return rowsAffected(res, err, s, "delete account sessions")
}

// DeleteSessionsForStaff deletes every session of the staff member except keepKey.
func (s *Store) DeleteSessionsForStaff(ctx context.Context, staffID int64, keepKey string) (int64, error) {
	res, err := s.idb.NewDelete().Model((*sessionRow)(nil)).
		Where("staff_id = ?", staffID).Where("id_hash <> ?", keepKey).Exec(ctx)
	return rowsAffected(res, err, s, "delete staff sessions")
}

// PruneExpired deletes sessions whose ExpiresAt is not after now and expired captcha
// challenges, one-time codes, reset tokens and throttle counters; it returns how many rows
// went. The portal may call it every few minutes.
func (s *Store) PruneExpired(ctx context.Context, now time.Time) (int64, error) {
	var total int64
	for _, q := range []struct {
		model any
		col   string
	}{
		{(*sessionRow)(nil), "expires_at"},
		{(*captchaRow)(nil), "expires_at"},
		{(*codeRow)(nil), "expires_at"},
		{(*resetTokenRow)(nil), "expires_at"},
		{(*throttleRow)(nil), "expires_at"},
	} {
		res, err := s.idb.NewDelete().Model(q.model).Where("? <= ?", bun.Ident(q.col), ts(now)).Exec(ctx)
		n, err := rowsAffected(res, err, s, "prune expired")
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

func rowsAffected(res interface{ RowsAffected() (int64, error) }, err error, s *Store, op string) (int64, error) {
	if err != nil {
		return 0, s.wrap(op, err)
	}
	n, err := res.RowsAffected()
	return n, s.wrap(op, err)
}
