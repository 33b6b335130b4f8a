package co.malipo.core.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.core.config.GatewayConfig;

/**
 * Simulator of Africa's Talking's messaging API ({@code POST /version1/messaging}) in its JSON
 * reply format. Every number succeeds with status 101 except:
 * <ul>
 * <li>{@value #BLACKLISTED}: HTTP 201 with status 406 {@code UserInBlacklist} and message id {@code None};</li>
 * <li>{@value #FAILS_ONCE}: HTTP 500 on the first request to it, then success;</li>
 * <li>{@value #NO_BALANCE}: HTTP 201 with status 405 {@code InsufficientBalance} and message id {@code None};</li>
 * <li>any number, when {@code from} is {@code malipo.sms.simulator-invalid-sender-id}: HTTP 201
 * with no recipients and the message {@code InvalidSenderId}.</li>
 * </ul>
 * Requests without an {@code apiKey} header or {@code username} get HTTP 401. Every method returns
 * 404 while {@code malipo.sms.simulator-enabled} is false. State is in memory, per process.
 *
 * <p>{@link #faults()} injects transport faults into a share of the replies, as in {@link DarajaSimulator#faults()}:
 * {@code SLOW}, {@code HTML} and {@code DROP} hit the reply of a message that was accepted, and {@code SERVER_ERROR}
 * replaces the handling with HTTP 503.
 */
@ApplicationScoped
public class AfricasTalkingSimulator {

    public static final String BLACKLISTED = "+254700000023";
    public static final String FAILS_ONCE = "+254700000024";
    public static final String NO_BALANCE = "+254700000025";

    /** Maximum number of messages kept for {@link #receivedMessages()}. The oldest is dropped first. */
    static final int MAX_RECEIVED = 1000;

    /** One accepted request, as the simulator decoded it. */
    public record ReceivedMessage(String username, String to, String message, String from) {
    }

    private final boolean enabled;
    private final String invalidSenderId;
    private final List<ReceivedMessage> received = new CopyOnWriteArrayList<>();
    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final SimulatorFaults faults = new SimulatorFaults();
    private final Duration slowReplyDelay;

    @Inject
    public AfricasTalkingSimulator(GatewayConfig config) {
        this(config.sms().simulatorEnabled(), config.sms().simulatorInvalidSenderId(),
                config.sms().simulatorSlowReplyDelay());
        faults.set(SimulatorFaults.Plan.parse(config.sms().simulatorFaults().orElse("")));
    }

    public AfricasTalkingSimulator(boolean enabled, String invalidSenderId) {
        this(enabled, invalidSenderId, Duration.ofSeconds(20));
    }

    public AfricasTalkingSimulator(boolean enabled, String invalidSenderId, Duration slowReplyDelay) {
        this.enabled = enabled;
        this.invalidSenderId = invalidSenderId;
        this.slowReplyDelay = slowReplyDelay;
    }

    /** Returns the faults this simulator injects into a share of its replies. */
    public SimulatorFaults faults() {
        return faults;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Handles one send request; {@code to} is the comma-separated list of numbers. */
    public SimulatorReply send(String apiKey, String username, String to, String message, String from) {
        if (!enabled) {
            return SimulatorReply.notFound();
        }
        Optional<SimulatorFaults.Fault> fault = faults.next();
        if (fault.equals(Optional.of(SimulatorFaults.Fault.SERVER_ERROR))) {
            return new SimulatorReply(503, WireFields.MAPPER.createObjectNode().put("detail", "Service Unavailable"));
        }
        SimulatorReply reply = handle(apiKey, username, to, message, from);
        if (fault.isEmpty()) {
            return reply;
        }
        return switch (fault.get()) {
            case SLOW -> {
                pause(slowReplyDelay);
                yield reply;
            }
            case HTML -> SimulatorReply.html();
            case DROP -> SimulatorReply.dropped();
            case SERVER_ERROR -> throw new IllegalStateException("handled above");
        };
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SimulatorReply handle(String apiKey, String username, String to, String message, String from) {
        if (apiKey == null || apiKey.isBlank() || username == null || username.isBlank()) {
            return new SimulatorReply(401, WireFields.MAPPER.createObjectNode()
                    .put("detail", "The supplied authentication is invalid"));
        }
        if (to == null || to.isBlank() || message == null) {
            return new SimulatorReply(400, WireFields.MAPPER.createObjectNode()
                    .put("detail", "Request is missing required form field 'to' or 'message'"));
        }

        List<String> numbers = new ArrayList<>();
        for (String number : to.split(",")) {
            numbers.add(number.trim());
        }
        if (numbers.contains(FAILS_ONCE) && failedOnce.add(FAILS_ONCE)) {
            return new SimulatorReply(500, WireFields.MAPPER.createObjectNode().put("detail", "Internal Server Error"));
        }

        record(new ReceivedMessage(username, to, message, from));
        if (invalidSenderId.equals(from)) {
            return reply("InvalidSenderId", WireFields.MAPPER.createArrayNode());
        }

        ArrayNode recipients = WireFields.MAPPER.createArrayNode();
        int sent = 0;
        for (String number : numbers) {
            ObjectNode recipient = recipients.addObject();
            if (BLACKLISTED.equals(number)) {
                recipient.put("statusCode", 406).put("number", number).put("status", "UserInBlacklist")
                        .put("cost", "0").put("messageId", "None");
            } else if (NO_BALANCE.equals(number)) {
                recipient.put("statusCode", 405).put("number", number).put("status", "InsufficientBalance")
                        .put("cost", "0").put("messageId", "None");
            } else {
                sent++;
                recipient.put("statusCode", 101).put("number", number).put("status", "Success")
                        .put("cost", "KES 0.8000").put("messageId", "ATPid_sim" + ids.incrementAndGet());
            }
        }
        String summary = "Sent to " + sent + "/" + numbers.size() + " Total Cost: KES "
                + String.format(java.util.Locale.ROOT, "%.4f", sent * 0.8);
        return reply(summary, recipients);
    }

    private static SimulatorReply reply(String summary, ArrayNode recipients) {
        ObjectNode body = WireFields.MAPPER.createObjectNode();
        body.putObject("SMSMessageData").put("Message", summary).set("Recipients", recipients);
        return new SimulatorReply(201, body);
    }

    private void record(ReceivedMessage message) {
        received.add(message);
        while (received.size() > MAX_RECEIVED) {
            received.remove(0);
        }
    }

    /** Test hook: returns the requests received, oldest first, except those rejected with 401, 404 or 500. */
    public List<ReceivedMessage> receivedMessages() {
        return List.copyOf(received);
    }

    /** Test hook: clears the received messages and the numbers that already failed once. */
    public void reset() {
        received.clear();
        failedOnce.clear();
    }
}
