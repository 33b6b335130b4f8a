package co.malipo.core.push;

import java.time.Clock;
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
 * Claims queued pushes and sends them. A commit that queues a push calls {@link #wake()}, and so
 * does the commit that settles an invoice holding a phone ({@link PhonePrompts.Released}), so a
 * push waiting for that phone is sent at once. The schedule is the fallback: it picks up pushes
 * queued or released by other instances, pushes whose phone hold ran out, and those left after
 * a restart. No transaction is open while Daraja is called.
 */
@ApplicationScoped
public class PushWorker {

    private static final Logger LOG = Logger.getLogger(PushWorker.class);

    private final PushJobs jobs;
    private final PushSender sender;
    private final GatewayConfig.Push config;
    private final Clock clock;
    private final SlotDispatcher<PushJobs.Claim> dispatcher;

    public PushWorker(PushJobs jobs, PushSender sender, GatewayConfig config, Clock clock) {
        this.jobs = jobs;
        this.sender = sender;
        this.config = config.push();
        this.clock = clock;
        // A push in flight waits up to the Daraja read timeout, so each occupies one slot of its own.
        this.dispatcher = new SlotDispatcher<>("push", this.config.concurrency(), this::claim, sender::send,
                PushJobs.Claim::invoiceId);
    }

    /** Starts a drain of the queue unless one is running, in which case that one goes round once more. */
    public void wake() {
        dispatcher.wake();
    }

    @Scheduled(every = "${malipo.push.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        expireLeases();
        wake();
    }

    private List<PushJobs.Claim> claim(int free) {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew()
                .call(() -> jobs.claim(free, now, config.lease(), config.phoneHoldWindow()));
    }

    void onPhoneReleased(@Observes(during = TransactionPhase.AFTER_SUCCESS) PhonePrompts.Released released) {
        wake();
    }

    private void expireLeases() {
        try {
            List<String> expired = QuarkusTransaction.requiringNew().call(() -> jobs.expireLeases(clock.instant()));
            expired.forEach(sender::markLeaseExpired);
        } catch (RuntimeException e) {
            LOG.error("Could not expire push leases", e);
        }
    }

    @PreDestroy
    void stop() {
        dispatcher.stop();
    }
}
