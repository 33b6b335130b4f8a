-- Merchants, their API keys and wallets.
CREATE TABLE merchants (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    daraja_account  TEXT NOT NULL DEFAULT 'default',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Keys are stored only as the SHA-256 hex of the whole key; the key itself is shown once.
CREATE TABLE api_keys (
    key_hash     TEXT PRIMARY KEY,
    merchant_id  TEXT NOT NULL REFERENCES merchants (id),
    environment  TEXT NOT NULL CHECK (environment IN ('TEST', 'LIVE')),
    kind         TEXT NOT NULL CHECK (kind IN ('SECRET', 'PUBLIC')),
    key_prefix   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_keys_merchant ON api_keys (merchant_id);

CREATE TABLE wallets (
    id           TEXT PRIMARY KEY,
    merchant_id  TEXT NOT NULL REFERENCES merchants (id),
    environment  TEXT NOT NULL CHECK (environment IN ('TEST', 'LIVE')),
    currency     TEXT NOT NULL DEFAULT 'KES',
    wallet_type  TEXT NOT NULL CHECK (wallet_type IN ('SETTLEMENT', 'WORKING')),
    label        TEXT NOT NULL,
    balance      NUMERIC(14, 2) NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One primary settlement wallet per merchant, environment and currency.
CREATE UNIQUE INDEX wallets_one_settlement
    ON wallets (merchant_id, environment, currency) WHERE wallet_type = 'SETTLEMENT';

-- A stable customer id per merchant and phone, as the merchant API shows it.
CREATE TABLE customers (
    id           TEXT PRIMARY KEY,
    merchant_id  TEXT NOT NULL REFERENCES merchants (id),
    phone        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (merchant_id, phone)
);

CREATE TABLE invoices (
    id                   TEXT PRIMARY KEY,
    session_id           UUID NOT NULL,
    merchant_id          TEXT NOT NULL REFERENCES merchants (id),
    environment          TEXT NOT NULL CHECK (environment IN ('TEST', 'LIVE')),
    wallet_id            TEXT NOT NULL REFERENCES wallets (id),
    customer_id          TEXT NOT NULL REFERENCES customers (id),
    channel              TEXT NOT NULL CHECK (channel IN ('API', 'USSD', 'SMS')),
    state                TEXT NOT NULL CHECK (state IN ('PENDING', 'PROCESSING', 'COMPLETE', 'FAILED')),
    outcome_unknown      BOOLEAN NOT NULL DEFAULT false,
    phone                TEXT NOT NULL,
    api_ref              TEXT NOT NULL,
    currency             TEXT NOT NULL DEFAULT 'KES',
    amount               NUMERIC(14, 2) NOT NULL CHECK (amount > 0),
    value                NUMERIC(14, 2) NOT NULL CHECK (value > 0),
    charges              NUMERIC(14, 2) NOT NULL CHECK (charges >= 0),
    net_amount           NUMERIC(14, 2) NOT NULL,
    mobile_tarrif        TEXT NOT NULL CHECK (mobile_tarrif IN ('BUSINESS-PAYS', 'CUSTOMER-PAYS')),
    account_reference    TEXT NOT NULL,
    transaction_desc     TEXT NOT NULL,
    daraja_account       TEXT NOT NULL,
    callback_token       TEXT NOT NULL UNIQUE,
    merchant_request_id  TEXT,
    checkout_request_id  TEXT UNIQUE,
    mpesa_reference      TEXT UNIQUE,
    paid_amount          NUMERIC(14, 2),
    failed_code          TEXT,
    failed_reason        TEXT,
    failure_class        TEXT,
    late_success         BOOLEAN NOT NULL DEFAULT false,
    event_sequence       INTEGER NOT NULL DEFAULT 0,
    host                 TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    finished_at          TIMESTAMPTZ,
    CHECK (value = net_amount + charges)
);
CREATE INDEX invoices_merchant_created ON invoices (merchant_id, created_at DESC);
-- At most one open push per merchant, environment, phone, reference and amount: a second one
-- while the first is open would prompt the customer twice.
CREATE UNIQUE INDEX invoices_one_open_push
    ON invoices (merchant_id, environment, phone, api_ref, amount)
    WHERE state IN ('PENDING', 'PROCESSING');

-- Everything that happened to an invoice, in order.
CREATE TABLE invoice_events (
    id          BIGSERIAL PRIMARY KEY,
    invoice_id  TEXT NOT NULL REFERENCES invoices (id),
    at          TIMESTAMPTZ NOT NULL,
    kind        TEXT NOT NULL,
    source      TEXT NOT NULL,
    state_from  TEXT,
    state_to    TEXT,
    note        TEXT,
    payload     JSONB
);
CREATE INDEX invoice_events_invoice ON invoice_events (invoice_id, id);

-- Push jobs: claimed with a lease; an attempted job is never sent again.
CREATE TABLE push_jobs (
    invoice_id    TEXT PRIMARY KEY REFERENCES invoices (id),
    status        TEXT NOT NULL CHECK (status IN ('QUEUED', 'ATTEMPTED', 'DONE')),
    available_at  TIMESTAMPTZ NOT NULL,
    lease_until   TIMESTAMPTZ,
    send_tries    INTEGER NOT NULL DEFAULT 0,
    first_try_at  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX push_jobs_due ON push_jobs (available_at) WHERE status = 'QUEUED';
CREATE INDEX push_jobs_leased ON push_jobs (lease_until) WHERE status = 'ATTEMPTED';

-- Raw Daraja callbacks, stored before they are applied so that none is lost.
CREATE TABLE daraja_callbacks (
    id                   BIGSERIAL PRIMARY KEY,
    token                TEXT NOT NULL,
    received_at          TIMESTAMPTZ NOT NULL,
    body                 TEXT NOT NULL,
    invoice_id           TEXT REFERENCES invoices (id),
    checkout_request_id  TEXT,
    result_code          TEXT,
    outcome              TEXT NOT NULL CHECK (outcome IN ('RECEIVED', 'APPLIED', 'DUPLICATE', 'ORPHAN', 'UNREADABLE', 'RECORDED')),
    applied_at           TIMESTAMPTZ
);
CREATE INDEX daraja_callbacks_unapplied ON daraja_callbacks (received_at) WHERE outcome = 'RECEIVED';

-- Money moves only through ledger entries; one entry per invoice and kind.
CREATE TABLE ledger_entries (
    id          BIGSERIAL PRIMARY KEY,
    invoice_id  TEXT NOT NULL REFERENCES invoices (id),
    wallet_id   TEXT NOT NULL REFERENCES wallets (id),
    kind        TEXT NOT NULL CHECK (kind IN ('COLLECTION_CREDIT')),
    amount      NUMERIC(14, 2) NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (invoice_id, kind)
);

-- Webhook outbox: one row per invoice creation and state change, written in the same
-- transaction as the change. Delivery reads these rows.
CREATE TABLE webhook_events (
    id           UUID PRIMARY KEY,
    merchant_id  TEXT NOT NULL REFERENCES merchants (id),
    environment  TEXT NOT NULL,
    invoice_id   TEXT NOT NULL REFERENCES invoices (id),
    sequence     INTEGER NOT NULL,
    topic        TEXT NOT NULL,
    payload      JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (invoice_id, sequence)
);

-- Whatever needs a person: orphan callbacks, configuration errors, mismatches.
CREATE TABLE attention_items (
    id            BIGSERIAL PRIMARY KEY,
    subject_type  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    kind          TEXT NOT NULL,
    evidence      JSONB,
    created_at    TIMESTAMPTZ NOT NULL,
    resolved_at   TIMESTAMPTZ,
    resolved_by   TEXT,
    note          TEXT
);
CREATE UNIQUE INDEX attention_items_open
    ON attention_items (subject_type, subject_id, kind) WHERE resolved_at IS NULL;

-- Idempotency-Key replays, scoped to merchant and environment.
CREATE TABLE idempotency_keys (
    merchant_id      TEXT NOT NULL,
    environment      TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    status_code      INTEGER,
    response_body    TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (merchant_id, environment, idempotency_key)
);
