package co.malipo.core.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.support.SlotDispatcher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * Delivers webhook events. A commit that queues deliveries wakes the worker; the schedule is the
 * fallback and also returns deliveries of a dead worker to the queue. Claims are leases taken with
 * {@code SKIP LOCKED}, so any number of instances share the work.
 */
@ApplicationScoped
public class WebhookWorker {

    private static final Logger LOG = Logger.getLogger(WebhookWorker.class);

    private final DeliveryRepository deliveries;
    private final GatewayConfig.Webhooks config;
    private final Clock clock;
    private final Duration lease;
    private final SlotDispatcher<DeliveryRepository.Claimed> dispatcher;

    public WebhookWorker(DeliveryRepository deliveries, WebhookSender sender, GatewayConfig config, Clock clock) {
        this.deliveries = deliveries;
        this.config = config.webhooks();
        this.clock = clock;
        this.lease = this.config.connectTimeout().plus(this.config.readTimeout()).multipliedBy(2);
        this.dispatcher = new SlotDispatcher<>("webhook", this.config.concurrency(), this::claim, sender::send,
                delivery -> delivery.deliveryId().toString());
    }

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) WebhookOutbox.DeliveriesQueued queued) {
        wake();
    }

    @Scheduled(every = "${malipo.webhooks.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                deliveries.releaseExpired(clock.instant());
                deliveries.supersedeOlder(clock.instant());
            });
        } catch (RuntimeException e) {
            LOG.error("Could not release expired or supersede older webhook deliveries", e);
        }
        wake();
    }

    /** Starts a drain unless one is running, in which case that one goes round once more. */
    public void wake() {
        dispatcher.wake();
    }

    private List<DeliveryRepository.Claimed> claim(int free) {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew()
                .call(() -> deliveries.claim(now, lease, free, config.perEndpointConcurrency()));
    }

    @PreDestroy
    void stop() {
        dispatcher.stop();
    }
}
