-- A counsellor's name search pages through the bearers of one key in person order, straight
-- from the index (a page of a common name reads one page, not every bearer); the birth year
-- stays in the index, as a filter read on the way.
DROP INDEX name_keys_office;
CREATE INDEX name_keys_office ON name_keys (office, key, person_id, birth_year);
