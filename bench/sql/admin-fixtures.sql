-- Invoices for the dashboard list timings (bench/admin-lists.sh), in the schema "bench" as
-- fixtures.sql keeps its own. Run with psql after admin-ui has migrated the database.
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS bench;

-- Six merchants with a settlement wallet per environment and one customer each.
INSERT INTO merchants (id, name, daraja_account)
SELECT 'MRC_ADMB' || m, 'Dashboard bench ' || m, 'default' FROM generate_series(1, 6) AS m
ON CONFLICT (id) DO NOTHING;
INSERT INTO wallets (id, merchant_id, environment, wallet_type, label)
SELECT 'wlt_ADMB' || m || e, 'MRC_ADMB' || m, e, 'SETTLEMENT', 'Settlement ' || lower(e)
FROM generate_series(1, 6) AS m, (VALUES ('TEST'), ('LIVE')) AS env (e)
ON CONFLICT DO NOTHING;
INSERT INTO customers (id, merchant_id, phone)
SELECT 'cus_admb_' || m, 'MRC_ADMB' || m, '254700000000' FROM generate_series(1, 6) AS m
ON CONFLICT DO NOTHING;

-- Inserts the invoices ADMB{n as 7 digits} for n from first to last, out of total. Invoice n is
-- created (n - 1) * 60 days / total before base, so the whole set spans 60 days, newest first.
-- Hashes of n spread the rows, with fixed shares:
--   merchant  35 %, 25 %, 18 %, 12 %, 7 % and 3 % for MRC_ADMB1 to MRC_ADMB6
--   env       LIVE, and TEST for every tenth invoice
--   state     COMPLETE 70 %, FAILED 30 %; among the newest 2,000, 5 % PROCESSING and 1 % PENDING
--   channel   API 60 %, USSD 25 %, SMS 15 %
--   phone     one of 300,000 phones spread over 2547 00000000 to 2547 99999999
--   api_ref   ORD-{n as 7 digits}, so a prefix of k digits matches 10^(7-k) invoices
--   receipt   RB{n as 8 digits} on COMPLETE invoices
CREATE OR REPLACE FUNCTION bench.make_admin_invoices(first INTEGER, last INTEGER, total INTEGER,
                                                     base TIMESTAMPTZ)
RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    made INTEGER;
BEGIN
    INSERT INTO invoices (id, session_id, merchant_id, environment, wallet_id, customer_id, channel, state,
        phone, api_ref, currency, amount, value, charges, net_amount, mobile_tarrif, account_reference,
        transaction_desc, daraja_account, callback_token, merchant_request_id, checkout_request_id,
        mpesa_reference, paid_amount, failed_code, failed_reason, host, created_at, updated_at, finished_at)
    SELECT 'ADMB' || lpad(n::TEXT, 7, '0'), gen_random_uuid(), 'MRC_ADMB' || m, env,
        'wlt_ADMB' || m || env, 'cus_admb_' || m, channel, state,
        '2547' || lpad(((hp % 300000) * 333)::TEXT, 8, '0'), 'ORD-' || lpad(n::TEXT, 7, '0'), 'KES',
        amount, amount, 0, amount, 'BUSINESS-PAYS', 'ORD-' || lpad(n::TEXT, 7, '0'), 'Payment', 'default',
        'admb' || lpad(n::TEXT, 7, '0'), 'admb-' || n, 'ws_CO_admb' || lpad(n::TEXT, 7, '0'),
        CASE WHEN state = 'COMPLETE' THEN 'RB' || lpad(n::TEXT, 8, '0') END,
        CASE WHEN state = 'COMPLETE' THEN amount END,
        CASE WHEN state = 'FAILED' THEN '1032' END,
        CASE WHEN state = 'FAILED' THEN 'Request cancelled by user' END,
        'http://127.0.0.1', created, created + interval '20 seconds',
        CASE WHEN state IN ('COMPLETE', 'FAILED') THEN created + interval '20 seconds' END
    FROM (
        SELECT n, hp, base - (n - 1) * (interval '60 days' / total) AS created,
            CASE WHEN hm < 350 THEN 1 WHEN hm < 600 THEN 2 WHEN hm < 780 THEN 3
                 WHEN hm < 900 THEN 4 WHEN hm < 970 THEN 5 ELSE 6 END AS m,
            CASE WHEN n % 10 = 0 THEN 'TEST' ELSE 'LIVE' END AS env,
            CASE WHEN n <= 2000 AND hs >= 990 THEN 'PENDING'
                 WHEN n <= 2000 AND hs >= 940 THEN 'PROCESSING'
                 WHEN hs < 700 THEN 'COMPLETE' ELSE 'FAILED' END AS state,
            CASE WHEN hc < 600 THEN 'API' WHEN hc < 850 THEN 'USSD' ELSE 'SMS' END AS channel,
            (10 + hp % 4990)::NUMERIC(14, 2) AS amount
        FROM (
            SELECT n, abs(hashint4(n)) % 1000 AS hm, abs(hashint4(n # 12345)) % 1000 AS hs,
                abs(hashint4(n # 54321)) % 1000 AS hc, abs(hashint4(n # 99991)::BIGINT) AS hp
            FROM generate_series(first, last) AS n
        ) AS hashes
    ) AS rows;
    GET DIAGNOSTICS made = ROW_COUNT;
    -- An open needs-attention item for each FAILED invoice whose n is a multiple of 500.
    INSERT INTO attention_items (subject_type, subject_id, kind, evidence, created_at)
    SELECT 'invoice', id, 'OPEN_TOO_LONG', '{"note": "bench"}', created_at + interval '10 minutes'
    FROM invoices
    WHERE id >= 'ADMB' || lpad(first::TEXT, 7, '0') AND id <= 'ADMB' || lpad(last::TEXT, 7, '0')
      AND id LIKE 'ADMB%' AND state = 'FAILED' AND right(id, 3)::INTEGER % 500 = 0
    ON CONFLICT DO NOTHING;
    RETURN made;
END
$$;
