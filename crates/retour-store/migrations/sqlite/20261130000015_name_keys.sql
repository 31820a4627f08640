-- Search and matching keys of every person's names (folded words and sound keys,
-- computed by retour_domain::names), with the office and birth year, so that a lookup by key
-- runs inside the reader's scope and filters in the index. They replace person_names.
-- WITHOUT ROWID: the rows live in the primary-key tree, not in a second one beside it.
DROP TABLE person_names;
CREATE TABLE name_keys (
    key TEXT NOT NULL,
    birth_year INTEGER NOT NULL,
    person_id BLOB NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    office TEXT NOT NULL,
    PRIMARY KEY (key, birth_year, person_id)
) WITHOUT ROWID;
CREATE INDEX name_keys_office ON name_keys (office, key, birth_year, person_id);
-- A person's keys: to check a further typed word against a candidate, and for the cascade.
CREATE INDEX name_keys_person ON name_keys (person_id, key);

-- Which version of the key computation name_keys holds; the application rebuilds the keys at
-- start-up when its own version is newer (a database from before this migration starts at 0).
CREATE TABLE name_keys_version (
    id INTEGER PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL
);
INSERT INTO name_keys_version (id, version) VALUES (1, 0);
