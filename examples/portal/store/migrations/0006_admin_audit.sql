-- The administrators' audit log (系统管理操作记录): one row per change of the catalogue
-- (authorities, confirmation points, windows, closing a window early) or of the 限制库, written in
-- the change's own transaction. actor and role are copied (a staff member may be renamed);
-- from_value and to_value are the zh-CN descriptions before and after ('' for a new entry).
CREATE TABLE admin_audit (
    id {{ID}},
    at {{TS}} NOT NULL,
    staff_id BIGINT REFERENCES staff (id),
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    from_value TEXT NOT NULL DEFAULT '',
    to_value TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX admin_audit_at ON admin_audit (at);

-- Who added a 限制库 entry (NULL for entries from before this migration).
ALTER TABLE restrictions ADD COLUMN created_by BIGINT REFERENCES staff (id);
