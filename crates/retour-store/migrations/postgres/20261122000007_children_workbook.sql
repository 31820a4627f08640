-- Children in a case (best-interests assessments; unaccompanied minors' guardian and reception
-- check; parents' consent for the workbook) and the children's workbook (doeboek): hand-outs,
-- stock per office and edition, and orders from organisations. Welfare texts (summary,
-- conclusion, consulted names, guardian, reception description) are encrypted by the application.
CREATE TABLE best_interests (
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id UUID NOT NULL,
    assessed_on DATE NOT NULL,
    assessed_by TEXT NOT NULL,
    consulted_parents BOOLEAN NOT NULL,
    consulted_guardian BOOLEAN NOT NULL,
    consulted_child BOOLEAN NOT NULL,
    consulted_names TEXT NOT NULL,
    summary TEXT NOT NULL,
    conclusion TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_id, person_id)
);

CREATE TABLE guardians (
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id UUID NOT NULL,
    name TEXT NOT NULL,
    organisation TEXT NOT NULL,
    appointed_on DATE NOT NULL,
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_id, person_id)
);

CREATE TABLE reception_checks (
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id UUID NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    checked_on DATE NOT NULL,
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_id, person_id)
);

CREATE TABLE workbook_consents (
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id UUID NOT NULL,
    parent_id UUID NOT NULL,
    consented_on DATE NOT NULL,
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_id, person_id)
);

CREATE TABLE workbook_handouts (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id UUID NOT NULL,
    edition TEXT NOT NULL,
    handed_on DATE NOT NULL,
    handed_by UUID NOT NULL,
    location TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (case_id, person_id)
);

CREATE TABLE workbook_stock (
    location TEXT NOT NULL,
    edition TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity >= 0),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (location, edition)
);

CREATE TABLE workbook_order_counters (
    year INTEGER PRIMARY KEY NOT NULL,
    last_number BIGINT NOT NULL
);

CREATE TABLE workbook_orders (
    id UUID PRIMARY KEY NOT NULL,
    number TEXT NOT NULL UNIQUE,
    organisation TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    decided_by UUID,
    decided_at TIMESTAMPTZ
);
CREATE INDEX workbook_orders_status ON workbook_orders (status, id);

CREATE TABLE workbook_order_lines (
    order_id UUID NOT NULL REFERENCES workbook_orders(id) ON DELETE CASCADE,
    edition TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, edition)
);
