-- Indexes for the dashboard's lists. The invoice list's pages are keyset pages on (created_at, id),
-- newest first, and phone and api_ref filters match by prefix with LIKE 'prefix%', which a
-- b-tree serves only with text_pattern_ops when the database collation is not C.
CREATE INDEX invoices_created_id ON invoices (created_at DESC, id DESC);
CREATE INDEX invoices_state_created_id ON invoices (state, created_at DESC, id DESC);
CREATE INDEX invoices_phone_prefix ON invoices (phone text_pattern_ops);
CREATE INDEX invoices_api_ref_prefix ON invoices (api_ref text_pattern_ops);

-- The dashboard's Webhooks page lists deliveries that failed for good, newest first.
CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (updated_at DESC, id DESC) WHERE status = 'FAILED';
