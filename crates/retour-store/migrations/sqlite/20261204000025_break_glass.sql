-- Break-glass access: a user opens, with a reason, what they may not normally read on one case
-- (the case itself, or one special-category class: `class`), until `until`. The reason is
-- encrypted by the application (it may say why a life was at stake).
CREATE TABLE break_glass (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users(id),
    case_id BLOB NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    class TEXT,
    reason TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    until TEXT NOT NULL
);
-- A user's grants still running (read when their session is loaded).
CREATE INDEX break_glass_user ON break_glass (user_id, until);
-- Those of one case (its page lists them). The auditors' list reads the ids (UUID v7, in the
-- order they were opened) backwards.
CREATE INDEX break_glass_case ON break_glass (case_id, opened_at);
