package co.malipo.core.sms;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Next step for a stored message after one send attempt. */
public sealed interface SmsDecision {

    /** Africa's Talking took the message. {@code providerMessageId} is null when it sent no usable id. */
    record Sent(String providerMessageId, int statusCode) implements SmsDecision {
    }

    /** Try again at {@code nextAttemptAt}. */
    record Retry(Integer statusCode, String reason, Instant nextAttemptAt) implements SmsDecision {
    }

    /** End the message as FAILED. {@code alertOperator} is set when the account or settings are at fault. */
    record Fail(Integer statusCode, String reason, boolean alertOperator) implements SmsDecision {
    }

    /**
     * Decides from the result of attempt number {@code attempts} (1 for the first). A transient
     * failure is retried after {@code retryDelays[attempts - 1]} and fails once the delays run out.
     * The request carries one recipient, so the first recipient entry decides.
     */
    static SmsDecision of(SendResult result, int attempts, List<Duration> retryDelays, Instant now) {
        if (result instanceof SendResult.Answered answered) {
            SendResult.Recipient recipient = answered.recipients().get(0);
            String reason = recipient.status() + " (" + recipient.statusCode() + ")";
            return switch (recipient.kind()) {
                case ACCEPTED -> new Sent(recipient.messageId(), recipient.statusCode());
                case TRANSIENT -> retryOrFail(recipient.statusCode(), reason, attempts, retryDelays, now);
                case PERMANENT -> new Fail(recipient.statusCode(), reason, false);
                case CONFIGURATION -> new Fail(recipient.statusCode(), reason, true);
            };
        }
        if (result instanceof SendResult.Transient failure) {
            return retryOrFail(failure.httpStatus(), failure.reason(), attempts, retryDelays, now);
        }
        if (result instanceof SendResult.ConfigurationError error) {
            return new Fail(error.httpStatus(), error.reason(), true);
        }
        SendResult.Rejected rejected = (SendResult.Rejected) result;
        return new Fail(rejected.httpStatus(), rejected.reason(), false);
    }

    private static SmsDecision retryOrFail(Integer statusCode, String reason, int attempts, List<Duration> retryDelays,
            Instant now) {
        if (attempts > retryDelays.size()) {
            return new Fail(statusCode, reason + "; gave up after " + attempts + " attempts", false);
        }
        return new Retry(statusCode, reason, now.plus(retryDelays.get(attempts - 1)));
    }
}
