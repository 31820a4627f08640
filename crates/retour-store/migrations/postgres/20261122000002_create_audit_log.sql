-- Append-only audit trail: who did or read what, when, on which case. The application never
-- updates or deletes these rows.
CREATE TABLE audit_log (
    id UUID PRIMARY KEY NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor_id UUID,
    action TEXT NOT NULL,
    case_id UUID,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_id, at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
