package co.malipo.core.simulator;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Outcome of a push, chosen by the customer's phone number (PartyA). Amounts never change the outcome, and any
 * number not listed here succeeds.
 *
 * @param rejection Daraja's error message when the push itself is rejected with HTTP 500
 * @param callbackCode result code of the callback posted after the callback delay, or empty if none is posted then
 * @param callbackCopies how many copies of that callback are posted at once
 * @param queryCode result code an STK query returns once the outcome is due, or empty if it stays "being processed"
 * @param slowReply whether the push reply is held back for the slow-reply delay
 * @param lateSuccessCallback whether a success callback is posted the late-callback delay after the first query
 *     that returned the query code
 */
record Scenario(
        Optional<String> rejection,
        OptionalInt callbackCode,
        int callbackCopies,
        OptionalInt queryCode,
        boolean slowReply,
        boolean lateSuccessCallback) {

    /** {@code 25470010} followed by four digits: the callback and the query carry those digits as the result code. */
    private static final Pattern RESULT_CODE_NUMBER = Pattern.compile("^25470010(\\d{4})$");

    /** Push rejected with HTTP 500 because another transaction has locked the subscriber. */
    static final String SUBSCRIBER_LOCKED = "254700300001";
    /** Push rejected with HTTP 500 "[MerchantValidate] - Wrong credentials". */
    static final String WRONG_CREDENTIALS = "254700300002";
    /** Customer pays but the callback is never posted. Queries return 0 once due. */
    static final String CALLBACK_LOST = "254700200001";
    /** The success callback is posted three times at once. */
    static final String CALLBACK_TRIPLED = "254700200002";
    /** Queries return 1037 once due, and a success callback follows the first of them. */
    static final String LATE_SUCCESS_AFTER_TIMEOUT = "254700200003";
    /** The callback reports success while queries return 1032. */
    static final String QUERY_CONTRADICTS_CALLBACK = "254700200004";
    /** No callback, and queries return "being processed" forever. */
    static final String NEVER_RESOLVED = "254700200005";
    /** The push reply waits for the slow-reply delay, but the success callback keeps its usual time. */
    static final String SLOW_REPLY = "254700200006";

    /** Returns the scenario for the PartyA phone number of a push. */
    static Scenario forPhone(String phone) {
        Matcher resultCode = RESULT_CODE_NUMBER.matcher(phone);
        if (resultCode.matches()) {
            return completes(Integer.parseInt(resultCode.group(1)));
        }
        return switch (phone) {
            case SUBSCRIBER_LOCKED -> rejected(DarajaErrors.SUBSCRIBER_LOCKED);
            case WRONG_CREDENTIALS -> rejected(DarajaErrors.WRONG_CREDENTIALS);
            case CALLBACK_LOST -> new Scenario(Optional.empty(), OptionalInt.empty(), 0,
                    OptionalInt.of(ResultCodes.SUCCESS), false, false);
            case CALLBACK_TRIPLED -> new Scenario(Optional.empty(), OptionalInt.of(ResultCodes.SUCCESS), 3,
                    OptionalInt.of(ResultCodes.SUCCESS), false, false);
            case LATE_SUCCESS_AFTER_TIMEOUT -> new Scenario(Optional.empty(), OptionalInt.empty(), 0,
                    OptionalInt.of(ResultCodes.USER_UNREACHABLE), false, true);
            case QUERY_CONTRADICTS_CALLBACK -> new Scenario(Optional.empty(), OptionalInt.of(ResultCodes.SUCCESS), 1,
                    OptionalInt.of(ResultCodes.CANCELLED_BY_USER), false, false);
            case NEVER_RESOLVED -> new Scenario(Optional.empty(), OptionalInt.empty(), 0,
                    OptionalInt.empty(), false, false);
            case SLOW_REPLY -> new Scenario(Optional.empty(), OptionalInt.of(ResultCodes.SUCCESS), 1,
                    OptionalInt.of(ResultCodes.SUCCESS), true, false);
            default -> completes(ResultCodes.SUCCESS);
        };
    }

    /** Returns whether the customer pays in the end, so that the push gets an M-Pesa receipt number. */
    boolean customerPays() {
        return lateSuccessCallback
                || callbackCode.equals(OptionalInt.of(ResultCodes.SUCCESS))
                || queryCode.equals(OptionalInt.of(ResultCodes.SUCCESS));
    }

    private static Scenario completes(int code) {
        return new Scenario(Optional.empty(), OptionalInt.of(code), 1, OptionalInt.of(code), false, false);
    }

    private static Scenario rejected(String message) {
        return new Scenario(Optional.of(message), OptionalInt.empty(), 0, OptionalInt.empty(), false, false);
    }
}
