-- Staff who sign in to the admin-ui dashboard. Passwords are stored only as bcrypt hashes.
-- failed_logins counts consecutive failed sign-ins; reaching the app's limit sets locked_until.
CREATE TABLE admin_users (
    id             BIGSERIAL PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('ADMIN', 'FINANCE', 'SUPPORT')),
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TIMESTAMPTZ,
    disabled_at    TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    last_login_at  TIMESTAMPTZ
);

-- Signed-in sessions. The cookie holds a random token; only its SHA-256 is stored, so a copy of
-- this table cannot be used to sign in. A session ends at expires_at or after the idle timeout.
CREATE TABLE admin_sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES admin_users (id),
    created_at    TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    client_ip     TEXT
);
CREATE INDEX admin_sessions_user ON admin_sessions (user_id);

-- Every sign-in and every action in the dashboard: who, what, when, from where, before and after.
-- The triggers below reject UPDATE, DELETE and TRUNCATE, so rows can only be added.
CREATE TABLE audit_log (
    id            BIGSERIAL PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    subject_type  TEXT,
    subject_id    TEXT,
    client_ip     TEXT,
    before_state  JSONB,
    after_state   JSONB,
    note          TEXT
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, id);

CREATE FUNCTION audit_log_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_reject_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_reject_change();

-- Manual decisions on an invoice (four-eyes): one person requests, a different person approves or
-- rejects. The CHECK makes self-approval impossible whatever the application does.
CREATE TABLE manual_decisions (
    id             BIGSERIAL PRIMARY KEY,
    invoice_id     TEXT NOT NULL REFERENCES invoices (id),
    decision       TEXT NOT NULL CHECK (decision IN ('COMPLETE', 'FAILED')),
    receipt        TEXT,
    note           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('REQUESTED', 'APPROVED', 'REJECTED')),
    requested_by   TEXT NOT NULL,
    requested_at   TIMESTAMPTZ NOT NULL,
    reviewed_by    TEXT,
    reviewed_at    TIMESTAMPTZ,
    review_note    TEXT,
    CHECK (reviewed_by IS NULL OR reviewed_by <> requested_by),
    CHECK (decision = 'FAILED' OR receipt IS NOT NULL)
);
-- One open request per invoice.
CREATE UNIQUE INDEX manual_decisions_one_open ON manual_decisions (invoice_id) WHERE status = 'REQUESTED';

-- The needs-attention queue lists open items oldest first.
CREATE INDEX attention_items_open_queue ON attention_items (created_at, id) WHERE resolved_at IS NULL;
