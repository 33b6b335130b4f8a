-- Status queries: when the poller next asks Daraja about an open invoice, how often it has, and
-- which instance holds the query now.
ALTER TABLE invoices
    ADD COLUMN accepted_at        TIMESTAMPTZ,
    ADD COLUMN next_query_at      TIMESTAMPTZ,
    ADD COLUMN query_attempts     INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN query_lease_until  TIMESTAMPTZ,
    ADD COLUMN last_query_at      TIMESTAMPTZ,
    ADD COLUMN last_evidence_at   TIMESTAMPTZ;

CREATE INDEX invoices_due_queries ON invoices (next_query_at)
    WHERE state IN ('PENDING', 'PROCESSING') AND next_query_at IS NOT NULL;
CREATE INDEX invoices_open_created ON invoices (created_at) WHERE state IN ('PENDING', 'PROCESSING');
