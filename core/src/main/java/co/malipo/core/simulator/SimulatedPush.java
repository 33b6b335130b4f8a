package co.malipo.core.simulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A push the simulator accepted.
 *
 * @param dueAt when the outcome is due: the callback is posted then, and queries stop returning "being processed"
 * @param receipt M-Pesa receipt number, present when the customer pays in this push's scenario
 * @param lateCallbackScheduled set once the late success callback of its scenario has been scheduled
 * @param callbackPosts number of callback posts attempted, counting each copy of a repeated callback
 */
record SimulatedPush(
        String checkoutRequestId,
        String merchantRequestId,
        String phoneNumber,
        BigDecimal amount,
        String callbackUrl,
        Instant dueAt,
        Scenario scenario,
        Optional<String> receipt,
        AtomicBoolean lateCallbackScheduled,
        AtomicInteger callbackPosts) {
}
