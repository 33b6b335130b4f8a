package co.malipo.core.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** OAuth access tokens the simulator has issued, each valid for {@link #LIFETIME} by the injected clock. */
final class TokenStore {

    /** Lifetime Daraja states in {@code expires_in}. */
    static final Duration LIFETIME = Duration.ofSeconds(3599);

    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final Clock clock;

    TokenStore(Clock clock) {
        this.clock = clock;
    }

    /** Issues a new token and drops the expired ones. */
    String issue() {
        Instant now = clock.instant();
        expiries.values().removeIf(expiry -> !now.isBefore(expiry));
        String token = SimulatorIds.accessToken();
        expiries.put(token, now.plus(LIFETIME));
        issued.incrementAndGet();
        return token;
    }

    /** Returns whether the token was issued here and has not expired. A null token is never valid. */
    boolean isValid(String token) {
        if (token == null) {
            return false;
        }
        Instant expiry = expiries.get(token);
        return expiry != null && clock.instant().isBefore(expiry);
    }

    /** Number of tokens issued since start or the last {@link #clear()}. */
    int issuedCount() {
        return issued.get();
    }

    /** Invalidates every issued token, leaving the issued count unchanged. */
    void expireAll() {
        expiries.clear();
    }

    void clear() {
        expiries.clear();
        issued.set(0);
    }
}
