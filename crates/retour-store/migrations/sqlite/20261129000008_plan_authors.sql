-- Plan authors in rows of their own, one per person and plan version, written in the same
-- transaction as the line or move that makes someone an author. A JSON list rewritten by every
-- writer lost authors when two people edited at once, and an unreadable list read as "nobody".
CREATE TABLE plan_authors (
    case_id BLOB NOT NULL REFERENCES plans(case_id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    user_id BLOB NOT NULL,
    PRIMARY KEY (case_id, version, user_id)
);
INSERT INTO plan_authors (case_id, version, user_id)
SELECT p.case_id, p.version, unhex(replace(j.value, '-', ''))
FROM plans p, json_each(p.authors) j;
ALTER TABLE plans DROP COLUMN authors;
