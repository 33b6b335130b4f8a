package co.malipo.core.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import co.malipo.core.config.GatewayConfig;
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
    private final WebhookSender sender;
    private final GatewayConfig.Webhooks config;
    private final Clock clock;
    private final Duration lease;
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(daemon("malipo-webhook-dispatch"));
    private final ExecutorService senders;
    private final Semaphore slots;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean wakeRequested = new AtomicBoolean();

    public WebhookWorker(DeliveryRepository deliveries, WebhookSender sender, GatewayConfig config, Clock clock) {
        this.deliveries = deliveries;
        this.sender = sender;
        this.config = config.webhooks();
        this.clock = clock;
        this.lease = this.config.connectTimeout().plus(this.config.readTimeout()).multipliedBy(2);
        this.senders = Executors.newFixedThreadPool(this.config.concurrency(), daemon("malipo-webhook-send"));
        this.slots = new Semaphore(this.config.concurrency());
    }

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) WebhookOutbox.DeliveriesQueued queued) {
        wake();
    }

    @Scheduled(every = "${malipo.webhooks.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            QuarkusTransaction.requiringNew().run(() -> deliveries.releaseExpired(clock.instant()));
        } catch (RuntimeException e) {
            LOG.error("Could not release expired webhook deliveries", e);
        }
        wake();
    }

    /** Starts a drain unless one is running, in which case that one goes round once more. */
    public void wake() {
        wakeRequested.set(true);
        if (draining.compareAndSet(false, true)) {
            dispatcher.submit(this::drain);
        }
    }

    private void drain() {
        try {
            while (wakeRequested.getAndSet(false)) {
                claimWhileSlotsFree();
            }
        } catch (RuntimeException e) {
            LOG.error("Webhook drain failed; the schedule will try again", e);
        } finally {
            draining.set(false);
            if (wakeRequested.get() && draining.compareAndSet(false, true)) {
                dispatcher.submit(this::drain);
            }
        }
    }

    private void claimWhileSlotsFree() {
        while (true) {
            int free = slots.availablePermits();
            if (free == 0) {
                return;
            }
            Instant now = clock.instant();
            List<DeliveryRepository.Claimed> claimed = QuarkusTransaction.requiringNew().call(() -> {
                deliveries.supersedeOlder(now);
                return deliveries.claim(now, lease, free, config.perEndpointConcurrency());
            });
            if (claimed.isEmpty()) {
                return;
            }
            for (DeliveryRepository.Claimed delivery : claimed) {
                // Only this thread takes slots and it claimed no more than were free, so this never waits.
                slots.acquireUninterruptibly();
                senders.submit(() -> sendAndRelease(delivery));
            }
        }
    }

    private void sendAndRelease(DeliveryRepository.Claimed delivery) {
        try {
            sender.send(delivery);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Webhook delivery %s failed unexpectedly; its lease expiry returns it to the queue",
                    delivery.deliveryId());
        } finally {
            slots.release();
            wake();
        }
    }

    @PreDestroy
    void stop() {
        dispatcher.shutdownNow();
        senders.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
