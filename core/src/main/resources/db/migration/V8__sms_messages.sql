-- Text messages sent through Africa's Talking, one row per message and recipient.
-- QUEUED rows are due at next_attempt_at. A claim moves next_attempt_at forward by a lease, so a
-- sender that dies mid-send leaves the row to be claimed again. DELIVERED and REJECTED are for
-- delivery reports, which are not received yet.
CREATE TABLE sms_messages (
    id                   BIGSERIAL PRIMARY KEY,
    invoice_id           TEXT REFERENCES invoices (id),
    phone                TEXT NOT NULL,
    body                 TEXT NOT NULL,
    status               TEXT NOT NULL
        CHECK (status IN ('QUEUED', 'SENT', 'FAILED', 'DELIVERED', 'REJECTED')),
    provider_message_id  TEXT,
    status_code          INTEGER,
    failure_reason       TEXT,
    attempts             INTEGER NOT NULL DEFAULT 0,
    next_attempt_at      TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);

-- The sender's claim: queued messages whose attempt is due, oldest first.
CREATE INDEX sms_messages_due ON sms_messages (next_attempt_at) WHERE status = 'QUEUED';
CREATE INDEX sms_messages_invoice ON sms_messages (invoice_id) WHERE invoice_id IS NOT NULL;
