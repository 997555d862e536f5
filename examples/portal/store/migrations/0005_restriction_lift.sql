-- Lifting a 限制库 entry (解除限制): the entry stays, marked with when, by whom and why, so the
-- list keeps the decision; the submission gate (Store.Restrictions) no longer sees it.
ALTER TABLE restrictions ADD COLUMN lifted_at {{TS}};
ALTER TABLE restrictions ADD COLUMN lifted_by BIGINT REFERENCES staff (id);
ALTER TABLE restrictions ADD COLUMN lift_note TEXT NOT NULL DEFAULT '';
