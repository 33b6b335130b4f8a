package co.malipo.core.simulator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Accepted pushes by CheckoutRequestID, and the receipt numbers handed out, both unique. A push is removed by the
 * first sweep more than {@link #RETENTION} after its outcome was due, so that a long-running test deployment does
 * not grow without bound.
 */
final class PushRegistry {

    static final Duration RETENTION = Duration.ofHours(24);
    /**
     * Time between sweeps for expired pushes. A sweep walks every stored push, so sweeping on each
     * push made a run of n pushes cost O(n^2).
     */
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final Map<String, SimulatedPush> pushes = new ConcurrentHashMap<>();
    private final Set<String> receiptNumbers = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Instant> nextSweepAt = new AtomicReference<>(Instant.MIN);

    /**
     * Stores a validated push under a new CheckoutRequestID. When another push to the same phone got the same
     * millisecond, the time in the id moves on by 1 ms until the id is unused.
     */
    SimulatedPush register(JsonNode body, Scenario scenario, Instant now, Duration callbackDelay) {
        Instant sweepAt = nextSweepAt.get();
        if (!now.isBefore(sweepAt) && nextSweepAt.compareAndSet(sweepAt, now.plus(SWEEP_INTERVAL))) {
            forgetPushesDueBefore(now.minus(RETENTION));
        }
        String phone = WireFields.textOrEmpty(body, "PhoneNumber");
        BigDecimal amount = new BigDecimal(WireFields.textOrEmpty(body, "Amount"));
        String callbackUrl = WireFields.textOrEmpty(body, "CallBackURL");
        Optional<String> receipt = scenario.customerPays() ? Optional.of(newReceiptNumber()) : Optional.empty();
        String merchantRequestId = SimulatorIds.merchantRequestId();
        for (long offset = 0; ; offset++) {
            String checkoutRequestId = SimulatorIds.checkoutRequestId(now.plusMillis(offset), phone);
            SimulatedPush push = new SimulatedPush(checkoutRequestId, merchantRequestId, phone, amount, callbackUrl,
                    now.plus(callbackDelay), scenario, receipt, new AtomicBoolean(), new AtomicInteger());
            if (pushes.putIfAbsent(checkoutRequestId, push) == null) {
                return push;
            }
        }
    }

    Optional<SimulatedPush> find(String checkoutRequestId) {
        return Optional.ofNullable(pushes.get(checkoutRequestId));
    }

    /** Returns the newest accepted push whose CallBackURL is {@code callbackUrl}. */
    Optional<SimulatedPush> findByCallbackUrl(String callbackUrl) {
        return pushes.values().stream().filter(push -> push.callbackUrl().equals(callbackUrl))
                .max(java.util.Comparator.comparing(SimulatedPush::checkoutRequestId));
    }

    void clear() {
        pushes.clear();
        receiptNumbers.clear();
    }

    private void forgetPushesDueBefore(Instant cutoff) {
        pushes.values().removeIf(push -> {
            boolean expired = push.dueAt().isBefore(cutoff);
            if (expired) {
                push.receipt().ifPresent(receiptNumbers::remove);
            }
            return expired;
        });
    }

    private String newReceiptNumber() {
        String receipt = SimulatorIds.receiptNumber();
        while (!receiptNumbers.add(receipt)) {
            receipt = SimulatorIds.receiptNumber();
        }
        return receipt;
    }
}
