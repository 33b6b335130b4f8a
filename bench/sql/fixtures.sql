-- Benchmark fixtures, kept apart from the gateway's own tables in the schema "bench".
-- Run with psql after the api app has migrated the database and seeded the demo merchant.
CREATE SCHEMA IF NOT EXISTS bench;
CREATE SEQUENCE IF NOT EXISTS bench.callback_seq;

-- The merchant that the pgbench scripts write for, with its settlement wallet and one active
-- webhook endpoint, so that its pushes and callbacks insert one delivery each, as the demo
-- merchant's do.
INSERT INTO merchants (id, name, daraja_account) VALUES ('MRC_PGBENCH', 'pgbench', 'default')
ON CONFLICT (id) DO NOTHING;
INSERT INTO wallets (id, merchant_id, environment, wallet_type, label)
VALUES ('wlt_PGBENCH000', 'MRC_PGBENCH', 'TEST', 'SETTLEMENT', 'Settlement test')
ON CONFLICT DO NOTHING;
INSERT INTO webhook_endpoints (id, merchant_id, environment, url, challenge, signing_secret, created_at, updated_at)
VALUES ('whe_PGBENCH000', 'MRC_PGBENCH', 'TEST', 'http://127.0.0.1:9/never-called', 'pgbench',
        'whsec_pgbench_not_a_secret', now(), now())
ON CONFLICT (id) DO NOTHING;

-- Inserts invoices {id_prefix}{n as 7 digits} for n from first to last, for the merchant's test
-- settlement wallet. PROCESSING invoices get the callback token {token_prefix}{7 digits} and the
-- CheckoutRequestID ws_CO_{token_prefix}{7 digits}, as an accepted push has; COMPLETE ones get
-- a receipt, an age of up to (last - first) seconds, a webhook event and a delivered webhook to each
-- of the merchant's endpoints. Open ones are created now, so that the status poller does not list
-- them as open too long. Each invoice also gets one timeline row. Phones are distinct per prefix.
CREATE OR REPLACE FUNCTION bench.make_invoices(merchant TEXT, id_prefix TEXT, first INTEGER, last INTEGER,
                                               invoice_state TEXT, token_prefix TEXT)
RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    customer TEXT := 'cus_bench_' || lower(merchant);
    wallet TEXT;
    made INTEGER;
BEGIN
    SELECT id INTO wallet FROM wallets
    WHERE merchant_id = merchant AND environment = 'TEST' AND wallet_type = 'SETTLEMENT';
    INSERT INTO customers (id, merchant_id, phone) VALUES (customer, merchant, '254799999999')
    ON CONFLICT DO NOTHING;
    INSERT INTO invoices (id, session_id, merchant_id, environment, wallet_id, customer_id, channel, state,
        phone, api_ref, currency, amount, value, charges, net_amount, mobile_tarrif, account_reference,
        transaction_desc, daraja_account, callback_token, merchant_request_id, checkout_request_id,
        mpesa_reference, paid_amount, host, created_at, updated_at, accepted_at, finished_at)
    SELECT id_prefix || lpad(n::TEXT, 7, '0'), gen_random_uuid(), merchant, 'TEST', wallet, customer, 'API',
        invoice_state, '2547' || lpad(n::TEXT, 8, '0'), 'bench preload ' || id_prefix, 'KES', 100, 100, 2, 98,
        'BUSINESS-PAYS', 'bench', 'Payment ' || id_prefix, 'simulator', token_prefix || lpad(n::TEXT, 7, '0'),
        'bench-' || n, 'ws_CO_' || token_prefix || lpad(n::TEXT, 7, '0'),
        CASE WHEN invoice_state = 'COMPLETE' THEN 'R' || id_prefix || lpad(n::TEXT, 7, '0') END,
        CASE WHEN invoice_state = 'COMPLETE' THEN 100 END,
        'http://127.0.0.1',
        CASE WHEN invoice_state = 'COMPLETE' THEN now() - make_interval(secs => last - n + 60) ELSE now() END,
        now(), now(),
        CASE WHEN invoice_state = 'COMPLETE' THEN now() END
    FROM generate_series(first, last) AS n;
    GET DIAGNOSTICS made = ROW_COUNT;
    INSERT INTO invoice_events (invoice_id, at, kind, source, state_from, state_to, note)
    SELECT id_prefix || lpad(n::TEXT, 7, '0'), now(), 'CREATED', 'API', NULL, 'PENDING', 'bench preload'
    FROM generate_series(first, last) AS n;
    IF invoice_state = 'COMPLETE' THEN
        INSERT INTO webhook_events (id, merchant_id, environment, invoice_id, sequence, topic, payload, created_at)
        SELECT gen_random_uuid(), merchant, 'TEST', id_prefix || lpad(n::TEXT, 7, '0'), 1, 'collection_event',
            '{"state": "COMPLETE"}', now()
        FROM generate_series(first, last) AS n;
        INSERT INTO webhook_deliveries (id, event_id, endpoint_id, invoice_id, sequence, status, attempts,
            next_attempt_at, delivered_at, created_at, updated_at)
        SELECT gen_random_uuid(), ev.id, e.id, ev.invoice_id, 1, 'DELIVERED', 1, now(), now(), now(), now()
        FROM webhook_events ev JOIN webhook_endpoints e ON e.merchant_id = ev.merchant_id AND e.environment = 'TEST'
        WHERE ev.invoice_id >= id_prefix || lpad(first::TEXT, 7, '0')
          AND ev.invoice_id <= id_prefix || lpad(last::TEXT, 7, '0') AND ev.invoice_id LIKE id_prefix || '%';
    END IF;
    RETURN made;
END
$$;
