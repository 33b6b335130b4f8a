package co.malipo.api.ratelimit;

/** A request over a rate limit, which the API rejects with 429, a {@code Retry-After} header and a JSON detail. */
public class RateLimitedException extends RuntimeException {

    private final long retryAfterSeconds;

    public RateLimitedException(long retryAfterSeconds, String detail) {
        super(detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
