-- When a merchant last asked to send a delivery again. A replayed delivery is sent even when a
-- newer event for the same invoice exists, because the merchant asked for that older event.
ALTER TABLE webhook_deliveries ADD COLUMN replayed_at TIMESTAMPTZ;

-- The delivery log lists an endpoint's deliveries newest first.
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
