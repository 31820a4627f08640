-- Persons of a newly registered household who may be persons Retour already holds: a possible
-- duplicate, or a prior beneficiary (the earlier case received support within the policy's
-- look-back). Recorded at registration, decided by a programme manager: confirmed (for a prior
-- beneficiary, the exclusion applies) or dismissed as a different person, with a reason.
CREATE TABLE person_links (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id UUID NOT NULL,
    other_case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    other_person_id UUID NOT NULL,
    kind TEXT NOT NULL,
    score TEXT NOT NULL,
    reasons TEXT NOT NULL,
    support_on DATE,
    status TEXT NOT NULL,
    decided_by UUID REFERENCES users(id),
    decided_at TIMESTAMPTZ,
    decision_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (person_id, other_person_id)
);
CREATE INDEX person_links_status ON person_links (status, id);
CREATE INDEX person_links_case ON person_links (case_id, id);
