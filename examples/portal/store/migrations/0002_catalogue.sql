-- 0002: the catalogue (provinces, cities, registration authorities, confirmation points,
-- windows), reviewer staff, the national certificate records, the information-centre
-- records and schools.

CREATE TABLE provinces (
    code TEXT PRIMARY KEY,                       -- GB/T 2260 two-digit code, e.g. '45'
    name TEXT NOT NULL,
    CHECK (length(code) = 2)
);

CREATE TABLE cities (
    code TEXT PRIMARY KEY,                       -- GB/T 2260 six-digit code, e.g. '450100'
    province_code TEXT NOT NULL REFERENCES provinces (code),
    name TEXT NOT NULL,
    CHECK (length(code) = 6)
);
CREATE INDEX cities_province ON cities (province_code);

CREATE TABLE authorities (
    id {{ID}},
    name TEXT NOT NULL,
    province_code TEXT NOT NULL REFERENCES provinces (code),
    city_code TEXT NOT NULL REFERENCES cities (code),
    stages TEXT NOT NULL DEFAULT '',             -- registration.Stage codes, comma-separated
    kinds TEXT NOT NULL DEFAULT '',              -- certificate.Kind codes, comma-separated
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT ''
);
CREATE INDEX authorities_place ON authorities (province_code, city_code);

CREATE TABLE confirmation_points (
    id {{ID}},
    authority_id BIGINT NOT NULL REFERENCES authorities (id),
    name TEXT NOT NULL,
    scope_text TEXT NOT NULL DEFAULT '',         -- 确认范围 as shown
    scope TEXT NOT NULL DEFAULT '{}',            -- registration.Scope as JSON
    notes TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX confirmation_points_authority ON confirmation_points (authority_id);

CREATE TABLE windows (
    id {{ID}},
    authority_id BIGINT NOT NULL REFERENCES authorities (id),
    stage SMALLINT NOT NULL,                     -- registration.Stage code
    opens_at {{TS}} NOT NULL,
    closes_at {{TS}} NOT NULL,
    CHECK (closes_at > opens_at)
);
CREATE INDEX windows_authority ON windows (authority_id, stage);

CREATE TABLE staff (
    id {{ID}},
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('confirmation_point', 'authority', 'admin')),
    authority_id BIGINT REFERENCES authorities (id),
    point_id BIGINT REFERENCES confirmation_points (id),
    password_hash TEXT NOT NULL,
    totp_secret TEXT NOT NULL DEFAULT '',
    totp_last_counter BIGINT NOT NULL DEFAULT 0, -- last accepted TOTP time step (replay guard)
    totp_enrolled_at {{TS}},
    created_at {{TS}} NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK ((role = 'confirmation_point' AND point_id IS NOT NULL)
        OR (role = 'authority' AND authority_id IS NOT NULL)
        OR role = 'admin')
);

CREATE TABLE certificates (
    number TEXT PRIMARY KEY,                     -- 15 or 17 digits
    holder_doc_type SMALLINT NOT NULL,
    holder_doc_number TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    kind SMALLINT NOT NULL CHECK (kind BETWEEN 1 AND 7),
    subject TEXT NOT NULL DEFAULT '',
    authority TEXT NOT NULL DEFAULT '',          -- 认定机构名称
    issued_on {{TS}} NOT NULL,
    first_registered BOOLEAN NOT NULL DEFAULT FALSE,
    first_registered_on {{TS}},
    manual BOOLEAN NOT NULL DEFAULT FALSE,
    added_by BIGINT REFERENCES accounts (id)     -- the account that added a manual certificate
);
CREATE INDEX certificates_holder ON certificates (holder_doc_number, holder_name);

CREATE TABLE exam_records (
    id {{ID}},
    holder_doc_number TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    proof_number TEXT NOT NULL,                  -- 考试合格证明编号
    kind SMALLINT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    passed_on {{TS}} NOT NULL,
    valid_until {{TS}}
);
CREATE INDEX exam_records_holder ON exam_records (holder_doc_number, holder_name);

CREATE TABLE mandarin_certificates (
    id {{ID}},
    holder_doc_number TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    number TEXT NOT NULL,
    level TEXT NOT NULL,                         -- form.MandarinLevel code
    score TEXT NOT NULL DEFAULT '',
    issuer TEXT NOT NULL DEFAULT '',
    issued_on {{TS}} NOT NULL
);
CREATE INDEX mandarin_certificates_holder ON mandarin_certificates (holder_doc_number, holder_name);

CREATE TABLE education_records (
    id {{ID}},
    holder_doc_number TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    level TEXT NOT NULL,                         -- form.Education code
    school TEXT NOT NULL,
    major TEXT NOT NULL DEFAULT '',
    study_mode TEXT NOT NULL DEFAULT '',         -- form.StudyMode code
    certificate_number TEXT NOT NULL DEFAULT '',
    graduated_on {{TS}} NOT NULL
);
CREATE INDEX education_records_holder ON education_records (holder_doc_number, holder_name);

CREATE TABLE degree_records (
    id {{ID}},
    holder_doc_number TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    degree TEXT NOT NULL,                        -- form.Degree code
    school TEXT NOT NULL,
    major TEXT NOT NULL DEFAULT '',
    certificate_number TEXT NOT NULL DEFAULT '',
    awarded_on {{TS}} NOT NULL
);
CREATE INDEX degree_records_holder ON degree_records (holder_doc_number, holder_name);

CREATE TABLE other_certificates (
    id {{ID}},
    holder_doc_number TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    title TEXT NOT NULL,
    number TEXT NOT NULL DEFAULT '',
    issuer TEXT NOT NULL DEFAULT '',
    issued_on {{TS}}
);
CREATE INDEX other_certificates_holder ON other_certificates (holder_doc_number, holder_name);

CREATE TABLE schools (
    id {{ID}},
    name TEXT NOT NULL,
    school_type TEXT NOT NULL DEFAULT '',        -- form.SchoolType code
    added_by BIGINT REFERENCES accounts (id),    -- NULL: from the catalogue
    created_at {{TS}} NOT NULL,
    UNIQUE (name, school_type)
);
