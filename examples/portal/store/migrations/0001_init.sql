-- 0001: accounts, server-side sessions, security state (captcha challenges, throttle
-- counters, reset tokens, one-time codes) and the development outbox.
-- Placeholders replaced per backend: {{ID}} (an auto-increment primary key), {{TS}} (a
-- timestamp with time zone), {{BYTES}} (a binary column). Times are stored in UTC.

CREATE TABLE accounts (
    id {{ID}},
    doc_type SMALLINT NOT NULL,                  -- account.DocType stored code
    doc_number TEXT NOT NULL,                    -- canonical form
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    registered_at {{TS}} NOT NULL,
    wechat_linked BOOLEAN NOT NULL DEFAULT FALSE,
    real_name_verified BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash TEXT NOT NULL,                 -- PHC string
    password_changed_at {{TS}} NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (doc_type, doc_number)
);
CREATE INDEX accounts_doc_number_name ON accounts (doc_number, name);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,                    -- hex SHA-256 of the cookie's random id
    kind TEXT NOT NULL,                          -- e.g. 'applicant', 'staff'
    account_id BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    staff_id BIGINT,
    created_at {{TS}} NOT NULL,
    last_seen_at {{TS}} NOT NULL,
    expires_at {{TS}} NOT NULL,
    data {{BYTES}} NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_staff ON sessions (staff_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE captcha_challenges (
    id TEXT PRIMARY KEY,
    kind SMALLINT NOT NULL,                      -- account.CaptchaKind stored code
    answer INTEGER NOT NULL,
    issued_at {{TS}} NOT NULL,
    expires_at {{TS}} NOT NULL
);
CREATE INDEX captcha_challenges_expires ON captcha_challenges (expires_at);

CREATE TABLE throttle_counters (
    key TEXT PRIMARY KEY,                        -- e.g. 'login:acct:<hash>'; never a raw ID or phone
    state TEXT NOT NULL,                         -- the throttle's serialised state
    updated_at {{TS}} NOT NULL,
    expires_at {{TS}} NOT NULL
);
CREATE INDEX throttle_counters_expires ON throttle_counters (expires_at);

CREATE TABLE reset_tokens (
    token_hash TEXT PRIMARY KEY,                 -- hex SHA-256 of the token
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    issued_at {{TS}} NOT NULL,
    expires_at {{TS}} NOT NULL,
    used_at {{TS}}
);
CREATE INDEX reset_tokens_account ON reset_tokens (account_id);

CREATE TABLE one_time_codes (
    phone TEXT NOT NULL,
    purpose SMALLINT NOT NULL,                   -- account.CodePurpose stored code
    salt TEXT NOT NULL,                          -- hex
    code_hash TEXT NOT NULL,                     -- hex SHA-256 over salt, purpose, phone, code
    issued_at {{TS}} NOT NULL,
    expires_at {{TS}} NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (phone, purpose)
);
CREATE INDEX one_time_codes_expires ON one_time_codes (expires_at);

CREATE TABLE outbox (
    id {{ID}},
    channel TEXT NOT NULL,                       -- 'email', 'sms', 'wechat'
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    sent_at {{TS}} NOT NULL
);
