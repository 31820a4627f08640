-- The programme managers' list of recent decisions (to undo one), newest first.
CREATE INDEX person_links_decided ON person_links (decided_at, id);
