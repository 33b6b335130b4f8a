package co.malipo.core.observability;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import co.malipo.core.config.GatewayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import org.jboss.logging.Logger;

/**
 * Whether Daraja and Africa's Talking replied to this instance's recent calls. Calls to the Daraja
 * simulator's account do not count. A provider is down after
 * {@code malipo.observability.provider-down-after-failures} calls in a row (3 by default) failed without a
 * reply, and up again after the next reply. The status is in memory and per instance, so an app
 * that never calls a provider reports it up with no calls.
 *
 * <p>It feeds the {@code providers} health group and the {@code malipo_provider_up} gauge, never
 * readiness: a provider outage must not take the callback endpoint out of service.
 */
// Created at start, so that its gauges exist from the first scrape.
@Startup
@ApplicationScoped
public class ProviderStatus {

    private static final Logger LOG = Logger.getLogger(ProviderStatus.class);

    /** The remote services Malipo calls. */
    public enum Provider {
        DARAJA,
        AFRICAS_TALKING;

        /** Tag value and health check name: {@code daraja} or {@code africas-talking}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** State of one provider: the failures in a row, the last reply and the last failure. */
    public record State(int consecutiveFailures, Instant lastReplyAt, Instant lastFailureAt, String lastFailure) {
    }

    private final Clock clock;
    private final int downAfterFailures;
    private final Map<Provider, AtomicReference<State>> states = new EnumMap<>(Provider.class);

    @Inject
    public ProviderStatus(Clock clock, MeterRegistry meters, GatewayConfig config) {
        this(clock, meters, config.observability().providerDownAfterFailures());
    }

    public ProviderStatus(Clock clock, MeterRegistry meters, int downAfterFailures) {
        if (downAfterFailures < 1) {
            throw new IllegalArgumentException("malipo.observability.provider-down-after-failures must be at least 1,"
                    + " but is " + downAfterFailures);
        }
        this.clock = clock;
        this.downAfterFailures = downAfterFailures;
        for (Provider provider : Provider.values()) {
            AtomicReference<State> state = new AtomicReference<>(new State(0, null, null, null));
            states.put(provider, state);
            Gauge.builder("malipo.provider.up", this, status -> status.isUp(provider) ? 1 : 0)
                    .description("1 while the provider replies to this instance's calls, 0 after "
                            + downAfterFailures + " failed calls in a row")
                    .tag("provider", provider.label())
                    .register(meters);
        }
    }

    /** Records that the provider replied, whatever the reply contained. */
    public void recordReply(Provider provider) {
        Instant now = clock.instant();
        State before = states.get(provider).getAndUpdate(
                state -> new State(0, now, state.lastFailureAt(), state.lastFailure()));
        if (before.consecutiveFailures() >= downAfterFailures) {
            LOG.infof("%s replies again after %d failed calls", provider.label(), before.consecutiveFailures());
        }
    }

    /** Records a call that got no usable reply: no connection, a timeout, an unreadable 5xx or refused credentials. */
    public void recordFailure(Provider provider, String reason) {
        Instant now = clock.instant();
        State after = states.get(provider).updateAndGet(
                state -> new State(state.consecutiveFailures() + 1, state.lastReplyAt(), now, reason));
        if (after.consecutiveFailures() == downAfterFailures) {
            LOG.errorf("%s is down for this instance after %d failed calls in a row; last failure: %s",
                    provider.label(), after.consecutiveFailures(), reason);
        }
    }

    public boolean isUp(Provider provider) {
        return states.get(provider).get().consecutiveFailures() < downAfterFailures;
    }

    public State state(Provider provider) {
        return states.get(provider).get();
    }

    public int downAfterFailures() {
        return downAfterFailures;
    }
}
