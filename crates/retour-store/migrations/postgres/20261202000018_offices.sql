-- Offices are records: cases and counsellors name one by its code, pages show its name. The
-- offices already in use are kept, named by their code until an administrator names them.
CREATE TABLE offices (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
INSERT INTO offices (id, name, created_at)
SELECT office, office, now() FROM
    (SELECT office FROM cases UNION SELECT office FROM users WHERE office IS NOT NULL) AS used;
