-- Merchants' webhook endpoints, one delivery row per event and endpoint, and every attempt.
CREATE TABLE webhook_endpoints (
    id                          TEXT PRIMARY KEY,
    merchant_id                 TEXT NOT NULL REFERENCES merchants (id),
    environment                 TEXT NOT NULL CHECK (environment IN ('TEST', 'LIVE')),
    url                         TEXT NOT NULL,
    challenge                   TEXT NOT NULL,
    -- The signing secret must be readable to sign; it is never returned after creation or rotation.
    signing_secret              TEXT NOT NULL,
    previous_signing_secret     TEXT,
    previous_secret_expires_at  TIMESTAMPTZ,
    collection_event            BOOLEAN NOT NULL DEFAULT true,
    send_money_event            BOOLEAN NOT NULL DEFAULT false,
    reversal_event              BOOLEAN NOT NULL DEFAULT false,
    wallet_transfer_event       BOOLEAN NOT NULL DEFAULT false,
    subscription_event          BOOLEAN NOT NULL DEFAULT false,
    is_active                   BOOLEAN NOT NULL DEFAULT true,
    consecutive_failures        INTEGER NOT NULL DEFAULT 0,
    warned_at                   TIMESTAMPTZ,
    disabled_at                 TIMESTAMPTZ,
    deleted_at                  TIMESTAMPTZ,
    created_at                  TIMESTAMPTZ NOT NULL,
    updated_at                  TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id, environment) WHERE deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
    id               UUID PRIMARY KEY,
    event_id         UUID NOT NULL REFERENCES webhook_events (id),
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id),
    invoice_id       TEXT NOT NULL REFERENCES invoices (id),
    sequence         INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('PENDING', 'PROCESSING', 'DELIVERED', 'FAILED', 'SUPERSEDED')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    lease_until      TIMESTAMPTZ,
    failure_reason   TEXT,
    delivered_at     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_pair ON webhook_deliveries (endpoint_id, invoice_id, sequence);

CREATE TABLE webhook_attempts (
    id            BIGSERIAL PRIMARY KEY,
    delivery_id   UUID NOT NULL REFERENCES webhook_deliveries (id),
    attempted_at  TIMESTAMPTZ NOT NULL,
    status_code   INTEGER,
    latency_ms    INTEGER NOT NULL,
    error         VARCHAR(300)
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
