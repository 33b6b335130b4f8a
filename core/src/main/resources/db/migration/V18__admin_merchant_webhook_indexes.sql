-- The dashboard lists failed webhook deliveries across merchants, most recently failed first.
CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (updated_at DESC, id DESC) WHERE status = 'FAILED';

-- The dashboard lists merchants by name, in keyset pages on (name, id).
CREATE INDEX merchants_name ON merchants (name, id);
