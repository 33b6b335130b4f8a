-- Inbound text messages from Africa's Talking, keyed by Africa's Talking's message id. Africa's
-- Talking posts a message again when its first post was not acknowledged, and the primary key
-- makes the second copy's insert do nothing, so a PAY creates one invoice.
CREATE TABLE sms_inbound (
    message_id   TEXT PRIMARY KEY,
    phone        TEXT NOT NULL,
    text         TEXT NOT NULL,
    invoice_id   TEXT REFERENCES invoices (id),
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
