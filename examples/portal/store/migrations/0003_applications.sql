-- 0003: applications and what hangs off them (events, messages), photos, wizard drafts,
-- restrictions (限制库), cycle records, imported 注册合格 history, number sequences (SQLite;
-- Postgres uses one database sequence per year and province, created on first use).

CREATE TABLE photos (
    key TEXT PRIMARY KEY,                        -- hex SHA-256 of data; never a client path
    data {{BYTES}} NOT NULL,
    created_at {{TS}} NOT NULL,
    CHECK (length(data) > 0 AND length(data) <= 204800),
    CHECK (length(key) = 64)
);

CREATE TABLE photo_owners (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    photo_key TEXT NOT NULL REFERENCES photos (key),
    uploaded_at {{TS}} NOT NULL,
    PRIMARY KEY (account_id, photo_key)
);

CREATE TABLE applications (
    id {{ID}},
    number TEXT NOT NULL UNIQUE,                 -- 报名号
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    certificate_number TEXT NOT NULL,
    kind SMALLINT NOT NULL,
    stage SMALLINT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    info TEXT NOT NULL,                          -- form.RegistrationInfo as JSON
    manual_certificate TEXT,                     -- certificate.Certificate as JSON when added by hand
    photo_key TEXT REFERENCES photos (key),
    window_id BIGINT REFERENCES windows (id),
    authority_id BIGINT NOT NULL REFERENCES authorities (id),
    point_id BIGINT NOT NULL REFERENCES confirmation_points (id),
    status SMALLINT NOT NULL CHECK (status IN (1, 2, 3, 4, 5, 6)), -- registration.Status codes
    version BIGINT NOT NULL DEFAULT 1,
    submitted_at {{TS}} NOT NULL,
    photo_changed_at {{TS}},
    updated_at {{TS}} NOT NULL
);
-- At most one active (网报待确认 or 已确认) application per account and certificate.
CREATE UNIQUE INDEX applications_one_active ON applications (account_id, certificate_number)
    WHERE status IN (1, 2);
CREATE INDEX applications_account ON applications (account_id, submitted_at);
CREATE INDEX applications_point_status ON applications (point_id, status, submitted_at);
CREATE INDEX applications_authority_status ON applications (authority_id, status, submitted_at);
CREATE INDEX applications_certificate ON applications (certificate_number);

CREATE TABLE application_events (
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,                        -- 0, 1, 2, … in order
    actor SMALLINT NOT NULL,                     -- registration.Actor code
    actor_name TEXT NOT NULL DEFAULT '',         -- who (staff username), for the audit
    from_status SMALLINT NOT NULL,
    to_status SMALLINT NOT NULL,
    at {{TS}} NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (application_id, seq)
);
CREATE INDEX application_events_to ON application_events (to_status, at);

CREATE TABLE application_messages (
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    sender SMALLINT NOT NULL,                    -- registration.Actor code
    at {{TS}} NOT NULL,
    body TEXT NOT NULL,
    read BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (application_id, seq)
);

CREATE TABLE drafts (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    state TEXT NOT NULL,                         -- the serialised wizard
    updated_at {{TS}} NOT NULL
);

CREATE TABLE restrictions (
    id {{ID}},
    doc_type SMALLINT NOT NULL,
    doc_number TEXT NOT NULL,
    kind SMALLINT NOT NULL,                      -- registration.RestrictionKind code
    since {{TS}} NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at {{TS}} NOT NULL
);
CREATE INDEX restrictions_doc ON restrictions (doc_number, doc_type);

CREATE TABLE cycle_records (
    certificate_number TEXT PRIMARY KEY,
    training_hours INTEGER NOT NULL DEFAULT 0 CHECK (training_hours >= 0),
    appraisals TEXT NOT NULL DEFAULT '',         -- registration.Appraisal codes, oldest first, comma-separated
    serious_misconduct BOOLEAN NOT NULL DEFAULT FALSE,
    qualification_lost BOOLEAN NOT NULL DEFAULT FALSE,
    absent_beyond_semester BOOLEAN NOT NULL DEFAULT FALSE,
    unfit BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at {{TS}} NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);

CREATE TABLE qualified_history (
    certificate_number TEXT PRIMARY KEY,         -- imported: last 注册合格 outside this system
    qualified_at {{TS}} NOT NULL
);

CREATE TABLE application_sequences (
    year INTEGER NOT NULL,
    province TEXT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (year, province)
);
