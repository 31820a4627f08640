-- Core tables. Keep column names and order identical to ../postgres (schema-parity test).
CREATE TABLE users (
    id UUID PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    office TEXT,
    partner_org TEXT,
    locale TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE case_reference_counters (
    year INTEGER PRIMARY KEY NOT NULL,
    last_number BIGINT NOT NULL
);

CREATE TABLE cases (
    id UUID PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    destination_country TEXT NOT NULL,
    destination_place TEXT NOT NULL,
    location_kind TEXT NOT NULL,
    location_name TEXT NOT NULL,
    office TEXT NOT NULL,
    counsellor_id UUID REFERENCES users(id),
    partner_org TEXT,
    application_date DATE,
    planned_departure_date DATE,
    departure_date DATE,
    transport TEXT,
    travel_document TEXT,
    asylum_history TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX cases_office_status ON cases (office, status);
CREATE INDEX cases_counsellor ON cases (counsellor_id, id);
CREATE INDEX cases_partner ON cases (partner_org, id);

CREATE TABLE persons (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    relationship TEXT NOT NULL,
    family_name TEXT NOT NULL,
    given_names TEXT NOT NULL,
    other_names TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    name_key TEXT NOT NULL,
    birth_date DATE NOT NULL,
    birth_precision TEXT NOT NULL,
    sex TEXT NOT NULL,
    nationalities TEXT NOT NULL,
    languages TEXT NOT NULL,
    documents TEXT NOT NULL
);
CREATE INDEX persons_case ON persons (case_id, position);
CREATE INDEX persons_name ON persons (name_folded);
CREATE INDEX persons_name_key ON persons (name_key);

CREATE TABLE case_transitions (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_id UUID NOT NULL REFERENCES users(id),
    at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL,
    departure_date DATE,
    transport TEXT,
    travel_document TEXT
);
CREATE INDEX case_transitions_case ON case_transitions (case_id, at);

CREATE TABLE case_notes (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    author_id UUID NOT NULL REFERENCES users(id),
    at TIMESTAMPTZ NOT NULL,
    sensitivity TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, at);
