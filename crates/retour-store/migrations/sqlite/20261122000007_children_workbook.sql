-- Children in a case (best-interests assessments; unaccompanied minors' guardian and reception
-- check; parents' consent for the workbook) and the children's workbook (doeboek): hand-outs,
-- stock per office and edition, and orders from organisations. Welfare texts (summary,
-- conclusion, consulted names, guardian, reception description) are encrypted by the application.
CREATE TABLE best_interests (
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id BLOB NOT NULL,
    assessed_on TEXT NOT NULL,
    assessed_by TEXT NOT NULL,
    consulted_parents BOOLEAN NOT NULL,
    consulted_guardian BOOLEAN NOT NULL,
    consulted_child BOOLEAN NOT NULL,
    consulted_names TEXT NOT NULL,
    summary TEXT NOT NULL,
    conclusion TEXT NOT NULL,
    recorded_by BLOB NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (case_id, person_id)
);

CREATE TABLE guardians (
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id BLOB NOT NULL,
    name TEXT NOT NULL,
    organisation TEXT NOT NULL,
    appointed_on TEXT NOT NULL,
    recorded_by BLOB NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (case_id, person_id)
);

CREATE TABLE reception_checks (
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id BLOB NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    recorded_by BLOB NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (case_id, person_id)
);

CREATE TABLE workbook_consents (
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id BLOB NOT NULL,
    parent_id BLOB NOT NULL,
    consented_on TEXT NOT NULL,
    recorded_by BLOB NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (case_id, person_id)
);

CREATE TABLE workbook_handouts (
    id BLOB PRIMARY KEY NOT NULL,
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id BLOB NOT NULL,
    edition TEXT NOT NULL,
    handed_on TEXT NOT NULL,
    handed_by BLOB NOT NULL,
    location TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (case_id, person_id)
);

CREATE TABLE workbook_stock (
    location TEXT NOT NULL,
    edition TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity >= 0),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (location, edition)
);

CREATE TABLE workbook_order_counters (
    year INTEGER PRIMARY KEY NOT NULL,
    last_number BIGINT NOT NULL
);

CREATE TABLE workbook_orders (
    id BLOB PRIMARY KEY NOT NULL,
    number TEXT NOT NULL UNIQUE,
    organisation TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    decided_by BLOB,
    decided_at TEXT
);
CREATE INDEX workbook_orders_status ON workbook_orders (status, id);

CREATE TABLE workbook_order_lines (
    order_id BLOB NOT NULL REFERENCES workbook_orders(id) ON DELETE CASCADE,
    edition TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, edition)
);
