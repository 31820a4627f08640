-- The audit page filters by case, by actor or by action and pages by id (UUID v7, so in time
-- order): each filter walks its own (column, id) index, never the table.
DROP INDEX audit_log_case;
DROP INDEX audit_log_actor;
CREATE INDEX audit_log_case ON audit_log (case_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
