-- 0004 (Postgres): photos are JPEG, already compressed; store them out of line without
-- trying to compress them again.
ALTER TABLE photos ALTER COLUMN data SET STORAGE EXTERNAL;
