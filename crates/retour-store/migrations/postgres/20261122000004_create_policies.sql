-- Versions of the programme policy (TOML source kept verbatim, identified by its content hash).
-- The policy in force on a case's application date is the latest loaded one whose
-- effective_from is on or before that date.
CREATE TABLE policies (
    id UUID PRIMARY KEY NOT NULL,
    policy_id TEXT NOT NULL,
    effective_from DATE NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    loaded_by UUID
);
CREATE INDEX policies_effective ON policies (effective_from, loaded_at);
