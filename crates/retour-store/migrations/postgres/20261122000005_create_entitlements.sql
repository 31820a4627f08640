-- What entitlements are computed from (vulnerabilities, itemised medical needs), the snapshot
-- frozen when a plan is approved, and the premium paid at departure. Evidence notes and medical
-- labels are stored encrypted by the application. Money in euro cents.
CREATE TABLE vulnerabilities (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id UUID NOT NULL,
    kind TEXT NOT NULL,
    recorded_on DATE NOT NULL,
    source TEXT NOT NULL,
    evidence TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX vulnerabilities_case ON vulnerabilities (case_id);

CREATE TABLE medical_needs (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id UUID NOT NULL,
    label TEXT NOT NULL,
    frequency TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX medical_needs_case ON medical_needs (case_id);

CREATE TABLE entitlement_snapshots (
    case_id UUID PRIMARY KEY NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    policy_id TEXT NOT NULL,
    policy_hash TEXT NOT NULL,
    input TEXT NOT NULL,
    quote TEXT NOT NULL,
    frozen_at TIMESTAMPTZ NOT NULL,
    frozen_by UUID NOT NULL
);

CREATE TABLE premium_payments (
    case_id UUID PRIMARY KEY NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    amount_cents BIGINT NOT NULL,
    paid_on DATE NOT NULL,
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
