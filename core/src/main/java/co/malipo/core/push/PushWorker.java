package co.malipo.core.push;

import java.time.Clock;
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
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(daemon("malipo-push-dispatch"));
    private final ExecutorService senders;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final Semaphore slots;

    public PushWorker(PushJobs jobs, PushSender sender, GatewayConfig config, Clock clock) {
        this.jobs = jobs;
        this.sender = sender;
        this.config = config.push();
        this.clock = clock;
        this.senders = Executors.newFixedThreadPool(this.config.concurrency(), daemon("malipo-push-send"));
        this.slots = new Semaphore(this.config.concurrency());
    }

    /** Starts a drain of the queue unless one is running, in which case that one goes round once more. */
    public void wake() {
        wakeRequested.set(true);
        if (draining.compareAndSet(false, true)) {
            dispatcher.submit(this::drain);
        }
    }

    @Scheduled(every = "${malipo.push.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        expireLeases();
        wake();
    }

    private void drain() {
        try {
            while (wakeRequested.getAndSet(false)) {
                claimWhileSlotsFree();
            }
        } catch (RuntimeException e) {
            LOG.error("Push queue drain failed; the schedule will try again", e);
        } finally {
            draining.set(false);
            if (wakeRequested.get() && draining.compareAndSet(false, true)) {
                dispatcher.submit(this::drain);
            }
        }
    }

    /**
     * Claims as many due jobs as there are free send slots and starts each at once, so one slow
     * Daraja reply holds only its own slot. A send that finishes frees its slot and wakes the worker.
     */
    private void claimWhileSlotsFree() {
        while (true) {
            int free = slots.availablePermits();
            if (free == 0) {
                return;
            }
            Instant now = clock.instant();
            List<PushJobs.Claim> claims = QuarkusTransaction.requiringNew()
                    .call(() -> jobs.claim(free, now, config.lease(), config.phoneHoldWindow()));
            if (claims.isEmpty()) {
                return;
            }
            for (PushJobs.Claim claim : claims) {
                // Only this thread takes slots and it claimed no more than were free, so this never waits.
                slots.acquireUninterruptibly();
                senders.submit(() -> sendAndRelease(claim));
            }
        }
    }

    void onPhoneReleased(@Observes(during = TransactionPhase.AFTER_SUCCESS) PhonePrompts.Released released) {
        wake();
    }

    private void sendAndRelease(PushJobs.Claim claim) {
        try {
            sender.send(claim);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Push of invoice %s failed unexpectedly; its lease expiry will mark the outcome unknown",
                    claim.invoiceId());
        } finally {
            slots.release();
            wake();
        }
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
