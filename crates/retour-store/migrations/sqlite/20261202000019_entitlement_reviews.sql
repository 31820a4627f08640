-- Changes to a household after its entitlement was frozen. A review holds the entitlement
-- computed again under the frozen policy version, the frozen one it would replace, the lines
-- that differ, and the programme manager's decision: confirmed (the new one is frozen), kept
-- (the old one stays, with a reason) or lapsed (the household came back to what was frozen).
-- At most one review is open per case; it is updated while the household keeps changing.
CREATE TABLE entitlement_reviews (
    id BLOB PRIMARY KEY NOT NULL,
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    revision BIGINT NOT NULL,
    input TEXT NOT NULL,
    quote TEXT NOT NULL,
    frozen_quote TEXT NOT NULL,
    changes TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by BLOB REFERENCES users(id),
    reason TEXT
);
CREATE UNIQUE INDEX entitlement_reviews_open ON entitlement_reviews (case_id) WHERE status = 'open';
CREATE INDEX entitlement_reviews_case ON entitlement_reviews (case_id, id);
