package co.malipo.core.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request limits per key (an API key, a phone number), kept in this process's memory. It uses the
 * generic cell rate algorithm: each key stores only the time at which its budget is full again, so
 * a key allows {@code requests} at once and then one more every {@code period / requests}.
 *
 * <p>The state is per instance: with N instances behind a load balancer a key can make up to N
 * times the configured number of requests. Keys whose budget is full again are dropped from memory
 * once the map holds more than {@value #SWEEP_ABOVE} keys.
 */
public final class RateLimiter {

    static final int SWEEP_ABOVE = 10_000;

    private final int requests;
    private final Duration period;
    private final long intervalNanos;
    private final long periodNanos;
    private final Clock clock;
    /** Per key: the instant, in nanoseconds of the clock, at which its budget is full again. */
    private final Map<String, Long> fullAt = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong();

    /**
     * Creates a limiter of {@code requests} per {@code period} for each key. A {@code requests}
     * of 0 or less turns the limiter off.
     */
    public RateLimiter(int requests, Duration period, Clock clock) {
        if (requests > 0 && (period.isNegative() || period.isZero())) {
            throw new IllegalArgumentException("rate limit period must be positive, was " + period);
        }
        this.requests = requests;
        this.period = period;
        this.periodNanos = period.toNanos();
        this.intervalNanos = requests > 0 ? Math.max(1, periodNanos / requests) : 0;
        this.clock = clock;
    }

    /**
     * Counts one request of {@code key}. Returns empty when it is allowed, or how long the caller
     * must wait before the next request of this key would be allowed.
     */
    public Optional<Duration> acquire(String key) {
        if (requests <= 0) {
            return Optional.empty();
        }
        long now = nanos();
        sweepIfLarge(now);
        long[] wait = new long[1];
        fullAt.compute(key, (k, stored) -> {
            long start = stored == null ? now : Math.max(stored, now);
            long next = start + intervalNanos;
            if (next - now > periodNanos) {
                wait[0] = next - periodNanos - now;
                return stored;
            }
            return next;
        });
        return wait[0] > 0 ? Optional.of(Duration.ofNanos(wait[0])) : Optional.empty();
    }

    /** Number of requests per period for each key, 0 when the limiter is off. */
    public int requests() {
        return Math.max(requests, 0);
    }

    public Duration period() {
        return period;
    }

    int trackedKeys() {
        return fullAt.size();
    }

    private void sweepIfLarge(long now) {
        long due = nextSweep.get();
        if (fullAt.size() > SWEEP_ABOVE && now >= due && nextSweep.compareAndSet(due, now + 1_000_000_000L)) {
            fullAt.values().removeIf(full -> full <= now);
        }
    }

    private long nanos() {
        return clock.millis() * 1_000_000L;
    }

    /**
     * Rounds a wait up to whole seconds, at least 1, as the {@code Retry-After} header needs.
     */
    public static long retryAfterSeconds(Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /** Describes the limit for a message, such as "10 per 1 hour". */
    public String describe() {
        return requests() + " per " + human(period);
    }

    private static String human(Duration duration) {
        if (duration.toHoursPart() == 0 && duration.toMinutesPart() == 0 && duration.toSecondsPart() == 0
                && duration.toDays() > 0) {
            return duration.toDays() == 1 ? "day" : duration.toDays() + " days";
        }
        if (duration.getSeconds() % 3600 == 0 && duration.getNano() == 0) {
            long hours = duration.getSeconds() / 3600;
            return hours == 1 ? "hour" : hours + " hours";
        }
        if (duration.getSeconds() % 60 == 0 && duration.getNano() == 0) {
            long minutes = duration.getSeconds() / 60;
            return minutes == 1 ? "minute" : minutes + " minutes";
        }
        long seconds = retryAfterSeconds(duration);
        return seconds == 1 ? "second" : seconds + " seconds";
    }
}
