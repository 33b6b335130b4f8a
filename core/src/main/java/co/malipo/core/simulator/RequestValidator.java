package co.malipo.core.simulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import co.malipo.core.daraja.DarajaTime;

/**
 * Validator of STK push and STK query bodies, which checks fields in Daraja's order and returns the reply for the
 * first failure. An invalid field gets HTTP 400 and a wrong password HTTP 500, as Daraja replies.
 */
final class RequestValidator {

    /** Maximum distance between a request's Timestamp and the clock, in either direction. */
    static final Duration TIMESTAMP_TOLERANCE = Duration.ofMinutes(10);

    static final int ACCOUNT_REFERENCE_MAX_LENGTH = 12;
    static final int TRANSACTION_DESC_MAX_LENGTH = 13;

    private static final Pattern PHONE = Pattern.compile("^254(7|1)\\d{8}$");
    private static final Pattern TIMESTAMP = Pattern.compile("^\\d{14}$");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("^\\d+$");
    private static final Set<String> TRANSACTION_TYPES = Set.of("CustomerPayBillOnline", "CustomerBuyGoodsOnline");

    /** One field check: the body field, the name Daraja's error message uses, and the check on the field's text. */
    private record FieldRule(String field, String reportedAs, Predicate<String> check) {
    }

    private final SimulatorSettings settings;
    private final Clock clock;
    private final List<FieldRule> pushRules;
    private final List<FieldRule> queryRules;

    RequestValidator(SimulatorSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        FieldRule shortcode = new FieldRule("BusinessShortCode", "BusinessShortCode", this::isConfiguredShortcode);
        FieldRule timestamp = new FieldRule("Timestamp", "Timestamp", this::isCurrentTimestamp);
        this.queryRules = List.of(shortcode, timestamp);
        this.pushRules = List.of(
                shortcode,
                timestamp,
                new FieldRule("Amount", "Amount", RequestValidator::isValidAmount),
                new FieldRule("PhoneNumber", "PhoneNumber", RequestValidator::isValidPhone),
                new FieldRule("PartyA", "PartyA", RequestValidator::isValidPhone),
                new FieldRule("CallBackURL", "CallBackURL", RequestValidator::isValidCallbackUrl),
                new FieldRule("AccountReference", "AccountReference",
                        text -> isNonBlankUpTo(text, ACCOUNT_REFERENCE_MAX_LENGTH)),
                new FieldRule("TransactionDesc", "Remarks",
                        text -> isNonBlankUpTo(text, TRANSACTION_DESC_MAX_LENGTH)),
                new FieldRule("TransactionType", "TransactionType", TRANSACTION_TYPES::contains));
    }

    /** Returns the error reply for the first invalid field or a wrong password, or empty if the push is valid. */
    Optional<SimulatorReply> validatePush(JsonNode body) {
        return validate(body, pushRules);
    }

    /** Returns the error reply for an invalid shortcode or timestamp or a wrong password, or empty if valid. */
    Optional<SimulatorReply> validateQuery(JsonNode body) {
        return validate(body, queryRules);
    }

    private Optional<SimulatorReply> validate(JsonNode body, List<FieldRule> rules) {
        for (FieldRule rule : rules) {
            String text = WireFields.textOrEmpty(body, rule.field());
            if (!rule.check().test(text)) {
                return Optional.of(DarajaErrors.invalidField(rule.reportedAs()));
            }
        }
        if (!hasExpectedPassword(body)) {
            return Optional.of(DarajaErrors.merchantError(DarajaErrors.WRONG_CREDENTIALS));
        }
        return Optional.empty();
    }

    private boolean isConfiguredShortcode(String text) {
        return settings.shortcode() != null && !text.isEmpty() && text.equals(settings.shortcode());
    }

    /** Returns whether the text is {@code yyyyMMddHHmmss} in East Africa Time within the tolerance of the clock. */
    private boolean isCurrentTimestamp(String text) {
        if (!TIMESTAMP.matcher(text).matches()) {
            return false;
        }
        Instant stamped;
        try {
            stamped = DarajaTime.parseTimestamp(text);
        } catch (DateTimeParseException e) {
            return false;
        }
        Duration offset = Duration.between(clock.instant(), stamped).abs();
        return offset.compareTo(TIMESTAMP_TOLERANCE) <= 0;
    }

    private boolean hasExpectedPassword(JsonNode body) {
        if (settings.shortcode() == null || settings.passkey() == null) {
            return false;
        }
        String timestamp = WireFields.textOrEmpty(body, "Timestamp");
        String expected = DarajaTime.password(settings.shortcode(), settings.passkey(), timestamp);
        String actual = WireFields.textOrEmpty(body, "Password");
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns whether the amount is a whole number of at least 1, written without a decimal point. {@code 100.0} is
     * rejected too, so a client that does not round is caught.
     */
    static boolean isValidAmount(String text) {
        return WHOLE_NUMBER.matcher(text).matches() && text.chars().anyMatch(c -> c != '0');
    }

    static boolean isValidPhone(String text) {
        return PHONE.matcher(text).matches();
    }

    /** Returns whether the text is an absolute http or https URL with a host. */
    static boolean isValidCallbackUrl(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme();
        boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
        return web && uri.getHost() != null;
    }

    private static boolean isNonBlankUpTo(String text, int maxLength) {
        return !text.isBlank() && text.length() <= maxLength;
    }
}
