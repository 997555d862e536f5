package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/uptrace/bun"
)

// MaxPhotoBytes is the largest photo the store keeps (200 KB, the photo spec's bound).
const MaxPhotoBytes = 200 * 1024

// ErrPhotoTooLarge refuses an empty photo or one over MaxPhotoBytes.
var ErrPhotoTooLarge = errors.New("照片文件为空或超过200KB")

type photoRow struct {
	bun.BaseModel `bun:"table:photos"`

	Key       string    `bun:"key,pk"`
	Data      []byte    `bun:"data,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

type photoOwnerRow struct {
	bun.BaseModel `bun:"table:photo_owners"`

	AccountID  int64     `bun:"account_id,pk"`
	PhotoKey   string    `bun:"photo_key,pk"`
	UploadedAt time.Time `bun:"uploaded_at,notnull"`
}

// PhotoKey is the content address of photo bytes: the hex SHA-256.
func PhotoKey(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// SavePhoto stores a photo (照片) for the account and returns its key (PhotoKey of data).
// data must be the bytes the server produced (checked and re-encoded), never a client path.
// Storing the same bytes again is harmless. ErrPhotoTooLarge for empty or > 200 KB data.
func (s *Store) SavePhoto(ctx context.Context, accountID int64, data []byte, at time.Time) (string, error) {
	if len(data) == 0 || len(data) > MaxPhotoBytes {
		return "", ErrPhotoTooLarge
	}
	key := PhotoKey(data)
	at = ts(at)
	var err error
	if s.backend == Postgres {
		// One statement: the photo (unless stored already) and its owner.
		_, err = s.execPrepared(ctx, savePhotoPG, key, data, at, accountID)
	} else {
		err = s.tx(ctx, func(ctx context.Context, db bun.IDB) error {
			p := photoRow{Key: key, Data: data, CreatedAt: at}
			if _, err := db.NewInsert().Model(&p).On("CONFLICT (key) DO NOTHING").Exec(ctx); err != nil {
				return err
			}
			o := photoOwnerRow{AccountID: accountID, PhotoKey: key, UploadedAt: at}
			_, err := db.NewInsert().Model(&o).On("CONFLICT (account_id, photo_key) DO UPDATE").
				Set("uploaded_at = EXCLUDED.uploaded_at").Exec(ctx)
			return err
		})
	}
	if err != nil {
		return "", s.wrap("save photo", err)
	}
	return key, nil
}

// Photo returns the photo's bytes, or ErrNotFound. Staff pages use it; applicant pages use
// PhotoOf, which checks ownership.
func (s *Store) Photo(ctx context.Context, key string) ([]byte, error) {
	var p photoRow
	if err := s.idb.NewSelect().Model(&p).Where("key = ?", key).Scan(ctx); err != nil {
		return nil, s.wrap("photo", err)
	}
	return p.Data, nil
}

// PhotoOf returns the photo's bytes if the account uploaded it, else ErrNotFound (the same
// answer as for an unknown key, so keys of others' photos reveal nothing).
func (s *Store) PhotoOf(ctx context.Context, accountID int64, key string) ([]byte, error) {
	var p photoRow
	err := s.idb.NewSelect().Model(&p).
		Join("JOIN photo_owners AS o ON o.photo_key = photo_row.key").
		Where("photo_row.key = ?", key).Where("o.account_id = ?", accountID).Scan(ctx)
	if err != nil {
		return nil, s.wrap("photo of account", err)
	}
	return p.Data, nil
}

// savePhotoPG stores a photo and its owner in one Postgres statement.
var savePhotoPG = newPreparedQuery(`WITH p AS (
		INSERT INTO photos (key, data, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING)
	INSERT INTO photo_owners (account_id, photo_key, uploaded_at) VALUES (?, $1, $3)
	ON CONFLICT (account_id, photo_key) DO UPDATE SET uploaded_at = EXCLUDED.uploaded_at`)
