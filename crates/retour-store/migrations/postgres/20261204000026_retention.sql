-- Retention: the day a case ended (closed, withdrawn, no-show), and when each category of its
-- details was erased under the policy's retention rules.
ALTER TABLE cases ADD COLUMN ended_on DATE;
ALTER TABLE cases ADD COLUMN notes_erased_on DATE;
ALTER TABLE cases ADD COLUMN identity_erased_on DATE;
ALTER TABLE cases ADD COLUMN proofs_erased_on DATE;
UPDATE cases SET ended_on = (
    SELECT (MAX(t.at) AT TIME ZONE 'UTC')::date FROM case_transitions t
    WHERE t.case_id = cases.id AND t.to_status = cases.status
) WHERE status IN ('closed', 'withdrawn', 'no_show');
CREATE INDEX cases_ended ON cases (ended_on) WHERE ended_on IS NOT NULL;
ALTER TABLE documents ADD COLUMN erased_on DATE;
-- What is left of a pseudonymised person for the prior-support rule: a keyed hash of their
-- folded names and birth date (the key never leaves the application), and their last support.
CREATE TABLE person_pseudonyms (
    person_id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    key_hash TEXT NOT NULL,
    support_on DATE
);
CREATE INDEX person_pseudonyms_key ON person_pseudonyms (key_hash);
