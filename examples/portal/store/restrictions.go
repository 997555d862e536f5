package store

import (
	"context"
	"time"
)

// LiftRestriction lifts the 限制库 entry id (解除限制) at at, by the staff member by, for the
// reason note: the entry stays in ListRestrictions, marked, and Restrictions (the submission
// gate) no longer returns it. ErrNotFound when there is no such entry or it is lifted already.
func (s *Store) LiftRestriction(ctx context.Context, id, by int64, note string, at time.Time) error {
	res, err := s.idb.NewUpdate().Model((*restrictionRow)(nil)).
		Set("lifted_at = ?", ts(at)).Set("lifted_by = ?", by).Set("lift_note = ?", note).
		Where("id = ?", id).Where("lifted_at IS NULL").Exec(ctx)
	return s.wrap("lift restriction", affectedOne(res, err))
}

// RestrictionByID returns the 限制库 entry id, or ErrNotFound.
func (s *Store) RestrictionByID(ctx context.Context, id int64) (RestrictionEntry, error) {
	var row restrictionRow
	if err := s.idb.NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return RestrictionEntry{}, s.wrap("restriction", err)
	}
	return row.entry(), nil
}
