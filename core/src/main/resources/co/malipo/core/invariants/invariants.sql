-- Invariants that must hold after every run of the gateway once its work has settled. Each query
-- follows a line "-- invariant: NAME: DESCRIPTION" and returns one row per violation, with the
-- columns subject (what is wrong) and detail (the evidence). A query that returns no row holds.
--
-- Every "?" is bound to one text[] of merchant ids, which limits the check to those merchants'
-- invoices, wallets and endpoints, or to NULL, which checks everything. InvariantChecker runs
-- this file. The queries read only the tables the gateway writes and change nothing.

-- invariant: settled: every invoice is final (COMPLETE or FAILED) or listed as needing attention
SELECT i.id AS subject,
       'state ' || i.state || ' since ' || i.created_at || ', outcome_unknown ' || i.outcome_unknown
           || ', and no open attention item' AS detail
FROM invoices i
WHERE i.state IN ('PENDING', 'PROCESSING')
  AND (?::text[] IS NULL OR i.merchant_id = ANY (?::text[]))
  AND NOT EXISTS (SELECT 1 FROM attention_items a
                  WHERE a.subject_type = 'invoice' AND a.subject_id = i.id AND a.resolved_at IS NULL)
ORDER BY i.id;

-- invariant: callbacks-handled: every stored Daraja callback was applied, recorded or listed, none is left RECEIVED
SELECT 'callback ' || c.id AS subject,
       'outcome RECEIVED since ' || c.received_at || ' for invoice ' || coalesce(c.invoice_id, '(none)')
           || ' after ' || c.apply_attempts || ' apply attempts' AS detail
FROM daraja_callbacks c
LEFT JOIN invoices i ON i.id = c.invoice_id
WHERE c.outcome = 'RECEIVED'
  AND (?::text[] IS NULL OR i.merchant_id = ANY (?::text[]))
ORDER BY c.id;

-- invariant: one-credit: no invoice has two ledger entries of one kind
SELECT l.invoice_id AS subject,
       count(*) || ' ' || l.kind || ' entries, total ' || sum(l.amount) AS detail
FROM ledger_entries l
JOIN invoices i ON i.id = l.invoice_id
WHERE (?::text[] IS NULL OR i.merchant_id = ANY (?::text[]))
GROUP BY l.invoice_id, l.kind
HAVING count(*) > 1
ORDER BY l.invoice_id;

-- invariant: credit-matches-state: a COMPLETE invoice is credited its net amount to its own wallet, any other invoice nothing
SELECT i.id AS subject,
       'state ' || i.state || ', net_amount ' || i.net_amount || ', wallet ' || i.wallet_id || ', credited '
           || coalesce(c.total::text, 'nothing') || coalesce(' to ' || c.wallets, '') AS detail
FROM invoices i
LEFT JOIN (SELECT invoice_id, sum(amount) AS total, string_agg(DISTINCT wallet_id, ', ') AS wallets
           FROM ledger_entries GROUP BY invoice_id) c ON c.invoice_id = i.id
WHERE (?::text[] IS NULL OR i.merchant_id = ANY (?::text[]))
  AND ((i.state = 'COMPLETE' AND (c.total IS DISTINCT FROM i.net_amount OR c.wallets IS DISTINCT FROM i.wallet_id))
       OR (i.state <> 'COMPLETE' AND c.invoice_id IS NOT NULL))
ORDER BY i.id;

-- invariant: wallet-totals: each wallet's balance equals its ledger total and the net amounts of its COMPLETE invoices
SELECT w.id AS subject,
       'balance ' || w.balance || ', ledger total ' || coalesce(l.total, 0) || ', net amount of COMPLETE invoices '
           || coalesce(n.total, 0) AS detail
FROM wallets w
LEFT JOIN (SELECT wallet_id, sum(amount) AS total FROM ledger_entries GROUP BY wallet_id) l ON l.wallet_id = w.id
LEFT JOIN (SELECT wallet_id, sum(net_amount) AS total FROM invoices WHERE state = 'COMPLETE' GROUP BY wallet_id) n
       ON n.wallet_id = w.id
WHERE (?::text[] IS NULL OR w.merchant_id = ANY (?::text[]))
  AND (w.balance <> coalesce(l.total, 0) OR coalesce(l.total, 0) <> coalesce(n.total, 0))
ORDER BY w.id;

-- invariant: unique-checkout: no CheckoutRequestID belongs to two invoices
SELECT i.checkout_request_id AS subject,
       'on invoices ' || string_agg(i.id, ', ' ORDER BY i.id) AS detail
FROM invoices i
WHERE i.checkout_request_id IS NOT NULL
  AND (?::text[] IS NULL OR i.merchant_id = ANY (?::text[]))
GROUP BY i.checkout_request_id
HAVING count(*) > 1
ORDER BY 1;

-- invariant: unique-receipt: no M-Pesa receipt belongs to two invoices
SELECT i.mpesa_reference AS subject,
       'on invoices ' || string_agg(i.id, ', ' ORDER BY i.id) AS detail
FROM invoices i
WHERE i.mpesa_reference IS NOT NULL
  AND (?::text[] IS NULL OR i.merchant_id = ANY (?::text[]))
GROUP BY i.mpesa_reference
HAVING count(*) > 1
ORDER BY 1;

-- invariant: pushed-once: Daraja replied to at most one push per invoice (one PUSH_ACCEPTED or PUSH_REJECTED, one push job)
SELECT i.id AS subject,
       e.answers || ' push replies recorded (' || e.kinds || ') and ' || coalesce(j.jobs, 0) || ' push jobs' AS detail
FROM invoices i
LEFT JOIN (SELECT invoice_id, count(*) AS answers, string_agg(kind, ', ' ORDER BY id) AS kinds
           FROM invoice_events WHERE kind IN ('PUSH_ACCEPTED', 'PUSH_REJECTED') GROUP BY invoice_id) e
       ON e.invoice_id = i.id
LEFT JOIN (SELECT invoice_id, count(*) AS jobs FROM push_jobs GROUP BY invoice_id) j ON j.invoice_id = i.id
WHERE (?::text[] IS NULL OR i.merchant_id = ANY (?::text[]))
  AND (coalesce(e.answers, 0) > 1 OR coalesce(j.jobs, 0) > 1)
ORDER BY i.id;

-- invariant: one-final-event: each final invoice has exactly one webhook event that moved it into its final state
SELECT i.id AS subject,
       'state ' || i.state || ', ' || count(ev.id) || ' webhook events entering that state (sequences '
           || coalesce(string_agg(ev.sequence::text, ', ' ORDER BY ev.sequence), 'none') || ')' AS detail
FROM invoices i
LEFT JOIN webhook_events ev ON ev.invoice_id = i.id AND ev.payload ->> 'state' = i.state
    AND NOT EXISTS (SELECT 1 FROM webhook_events prev
                    WHERE prev.invoice_id = ev.invoice_id AND prev.sequence = ev.sequence - 1
                      AND prev.payload ->> 'state' = i.state)
WHERE i.state IN ('COMPLETE', 'FAILED')
  AND (?::text[] IS NULL OR i.merchant_id = ANY (?::text[]))
GROUP BY i.id, i.state
HAVING count(ev.id) <> 1
ORDER BY i.id;

-- invariant: final-event-per-endpoint: each endpoint that took the invoice's events has one delivery of the final-state event
SELECT i.id || ' to ' || ep.id AS subject,
       'state ' || i.state || ', final-state event ' || ev.id || ' has ' || count(d.id) || ' deliveries' AS detail
FROM invoices i
JOIN webhook_events ev ON ev.invoice_id = i.id AND ev.payload ->> 'state' = i.state
    AND NOT EXISTS (SELECT 1 FROM webhook_events prev
                    WHERE prev.invoice_id = ev.invoice_id AND prev.sequence = ev.sequence - 1
                      AND prev.payload ->> 'state' = i.state)
JOIN webhook_endpoints ep ON ep.merchant_id = i.merchant_id AND ep.environment = i.environment AND ep.collection_event
    AND EXISTS (SELECT 1 FROM webhook_deliveries earlier WHERE earlier.endpoint_id = ep.id AND earlier.invoice_id = i.id)
    AND (ep.disabled_at IS NULL OR ep.disabled_at > ev.created_at)
    AND (ep.deleted_at IS NULL OR ep.deleted_at > ev.created_at)
LEFT JOIN webhook_deliveries d ON d.event_id = ev.id AND d.endpoint_id = ep.id
WHERE i.state IN ('COMPLETE', 'FAILED')
  AND (?::text[] IS NULL OR i.merchant_id = ANY (?::text[]))
GROUP BY i.id, i.state, ep.id, ev.id
HAVING count(d.id) <> 1
ORDER BY 1;

-- invariant: latest-event-delivered: each endpoint's newest delivery of an invoice was delivered, or failed and its endpoint is listed as needing attention
SELECT d.invoice_id || ' to ' || d.endpoint_id AS subject,
       'newest delivery ' || d.id || ' (sequence ' || d.sequence || ') is ' || d.status || ' after ' || d.attempts
           || ' attempts' || coalesce(': ' || d.failure_reason, '') AS detail
FROM webhook_deliveries d
JOIN webhook_endpoints ep ON ep.id = d.endpoint_id
WHERE (?::text[] IS NULL OR ep.merchant_id = ANY (?::text[]))
  AND ep.deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries newer
                  WHERE newer.endpoint_id = d.endpoint_id AND newer.invoice_id = d.invoice_id
                    AND newer.sequence > d.sequence)
  AND NOT (d.status = 'DELIVERED'
           OR (d.status IN ('FAILED', 'PENDING') AND EXISTS (
                   SELECT 1 FROM attention_items a
                   WHERE a.subject_type = 'webhook_endpoint' AND a.subject_id = ep.id AND a.resolved_at IS NULL)))
ORDER BY 1;
