package co.malipo.core.push;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.config.GatewayConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * Claims queued pushes and sends them. A commit that queues a push calls {@link #wake()}; the
 * schedule is only the fallback for pushes queued by other instances or left after a restart.
 * No transaction is open while Daraja is called.
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

    public PushWorker(PushJobs jobs, PushSender sender, GatewayConfig config, Clock clock) {
        this.jobs = jobs;
        this.sender = sender;
        this.config = config.push();
        this.clock = clock;
        this.senders = Executors.newFixedThreadPool(this.config.concurrency(), daemon("malipo-push-send"));
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
                List<PushJobs.Claim> claims;
                do {
                    Instant now = clock.instant();
                    claims = QuarkusTransaction.requiringNew()
                            .call(() -> jobs.claim(config.concurrency(), now, config.lease()));
                    sendAll(claims);
                } while (!claims.isEmpty());
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

    private void sendAll(List<PushJobs.Claim> claims) {
        List<Future<?>> running = new ArrayList<>();
        for (PushJobs.Claim claim : claims) {
            running.add(senders.submit(() -> sender.send(claim)));
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.error("A push failed unexpectedly; its lease expiry will mark the outcome unknown", e.getCause());
            }
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
