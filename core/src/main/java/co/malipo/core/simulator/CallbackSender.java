package co.malipo.core.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.malipo.core.invoice.PhoneNumbers;

/**
 * Sender of STK callbacks to a push's CallBackURL after a delay. A scheduler thread waits out the delay, and each
 * post runs on its own sender thread so that a slow receiver does not delay other callbacks.
 */
final class CallbackSender implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Maximum wait for the other copies of a repeated callback before a copy is posted alone. */
    private static final Duration COPY_START_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(CallbackSender.class);

    private final ObjectMapper mapper;
    private final HttpClient client;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService senders;

    CallbackSender(ObjectMapper mapper) {
        this.mapper = mapper;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("daraja-simulator-scheduler"));
        this.senders = Executors.newCachedThreadPool(daemonThreads("daraja-simulator-callback"));
    }

    /**
     * Schedules the callback of a push. The body is built when the delay has passed. With several copies, all
     * copies start their posts at the same moment, each on its own thread.
     */
    void schedule(SimulatedPush push, Duration delay, int copies, Supplier<JsonNode> body) {
        try {
            scheduler.schedule(() -> dispatch(push, copies, body), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warnf("Simulator is shut down, so the callback for %s was not scheduled", PhoneNumbers.maskWithin(push.checkoutRequestId()));
        }
    }

    private void dispatch(SimulatedPush push, int copies, Supplier<JsonNode> body) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(body.get());
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.errorf(e, "Simulator could not build the callback for %s", PhoneNumbers.maskWithin(push.checkoutRequestId()));
            return;
        }
        CyclicBarrier start = new CyclicBarrier(copies);
        try {
            for (int i = 0; i < copies; i++) {
                senders.execute(() -> {
                    awaitOtherCopies(start, push);
                    post(push, json);
                });
            }
        } catch (RejectedExecutionException e) {
            LOG.warnf("Simulator is shut down, so the callback for %s was not posted", PhoneNumbers.maskWithin(push.checkoutRequestId()));
        }
    }

    private static void awaitOtherCopies(CyclicBarrier start, SimulatedPush push) {
        try {
            start.await(COPY_START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (BrokenBarrierException | TimeoutException e) {
            LOG.warnf("Copies of the callback for %s did not start together; posting anyway",
                    PhoneNumbers.maskWithin(push.checkoutRequestId()));
        }
    }

    /** Posts one callback and logs a failure at WARN with the receiver's host, never the body. */
    private void post(SimulatedPush push, byte[] json) {
        push.callbackPosts().incrementAndGet();
        URI target = URI.create(push.callbackUrl());
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                LOG.warnf("Simulator callback for %s to %s failed with HTTP %d",
                        push.checkoutRequestId(), target.getAuthority(), response.statusCode());
            }
        } catch (IOException e) {
            LOG.warnf("Simulator callback for %s to %s failed: %s",
                    push.checkoutRequestId(), target.getAuthority(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warnf("Simulator callback for %s was interrupted by shutdown", PhoneNumbers.maskWithin(push.checkoutRequestId()));
        }
    }

    /** Stops the threads and drops the callbacks not yet posted. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        senders.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
