-- Tamper evidence for the audit trail (see src/audit_chain.rs). Each record carries its seal
-- (a keyed hash of what it says, written with it); a sealing job then gives it a sequence
-- number and a link (a keyed hash over the previous link, the number and the seal).
ALTER TABLE audit_log ADD COLUMN seal BYTEA;
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN link BYTEA;
CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq);
CREATE INDEX audit_log_unsealed ON audit_log (id) WHERE seq IS NULL;
-- Records written before this migration have no seal: they are sealed from what they say when
-- they are numbered. Any later record without a seal was not written by Retour.
CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    legacy_until UUID
);
INSERT INTO audit_chain (id, legacy_until) VALUES (1, (SELECT id FROM audit_log ORDER BY id DESC LIMIT 1));
-- Records are never deleted or truncated, and once numbered never changed; before that only the
-- number and link may be set. This holds for the application's role (only a superuser
-- disabling the trigger gets past it, and the chain shows what they did).
CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		IF OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.link IS NOT NULL
			AND NEW.id = OLD.id AND NEW.at = OLD.at
			AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
			AND NEW.action = OLD.action AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id
			AND NEW.detail = OLD.detail AND NEW.seal IS NOT DISTINCT FROM OLD.seal THEN
			RETURN NEW;
		END IF;
		RAISE EXCEPTION 'audit records are never changed';
	END IF;
	RAISE EXCEPTION 'audit records are never deleted';
END
$$;
CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_guard();
