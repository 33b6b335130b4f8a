package co.malipo.api.payment;

import java.time.Clock;
import java.time.Duration;
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
 * {@code Idempotency-Key} handling, scoped to merchant and environment. The first request claims
 * the key with a row; a repeat with the same body replays the stored response, a different body
 * or a repeat while the first is still running gets 409. A successful push stores its response in
 * the transaction that creates the invoice, so a claim still without a response after
 * {@link #ABANDONED_AFTER} belongs to a request that created nothing and died, for example when
 * its app was killed or the database went away, and the next repeat takes it over.
 */
@ApplicationScoped
public class IdempotencyStore {

    /** A stored response to replay. */
    public record Stored(int status, String body) {
    }

    static final int MAX_KEY_LENGTH = 255;
    /** Age after which a claim without a response is taken over; far longer than a push request runs. */
    static final Duration ABANDONED_AFTER = Duration.ofSeconds(30);

    private final Db db;
    private final Clock clock;
    private final GatewayConfig.Api config;

    public IdempotencyStore(Db db, Clock clock, GatewayConfig config) {
        this.db = db;
        this.clock = clock;
        this.config = config.api();
    }

    /** Claims a key for a body. Returns a stored response to replay, or empty when the caller should proceed. */
    public Optional<Stored> claim(ApiKey key, String idempotencyKey, String canonicalBody) {
        if (idempotencyKey.length() > MAX_KEY_LENGTH) {
            throw ApiException.detail(400, "Idempotency-Key is longer than 255 characters. Send a shorter key, e.g. a UUID.");
        }
        String hash = ApiKeys.hash(canonicalBody);
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> {
            db.update("DELETE FROM idempotency_keys WHERE merchant_id = ? AND environment = ? AND idempotency_key = ?"
                    + " AND created_at < ?", key.merchantId(), key.environment(), idempotencyKey,
                    now.minus(config.idempotencyTtl()));
            int inserted = db.update("INSERT INTO idempotency_keys (merchant_id, environment, idempotency_key, request_hash,"
                    + " created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    key.merchantId(), key.environment(), idempotencyKey, hash, now);
            if (inserted == 1) {
                return Optional.<Stored>empty();
            }
            record Row(String hash, Integer status, String body, Instant createdAt) {
            }
            Row row = db.one("SELECT request_hash, status_code, response_body, created_at FROM idempotency_keys"
                    + " WHERE merchant_id = ? AND environment = ? AND idempotency_key = ?",
                    r -> new Row(r.getString(1), (Integer) r.getObject(2), r.getString(3), Db.instant(r, "created_at")),
                    key.merchantId(), key.environment(), idempotencyKey).orElseThrow();
            if (!row.hash().equals(hash)) {
                throw ApiException.detail(409, "This Idempotency-Key was already used with a different request body."
                        + " Use a new key for a new request.");
            }
            if (row.status() == null && row.createdAt().isBefore(now.minus(ABANDONED_AFTER))) {
                // The condition on created_at lets one of several concurrent repeats take the claim over.
                int taken = db.update("UPDATE idempotency_keys SET created_at = ? WHERE merchant_id = ? AND environment = ?"
                        + " AND idempotency_key = ? AND status_code IS NULL AND created_at = ?",
                        now, key.merchantId(), key.environment(), idempotencyKey, row.createdAt());
                if (taken == 1) {
                    return Optional.<Stored>empty();
                }
            }
            if (row.status() == null) {
                throw ApiException.detail(409, "A request with this Idempotency-Key is still being processed."
                        + " Retry after it finishes.");
            }
            return Optional.of(new Stored(row.status(), row.body()));
        });
    }

    /**
     * Stores the response of a claimed key in the caller's transaction, which must be the one that
     * creates the invoice, so that the invoice and its stored response commit together.
     */
    public void storeInTransaction(ApiKey key, String idempotencyKey, int status, String body) {
        db.update("UPDATE idempotency_keys SET status_code = ?, response_body = ? WHERE merchant_id = ?"
                + " AND environment = ? AND idempotency_key = ?",
                status, body, key.merchantId(), key.environment(), idempotencyKey);
    }

    /**
     * Stores the response of a claimed key. A 5xx or a 409 releases the key instead, because both
     * describe a passing condition and the same request may succeed when retried.
     */
    public void complete(ApiKey key, String idempotencyKey, int status, String body) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (status >= 500 || status == 409) {
                db.update("DELETE FROM idempotency_keys WHERE merchant_id = ? AND environment = ? AND idempotency_key = ?",
                        key.merchantId(), key.environment(), idempotencyKey);
            } else {
                db.update("UPDATE idempotency_keys SET status_code = ?, response_body = ? WHERE merchant_id = ?"
                        + " AND environment = ? AND idempotency_key = ?",
                        status, body, key.merchantId(), key.environment(), idempotencyKey);
            }
        });
    }
}
