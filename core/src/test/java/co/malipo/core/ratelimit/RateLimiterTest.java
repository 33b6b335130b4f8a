package co.malipo.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import co.malipo.core.daraja.MutableClock;

class RateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T08:00:00Z"));

    @Test
    void burstThenRejects() {
        RateLimiter limiter = new RateLimiter(3, Duration.ofMinutes(1), clock);

        assertThat(limiter.acquire("k")).isEmpty();
        assertThat(limiter.acquire("k")).isEmpty();
        assertThat(limiter.acquire("k")).isEmpty();
        Optional<Duration> rejected = limiter.acquire("k");

        assertThat(rejected).contains(Duration.ofSeconds(20));
    }

    @Test
    void rejectedRequestsDoNotExtendWait() {
        RateLimiter limiter = new RateLimiter(2, Duration.ofSeconds(10), clock);
        limiter.acquire("k");
        limiter.acquire("k");

        for (int i = 0; i < 50; i++) {
            assertThat(limiter.acquire("k")).contains(Duration.ofSeconds(5));
        }
    }

    @Test
    void refillsOneIntervalAtATime() {
        RateLimiter limiter = new RateLimiter(3, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 3; i++) {
            limiter.acquire("k");
        }

        clock.advance(Duration.ofSeconds(19));
        assertThat(limiter.acquire("k")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.acquire("k")).isEmpty();
        assertThat(limiter.acquire("k")).contains(Duration.ofSeconds(20));
        clock.advance(Duration.ofMinutes(5));
        assertThat(limiter.acquire("k")).isEmpty();
        assertThat(limiter.acquire("k")).isEmpty();
        assertThat(limiter.acquire("k")).isEmpty();
        assertThat(limiter.acquire("k")).isPresent();
    }

    @Test
    void keysCountedApart() {
        RateLimiter limiter = new RateLimiter(1, Duration.ofHours(1), clock);

        assertThat(limiter.acquire("a")).isEmpty();
        assertThat(limiter.acquire("b")).isEmpty();
        assertThat(limiter.acquire("a")).contains(Duration.ofHours(1));
    }

    @Test
    void zeroTurnsLimitOff() {
        RateLimiter limiter = new RateLimiter(0, Duration.ZERO, clock);

        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.acquire("k")).isEmpty();
        }
        assertThat(limiter.requests()).isZero();
    }

    @Test
    void zeroPeriodRejected() {
        assertThatThrownBy(() -> new RateLimiter(5, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period");
    }

    @Test
    void idleKeysSweptWhenMapIsLarge() {
        RateLimiter limiter = new RateLimiter(5, Duration.ofSeconds(10), clock);
        for (int i = 0; i <= RateLimiter.SWEEP_ABOVE; i++) {
            limiter.acquire("phone-" + i);
        }
        assertThat(limiter.trackedKeys()).isEqualTo(RateLimiter.SWEEP_ABOVE + 1);

        clock.advance(Duration.ofSeconds(3));
        limiter.acquire("one-more");

        assertThat(limiter.trackedKeys()).as("only the key counted after the sweep").isEqualTo(1);
    }

    @Test
    void retryAfterRoundsUp() {
        assertThat(RateLimiter.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(RateLimiter.retryAfterSeconds(Duration.ofMillis(1500))).isEqualTo(2);
        assertThat(RateLimiter.retryAfterSeconds(Duration.ofSeconds(720))).isEqualTo(720);
        assertThat(RateLimiter.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
    }

    @Test
    void describesLimit() {
        assertThat(new RateLimiter(10, Duration.ofHours(1), clock).describe()).isEqualTo("10 per hour");
        assertThat(new RateLimiter(600, Duration.ofMinutes(1), clock).describe()).isEqualTo("600 per minute");
        assertThat(new RateLimiter(5, Duration.ofMinutes(10), clock).describe()).isEqualTo("5 per 10 minutes");
        assertThat(new RateLimiter(2, Duration.ofSeconds(30), clock).describe()).isEqualTo("2 per 30 seconds");
    }
}
