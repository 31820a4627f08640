-- Corrections and withdrawals of recorded facts (medical needs, vulnerabilities, payments,
-- appointments, bookings): the live row changes, the earlier value stays here with the reason.
-- `before`/`after` are JSON written by the application, encrypted when the fact is sensitive.
CREATE TABLE corrections (
    id BLOB PRIMARY KEY NOT NULL,
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject_id BLOB NOT NULL,
    action TEXT NOT NULL,
    sensitivity TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT,
    reason TEXT NOT NULL,
    actor_id BLOB NOT NULL REFERENCES users(id),
    at TEXT NOT NULL
);
CREATE INDEX corrections_case ON corrections (case_id, id);

-- What a programme manager asked the authors to change when sending the plan back; cleared by
-- the next move of the plan.
ALTER TABLE plans ADD COLUMN sent_back_reason TEXT;
