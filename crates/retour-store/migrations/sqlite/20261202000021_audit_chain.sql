-- Tamper evidence for the audit trail (see src/audit_chain.rs). Each record carries its seal
-- (a keyed hash of what it says, written with it); a sealing job then gives it a sequence
-- number and a link (a keyed hash over the previous link, the number and the seal).
ALTER TABLE audit_log ADD COLUMN seal BLOB;
ALTER TABLE audit_log ADD COLUMN seq INTEGER;
ALTER TABLE audit_log ADD COLUMN link BLOB;
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq);
CREATE INDEX audit_log_unsealed ON audit_log (id) WHERE seq IS NULL;
-- Records written before this migration have no seal: they are sealed from what they say when
-- they are numbered. Any later record without a seal was not written by Retour.
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    legacy_until BLOB
);
INSERT INTO audit_chain (id, legacy_until) SELECT 1, max(id) FROM audit_log;
-- Records are never deleted, and once numbered never changed; before that only the number and
-- link may be set.
CREATE TRIGGER audit_log_never_deleted BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit records are never deleted');
END;
CREATE TRIGGER audit_log_never_changed BEFORE UPDATE ON audit_log
WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR NEW.link IS NULL
	OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_id IS NOT OLD.actor_id
	OR NEW.action IS NOT OLD.action OR NEW.case_id IS NOT OLD.case_id
	OR NEW.detail IS NOT OLD.detail OR NEW.seal IS NOT OLD.seal
BEGIN
	SELECT RAISE(ABORT, 'audit records are never changed');
END;
