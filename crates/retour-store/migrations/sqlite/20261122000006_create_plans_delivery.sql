-- Issue 5: partner organisations, consent records, reintegration plans, delivery, tasks.
-- Keep column names and order identical in ../postgres (schema-parity test). Money in euro cents;
-- spending keeps the paid amount, currency and rate as exact decimal text beside the euro cents.
CREATE TABLE partner_orgs (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    countries TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE consents (
    id BLOB PRIMARY KEY NOT NULL,
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id BLOB NOT NULL,
    purpose TEXT NOT NULL,
    partner_org TEXT REFERENCES partner_orgs(id),
    given_on TEXT NOT NULL,
    withdrawn_on TEXT,
    recorded_by BLOB NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX consents_case ON consents (case_id, id);

CREATE TABLE plans (
    case_id BLOB PRIMARY KEY NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    authors TEXT NOT NULL,
    submitted_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX plans_status ON plans (status, case_id);

CREATE TABLE plan_lines (
    id BLOB PRIMARY KEY NOT NULL,
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    employment_kind TEXT,
    description TEXT NOT NULL,
    provider TEXT NOT NULL,
    target_date TEXT,
    planned_cents BIGINT NOT NULL,
    approved_cents BIGINT,
    removed BOOLEAN NOT NULL,
    expires_on TEXT,
    expired BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX plan_lines_case ON plan_lines (case_id, id);
CREATE INDEX plan_lines_expiry ON plan_lines (expires_on, id);

CREATE TABLE plan_approvals (
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    approver_id BLOB NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (case_id, version, approver_id)
);

CREATE TABLE plan_versions (
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    approved_at TEXT NOT NULL,
    total_cents BIGINT NOT NULL,
    lines TEXT NOT NULL,
    approvers TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    policy_hash TEXT NOT NULL,
    PRIMARY KEY (case_id, version)
);

CREATE TABLE arrivals (
    case_id BLOB PRIMARY KEY NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    arrived_on TEXT NOT NULL,
    recorded_by BLOB NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX arrivals_day ON arrivals (arrived_on, case_id);

CREATE TABLE documents (
    id BLOB PRIMARY KEY NOT NULL,
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by BLOB NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX documents_case ON documents (case_id, id);

CREATE TABLE spendings (
    id BLOB PRIMARY KEY NOT NULL,
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    line_id BLOB NOT NULL REFERENCES plan_lines(id),
    spent_on TEXT NOT NULL,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    rate TEXT NOT NULL,
    eur_cents BIGINT NOT NULL,
    vendor TEXT NOT NULL,
    document_id BLOB REFERENCES documents(id),
    recorded_by BLOB NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX spendings_case ON spendings (case_id, id);
CREATE INDEX spendings_line ON spendings (line_id);

CREATE TABLE checklist (
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    person_id BLOB NOT NULL,
    done_on TEXT NOT NULL,
    recorded_by BLOB NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (case_id, item, person_id)
);

CREATE TABLE appointments (
    id BLOB PRIMARY KEY NOT NULL,
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id BLOB NOT NULL,
    kind TEXT NOT NULL,
    scheduled_on TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    updated_by BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX appointments_case ON appointments (case_id, scheduled_on);
CREATE INDEX appointments_status ON appointments (status, id);

CREATE TABLE tasks (
    id BLOB PRIMARY KEY NOT NULL,
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject_id BLOB NOT NULL,
    due_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    done_at TEXT,
    done_by BLOB,
    UNIQUE (kind, subject_id)
);
CREATE INDEX tasks_case ON tasks (case_id, id);
CREATE INDEX tasks_open ON tasks (done_at, id);

CREATE TABLE final_reports (
    case_id BLOB PRIMARY KEY NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    planned_cents BIGINT NOT NULL,
    spent_cents BIGINT NOT NULL,
    submitted_by BLOB NOT NULL,
    submitted_at TEXT NOT NULL
);
