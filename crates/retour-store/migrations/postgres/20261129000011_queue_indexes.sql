-- Work queues list cases by status within a scope, plans waiting for approval, medical cases
-- waiting for pricing and visits due, a page at a time by key: each walks its own index.
CREATE INDEX cases_status ON cases (status, id);
DROP INDEX cases_office_status;
CREATE INDEX cases_office_status ON cases (office, status, id);
CREATE INDEX cases_partner_status ON cases (partner_org, status, id);
CREATE INDEX vulnerabilities_kind ON vulnerabilities (kind, case_id);
CREATE INDEX appointments_due ON appointments (status, scheduled_on, id);
