-- Business numbers that customers type into the USSD and SMS menus. Each number belongs to one
-- merchant and one environment, so a test business never reaches Safaricom.
CREATE TABLE channel_businesses (
    business_number   TEXT PRIMARY KEY CHECK (business_number ~ '^[0-9]{3,7}$'),
    merchant_id       TEXT NOT NULL REFERENCES merchants (id),
    environment       TEXT NOT NULL CHECK (environment IN ('TEST', 'LIVE')),
    display_name      TEXT NOT NULL,
    needs_reference   BOOLEAN NOT NULL DEFAULT false,
    reference_label   TEXT,
    default_language  TEXT NOT NULL DEFAULT 'en' CHECK (default_language IN ('en', 'sw')),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX channel_businesses_merchant ON channel_businesses (merchant_id);

-- The invoice that a USSD session's confirmation created. Africa's Talking may send the same
-- confirmation twice, and the primary key makes the second insert fail, which rolls back its invoice.
CREATE TABLE ussd_confirmations (
    session_id  TEXT PRIMARY KEY,
    invoice_id  TEXT NOT NULL REFERENCES invoices (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
