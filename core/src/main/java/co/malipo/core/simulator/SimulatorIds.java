package co.malipo.core.simulator;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import co.malipo.core.daraja.DarajaTime;

/** Random and time-based identifiers in the formats Daraja uses. */
final class SimulatorIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String RECEIPT_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final int TOKEN_LENGTH = 28;
    private static final int RECEIPT_LENGTH = 10;
    private static final DateTimeFormatter CHECKOUT_TIME =
            DateTimeFormatter.ofPattern("ddMMyyyyHHmmssSSS").withZone(DarajaTime.NAIROBI);

    private SimulatorIds() {
    }

    /** Returns an opaque OAuth access token of 28 letters and digits. */
    static String accessToken() {
        return randomString(ALPHANUMERIC, TOKEN_LENGTH);
    }

    /** Returns an id shaped like Daraja's, for example {@code 2654-4b64-97ff-b827b542881d3130}. */
    static String merchantRequestId() {
        String uuid = UUID.randomUUID().toString();
        return uuid.substring(uuid.indexOf('-') + 1) + RANDOM.nextInt(10_000);
    }

    /** Returns the {@code requestId} of an error reply, which Daraja shapes like a MerchantRequestID. */
    static String requestId() {
        return merchantRequestId();
    }

    /** Returns {@code ws_CO_}, the time in East Africa Time to the millisecond, then the phone number. */
    static String checkoutRequestId(Instant time, String phoneNumber) {
        return "ws_CO_" + CHECKOUT_TIME.format(time) + phoneNumber;
    }

    /** Returns a random M-Pesa receipt number of 10 upper-case letters and digits. Callers check uniqueness. */
    static String receiptNumber() {
        return randomString(RECEIPT_CHARACTERS, RECEIPT_LENGTH);
    }

    private static String randomString(String alphabet, int length) {
        StringBuilder builder = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            builder.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return builder.toString();
    }
}
