-- Sign-in sessions (only a hash of the cookie value is stored), personal API tokens (hashed),
-- per-office status counts kept up to date by every write (the home page never counts rows), and
-- the other spellings of persons' names for search.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE status_counts (
    office TEXT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (office, status)
);

CREATE TABLE person_names (
    person_id UUID NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    name_folded TEXT NOT NULL,
    name_key TEXT NOT NULL
);
CREATE INDEX person_names_folded ON person_names (name_folded);
CREATE INDEX person_names_key ON person_names (name_key);
CREATE INDEX person_names_person ON person_names (person_id);
