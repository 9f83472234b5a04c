-- Accounts, sessions, API tokens, login throttling and the audit trail.
-- Booleans are 0/1 integers; times are timestamps in UTC.

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    -- The login name, lower-case NFC; unique.
    username            TEXT NOT NULL,
    display_name        TEXT NOT NULL,
    -- argon2id PHC string; empty until the account is set up.
    password_hash       TEXT NOT NULL DEFAULT '',
    role                TEXT NOT NULL,
    clearance           TEXT NOT NULL DEFAULT 'THUONG',
    member_id           INTEGER REFERENCES members (id),
    totp_secret         TEXT NOT NULL DEFAULT '',
    totp_enabled        INTEGER NOT NULL DEFAULT 0,
    -- The last TOTP time step accepted: a code is never accepted twice.
    totp_last_counter   INTEGER NOT NULL DEFAULT 0,
    -- Demo accounts have published passwords; production refuses to start
    -- while one exists.
    demo                INTEGER NOT NULL DEFAULT 0,
    disabled_at         TIMESTAMP,
    password_changed_at TIMESTAMP,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);

CREATE TABLE user_scopes (
    user_id INTEGER NOT NULL REFERENCES users (id),
    org_id  INTEGER NOT NULL REFERENCES orgs (id),
    PRIMARY KEY (user_id, org_id)
);

CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMP,
    PRIMARY KEY (user_id, code_hash)
);

-- Sessions live in the database so that several app servers share them.
-- Only the SHA-256 of the session id is stored.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    -- The absolute end of the session, whatever the activity.
    expires_at   TIMESTAMP NOT NULL,
    -- 1 once the second factor was given (or was not required).
    mfa_passed   INTEGER NOT NULL DEFAULT 0,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed-login counters per account and per client address.
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_failure TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

CREATE TABLE login_history (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER REFERENCES users (id),
    at         TIMESTAMP NOT NULL,
    outcome    TEXT NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_history_user ON login_history (user_id, at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    role         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE api_token_scopes (
    token_id INTEGER NOT NULL REFERENCES api_tokens (id),
    org_id   INTEGER NOT NULL REFERENCES orgs (id),
    PRIMARY KEY (token_id, org_id)
);

-- One-time links that let the first administrator set a password.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);

-- The audit trail: append-only, hash-chained (internal/audit).
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    actor_id    INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    org_id      INTEGER NOT NULL,
    before      TEXT,
    after       TEXT,
    reason      TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- The chain head. Appending first updates this single row, which
-- serialises appenders on both engines.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- +begin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +end
-- +begin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +end
