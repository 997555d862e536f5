package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/tqreg/tqreg/account"
	"github.com/tqreg/tqreg/examples/portal/store"
)

// StoreSessions keeps sessions in the store's session table (a SessionRepo). The values are
// JSON in the row's data column; kind and account/staff ids are copied to their own columns so
// the store can end every session of an account (password change).
type StoreSessions struct {
	Store *store.Store
}

// LoadSession implements SessionRepo.
func (ss StoreSessions) LoadSession(ctx context.Context, key string) (SessionRecord, error) {
	se, err := ss.Store.Session(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return SessionRecord{}, ErrSessionNotFound
	}
	if err != nil {
		return SessionRecord{}, err
	}
	rec := SessionRecord{Key: se.Key, CreatedAt: se.CreatedAt, LastSeenAt: se.LastSeenAt}
	if err := json.Unmarshal(se.Data, &rec.Values); err != nil {
		return SessionRecord{}, fmt.Errorf("decode session data: %w", err)
	}
	return rec, nil
}

// SaveSession implements SessionRepo.
func (ss StoreSessions) SaveSession(ctx context.Context, rec SessionRecord) error {
	data, err := json.Marshal(rec.Values)
	if err != nil {
		return err
	}
	se := store.Session{
		Key: rec.Key, Kind: "anonymous", CreatedAt: rec.CreatedAt, LastSeenAt: rec.LastSeenAt,
		ExpiresAt: rec.CreatedAt.Add(AbsoluteTimeout), Data: data,
	}
	switch rec.Values[sessKind] {
	case "applicant":
		se.Kind = "applicant"
		se.AccountID, _ = strconv.ParseInt(rec.Values[sessAccount], 10, 64)
	case "staff":
		se.Kind = "staff"
		se.StaffID, _ = strconv.ParseInt(rec.Values["staff"], 10, 64)
	}
	return ss.Store.SaveSession(ctx, se)
}

// DeleteSession implements SessionRepo.
func (ss StoreSessions) DeleteSession(ctx context.Context, key string) error {
	return ss.Store.DeleteSession(ctx, key)
}

// loadApplicant returns the applicant with id, or errNotFound.
func (s *Server) loadApplicant(ctx context.Context, id int64) (Applicant, error) {
	a, err := s.cfg.Store.AccountByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, account.ErrNotFound) {
		return Applicant{}, errNotFound
	}
	if err != nil {
		return Applicant{}, err
	}
	return Applicant{ID: a.ID, Name: a.Name, Account: a}, nil
}
