-- The numbers index holds numbered records only. Holding the unnumbered ones too (all NULL),
-- it was the planner's pick for `seq IS NULL`, so each sealing batch read every record not yet
-- numbered and sorted them: a backlog of millions made sealing slower with every batch.
DROP INDEX audit_log_seq;
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq) WHERE seq IS NOT NULL;
