-- Issue 5: partner organisations, consent records, reintegration plans, delivery, tasks.
-- Keep column names and order identical in ../sqlite (schema-parity test). Money in euro cents;
-- spending keeps the paid amount, currency and rate as exact decimal text beside the euro cents.
CREATE TABLE partner_orgs (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    countries TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE consents (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id UUID NOT NULL,
    purpose TEXT NOT NULL,
    partner_org TEXT REFERENCES partner_orgs(id),
    given_on DATE NOT NULL,
    withdrawn_on DATE,
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX consents_case ON consents (case_id, id);

CREATE TABLE plans (
    case_id UUID PRIMARY KEY NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    authors TEXT NOT NULL,
    submitted_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX plans_status ON plans (status, case_id);

CREATE TABLE plan_lines (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    employment_kind TEXT,
    description TEXT NOT NULL,
    provider TEXT NOT NULL,
    target_date DATE,
    planned_cents BIGINT NOT NULL,
    approved_cents BIGINT,
    removed BOOLEAN NOT NULL,
    expires_on DATE,
    expired BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_lines_case ON plan_lines (case_id, id);
CREATE INDEX plan_lines_expiry ON plan_lines (expires_on, id);

CREATE TABLE plan_approvals (
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    approver_id UUID NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_id, version, approver_id)
);

CREATE TABLE plan_versions (
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    approved_at TIMESTAMPTZ NOT NULL,
    total_cents BIGINT NOT NULL,
    lines TEXT NOT NULL,
    approvers TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    policy_hash TEXT NOT NULL,
    PRIMARY KEY (case_id, version)
);

CREATE TABLE arrivals (
    case_id UUID PRIMARY KEY NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    arrived_on DATE NOT NULL,
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX arrivals_day ON arrivals (arrived_on, case_id);

CREATE TABLE documents (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by UUID NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX documents_case ON documents (case_id, id);

CREATE TABLE spendings (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    line_id UUID NOT NULL REFERENCES plan_lines(id),
    spent_on DATE NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    rate TEXT NOT NULL,
    eur_cents BIGINT NOT NULL,
    vendor TEXT NOT NULL,
    document_id UUID REFERENCES documents(id),
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX spendings_case ON spendings (case_id, id);
CREATE INDEX spendings_line ON spendings (line_id);

CREATE TABLE checklist (
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    person_id UUID NOT NULL,
    done_on DATE NOT NULL,
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_id, item, person_id)
);

CREATE TABLE appointments (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id UUID NOT NULL,
    kind TEXT NOT NULL,
    scheduled_on DATE NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    updated_by UUID NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX appointments_case ON appointments (case_id, scheduled_on);
CREATE INDEX appointments_status ON appointments (status, id);

CREATE TABLE tasks (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject_id UUID NOT NULL,
    due_on DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    done_at TIMESTAMPTZ,
    done_by UUID,
    UNIQUE (kind, subject_id)
);
CREATE INDEX tasks_case ON tasks (case_id, id);
CREATE INDEX tasks_open ON tasks (done_at, id);

CREATE TABLE final_reports (
    case_id UUID PRIMARY KEY NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    planned_cents BIGINT NOT NULL,
    spent_cents BIGINT NOT NULL,
    submitted_by UUID NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL
);
