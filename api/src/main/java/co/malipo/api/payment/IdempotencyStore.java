package co.malipo.api.payment;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.api.error.ApiException;
import co.malipo.core.config.GatewayConfig;
import co.malipo.core.merchant.ApiKey;
import co.malipo.core.merchant.ApiKeys;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * {@code Idempotency-Key} handling, scoped to merchant and environment. A push claims its key in
 * the transaction that creates the invoice and stores its response there too, so the key, the
 * invoice and the response commit together or not at all. A request cut off by a crash or a
 * database outage therefore leaves nothing behind, and its retry starts afresh. A repeat of a stored request
 * with the same body replays the stored response, and one with a different body gets 409. A repeat
 * sent while the first is still running waits for the first's transaction at the key's unique
 * index, then replays its response.
 */
@ApplicationScoped
public class IdempotencyStore {

    /** A response to return, and whether it was stored by an earlier request and is replayed. */
    public record Stored(int status, String body, boolean replayed) {

        Stored asReplay() {
            return new Stored(status, body, true);
        }
    }

    static final int MAX_KEY_LENGTH = 255;

    private final Db db;
    private final Clock clock;
    private final GatewayConfig.Api config;

    public IdempotencyStore(Db db, Clock clock, GatewayConfig config) {
        this.db = db;
        this.clock = clock;
        this.config = config.api();
    }

    /**
     * Returns the stored response of an earlier request with this key and body, if any. Throws 409
     * when the key was used with a different body, and 400 when the key is too long.
     */
    public Optional<Stored> find(ApiKey key, String idempotencyKey, String canonicalBody) {
        if (idempotencyKey.length() > MAX_KEY_LENGTH) {
            throw ApiException.detail(400, "Idempotency-Key is longer than 255 characters. Send a shorter key, e.g. a UUID.");
        }
        return QuarkusTransaction.requiringNew().call(() -> findInTransaction(key, idempotencyKey, canonicalBody));
    }

    /**
     * Claims the key in the caller's transaction. Returns false when another request with the key
     * committed first, in which case {@link #find} returns its response. The insert waits while
     * another open transaction has inserted the same key.
     */
    public boolean claimInTransaction(ApiKey key, String idempotencyKey, String canonicalBody) {
        Instant now = clock.instant();
        db.update("DELETE FROM idempotency_keys WHERE merchant_id = ? AND environment = ? AND idempotency_key = ?"
                + " AND created_at < ?", key.merchantId(), key.environment(), idempotencyKey,
                now.minus(config.idempotencyTtl()));
        return db.update("INSERT INTO idempotency_keys (merchant_id, environment, idempotency_key, request_hash,"
                + " created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                key.merchantId(), key.environment(), idempotencyKey, ApiKeys.hash(canonicalBody), now) == 1;
    }

    /** Stores the response of a key claimed in the caller's transaction. */
    public void storeInTransaction(ApiKey key, String idempotencyKey, int status, String body) {
        db.update("UPDATE idempotency_keys SET status_code = ?, response_body = ? WHERE merchant_id = ?"
                + " AND environment = ? AND idempotency_key = ?",
                status, body, key.merchantId(), key.environment(), idempotencyKey);
    }

    /**
     * Stores a client error (4xx other than 409 and 429) in a transaction of its own, so that a
     * repeat replays it. A 409, a 429 and a 5xx are not stored, because they describe a passing
     * condition and the same request may succeed when retried. Keeps the response of a request that
     * committed first.
     */
    public void storeRejection(ApiKey key, String idempotencyKey, String canonicalBody, int status, String body) {
        if (status == 409 || status == 429 || status >= 500) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            if (claimInTransaction(key, idempotencyKey, canonicalBody)) {
                storeInTransaction(key, idempotencyKey, status, body);
            }
        });
    }

    /** Reads the key's row in the caller's transaction; see {@link #find}. */
    public Optional<Stored> findInTransaction(ApiKey key, String idempotencyKey, String canonicalBody) {
        record Row(String hash, Integer status, String body) {
        }
        Optional<Row> found = db.one("SELECT request_hash, status_code, response_body FROM idempotency_keys"
                + " WHERE merchant_id = ? AND environment = ? AND idempotency_key = ? AND created_at >= ?",
                r -> new Row(r.getString(1), (Integer) r.getObject(2), r.getString(3)),
                key.merchantId(), key.environment(), idempotencyKey, clock.instant().minus(config.idempotencyTtl()));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Row row = found.get();
        if (!row.hash().equals(ApiKeys.hash(canonicalBody))) {
            throw ApiException.detail(409, "This Idempotency-Key was already used with a different request body."
                    + " Use a new key for a new request.");
        }
        if (row.status() == null) {
            // Claims and responses commit together, so only a row written by an older release lacks a
            // response. It belongs to a request that never finished, and the repeat takes it over.
            db.update("DELETE FROM idempotency_keys WHERE merchant_id = ? AND environment = ? AND idempotency_key = ?"
                    + " AND status_code IS NULL", key.merchantId(), key.environment(), idempotencyKey);
            return Optional.empty();
        }
        return Optional.of(new Stored(row.status(), row.body(), true));
    }
}
