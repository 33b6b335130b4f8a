package co.malipo.core.observability;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.HealthGroup;

/**
 * Health checks of Daraja and Africa's Talking in the {@code providers} group, served at
 * {@code /q/health/group/providers}. They are in no liveness or readiness check on purpose: a
 * restarted or unready pod would not bring a provider back, and the Daraja callback endpoint must
 * keep accepting results while Daraja's other endpoints fail.
 */
public final class ProviderHealthChecks {

    /** Group name of the provider checks. */
    public static final String GROUP = "providers";

    private ProviderHealthChecks() {
    }

    static HealthCheckResponse check(ProviderStatus status, ProviderStatus.Provider provider) {
        ProviderStatus.State state = status.state(provider);
        HealthCheckResponseBuilder response = HealthCheckResponse.named(provider.label())
                .status(status.isUp(provider))
                .withData("consecutive_failures", state.consecutiveFailures())
                .withData("down_after_failures", status.downAfterFailures());
        if (state.lastReplyAt() != null) {
            response.withData("last_reply_at", state.lastReplyAt().toString());
        }
        if (state.lastFailureAt() != null) {
            response.withData("last_failure_at", state.lastFailureAt().toString());
            response.withData("last_failure", state.lastFailure());
        }
        return response.build();
    }

    /** Daraja as seen by this instance's pushes, status queries and token requests. */
    @HealthGroup(GROUP)
    @ApplicationScoped
    public static class Daraja implements HealthCheck {

        private final ProviderStatus status;

        public Daraja(ProviderStatus status) {
            this.status = status;
        }

        @Override
        public HealthCheckResponse call() {
            return check(status, ProviderStatus.Provider.DARAJA);
        }
    }

    /** Africa's Talking as seen by this instance's SMS requests. */
    @HealthGroup(GROUP)
    @ApplicationScoped
    public static class AfricasTalking implements HealthCheck {

        private final ProviderStatus status;

        public AfricasTalking(ProviderStatus status) {
            this.status = status;
        }

        @Override
        public HealthCheckResponse call() {
            return check(status, ProviderStatus.Provider.AFRICAS_TALKING);
        }
    }
}
