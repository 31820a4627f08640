-- Two-step sign-in (TOTP, RFC 6238). `id` is the user's id. The secret is encrypted by the
-- application and bound to this row; `last_step` is the last 30-second step whose code was
-- accepted, so a code signs in once.
CREATE TABLE user_mfa (
    id UUID PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    last_step BIGINT NOT NULL,
    enrolled_at TIMESTAMPTZ NOT NULL
);
-- Single-use recovery codes, for a lost phone: only their hashes are kept.
CREATE TABLE recovery_codes (
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);
