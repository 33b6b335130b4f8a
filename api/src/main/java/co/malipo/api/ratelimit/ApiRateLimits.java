package co.malipo.api.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.PhoneNumbers;
import co.malipo.core.merchant.ApiKey;
import co.malipo.core.merchant.Environment;
import co.malipo.core.ratelimit.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

/**
 * The merchant API's request limits: pushes per API key, pushes per phone number and status reads
 * per API key, each from {@code malipo.api.*}. The counters live in this instance's memory, so
 * with N instances a client can make up to N times each limit (see the api README).
 */
@ApplicationScoped
public class ApiRateLimits {

    private static final Logger LOG = Logger.getLogger(ApiRateLimits.class);

    private final RateLimiter pushPerKey;
    private final RateLimiter pushPerPhone;
    private final RateLimiter statusPerKey;
    private final MeterRegistry meters;

    public ApiRateLimits(GatewayConfig config, Clock clock, MeterRegistry meters) {
        GatewayConfig.Api api = config.api();
        this.pushPerKey = new RateLimiter(api.pushLimitPerKey(), api.pushLimitPerKeyPeriod(), clock);
        this.pushPerPhone = new RateLimiter(api.pushLimitPerPhone(), api.pushLimitPerPhonePeriod(), clock);
        this.statusPerKey = new RateLimiter(api.statusLimitPerKey(), api.statusLimitPerKeyPeriod(), clock);
        this.meters = meters;
    }

    /** Counts one push request of the key; throws {@link RateLimitedException} when the key is over its limit. */
    public void pushByKey(ApiKey key) {
        check(pushPerKey, keyName(key), "push_per_key",
                "Too many push requests for this API key: the limit is " + pushPerKey.describe() + ".");
    }

    /** Counts one push to the phone in the key's environment; throws {@link RateLimitedException} when over. */
    public void pushToPhone(Environment environment, String phone) {
        check(pushPerPhone, environment + ":" + phone, "push_per_phone",
                "Too many pushes to phone " + PhoneNumbers.mask(phone) + ": the limit is " + pushPerPhone.describe()
                        + " for each phone number, so that customers are not flooded with M-Pesa prompts.");
    }

    /** Counts one status read of the key; throws {@link RateLimitedException} when the key is over its limit. */
    public void statusByKey(ApiKey key) {
        check(statusPerKey, keyName(key), "status_per_key",
                "Too many status requests for this API key: the limit is " + statusPerKey.describe()
                        + ". Prefer webhooks to frequent polling.");
    }

    /** A merchant has one key of each kind per environment, so these three name the key. */
    private static String keyName(ApiKey key) {
        return key.merchantId() + ':' + key.environment() + ':' + key.kind();
    }

    private void check(RateLimiter limiter, String key, String limitName, String message) {
        Optional<Duration> wait = limiter.acquire(key);
        if (wait.isEmpty()) {
            return;
        }
        long seconds = RateLimiter.retryAfterSeconds(wait.get());
        meters.counter("malipo.api.rate.limited", "limit", limitName).increment();
        LOG.debugf("Rate limit %s reached; retry after %d s", limitName, seconds);
        throw new RateLimitedException(seconds, message + " Retry after " + seconds + " seconds.");
    }
}
