-- Indexes that the benchmark suite (bench/run.sh) showed missing.

-- "My last payment" in the USSD menu and the SMS STATUS command read the newest invoice to a phone,
-- from any merchant. Without this index that read scans the whole invoices table.
CREATE INDEX invoices_phone_created ON invoices (phone, created_at DESC, id DESC);

-- The webhook claim counts each endpoint's deliveries in flight for every due candidate. Without
-- this index the count read every delivery the endpoint ever had, so each claim grew with the
-- endpoint's history.
CREATE INDEX webhook_deliveries_in_flight ON webhook_deliveries (endpoint_id, lease_until)
    WHERE status = 'PROCESSING';
