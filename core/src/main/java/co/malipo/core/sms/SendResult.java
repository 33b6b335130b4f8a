package co.malipo.core.sms;

import java.util.List;

/** Outcome of one request to Africa's Talking's messaging API. */
public sealed interface SendResult {

    /** HTTP 201 with one entry per recipient. Each entry may still be a failure. */
    record Answered(String message, List<Recipient> recipients) implements SendResult {
    }

    /**
     * The account or its settings are wrong: HTTP 201 with no recipients (for example {@code
     * InvalidSenderId}), HTTP 401 or 403, missing credentials or an invalid base URL. Nothing was sent and an operator must act.
     */
    record ConfigurationError(String reason, Integer httpStatus) implements SendResult {
    }

    /**
     * Worth trying again: HTTP 5xx, a timeout or a failed connection. {@code maybeSent} is true when
     * the request left, so a retry may send the message twice.
     */
    record Transient(String reason, Integer httpStatus, boolean maybeSent) implements SendResult {
    }

    /** Any other reply, such as HTTP 400 or an unreadable body. Trying again would fail the same way. */
    record Rejected(String reason, int httpStatus) implements SendResult {
    }

    /**
     * One recipient's entry. {@code messageId} is null when Africa's Talking sent none or sent
     * {@code "None"}, which it does for failed recipients.
     */
    record Recipient(String number, int statusCode, String status, String messageId, String cost) {

        public RecipientStatus.Kind kind() {
            return RecipientStatus.kindOf(statusCode);
        }
    }
}
