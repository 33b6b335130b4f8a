-- The dashboard lists merchants by name, in keyset pages on (name, id). Its list of failed webhook
-- deliveries uses webhook_deliveries_failed from V13.
CREATE INDEX merchants_name ON merchants (name, id);
