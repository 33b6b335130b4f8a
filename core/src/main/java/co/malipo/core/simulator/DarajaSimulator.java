package co.malipo.core.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.PhoneNumbers;

/**
 * Simulator of Daraja's OAuth and M-Pesa Express (STK push and STK query) endpoints on the wire, callbacks included.
 * The customer's phone number picks the outcome, as listed in {@link Scenario}. Every request method returns 404
 * with {@code {"detail":"Not found"}} while {@code malipo.simulator.enabled} is false.
 *
 * <p>The public methods after {@link #unknownPath} are hooks for tests.
 */
@ApplicationScoped
public class DarajaSimulator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DarajaSimulator.class);

    /** Maximum number of push bodies kept for {@link #receivedPushes()}. The oldest body is dropped first. */
    static final int MAX_RECEIVED_PUSHES = 1000;

    private final SimulatorSettings settings;
    private final Clock clock;
    private final RequestValidator validator;
    private final CallbackSender callbacks;

    // NOTE: simulator state is per process and in memory only. With several app instances, a query must reach the
    // instance that accepted the push, and a restart loses every token and push.
    private final TokenStore tokens;
    private final PushRegistry pushes = new PushRegistry();
    private final List<JsonNode> receivedPushes = new CopyOnWriteArrayList<>();
    private final SimulatorFaults faults = new SimulatorFaults();

    /** Creates the simulator with the fault plan of {@code malipo.simulator.faults}, if set. */
    @Inject
    public DarajaSimulator(GatewayConfig config, Clock clock) {
        this(SimulatorSettings.from(config), clock);
        SimulatorFaults.Plan plan = SimulatorFaults.Plan.parse(config.simulator().faults().orElse(""));
        faults.set(plan);
        if (settings.enabled() && !plan.percentages().isEmpty()) {
            LOG.warnf("Daraja simulator injects faults into its replies: %s", plan.format());
        }
    }

    public DarajaSimulator(SimulatorSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.tokens = new TokenStore(clock);
        this.validator = new RequestValidator(settings, clock);
        this.callbacks = new CallbackSender(WireFields.MAPPER);
        if (settings.enabled() && !settings.hasCredentials()) {
            LOG.warnf("Daraja simulator is enabled but the Daraja account '%s' lacks a shortcode, passkey, consumer"
                    + " key or consumer secret, so it rejects every request. Set malipo.daraja.accounts.%s.*",
                    SimulatorSettings.ACCOUNT, SimulatorSettings.ACCOUNT);
        }
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * Returns the faults this simulator injects into a share of its OAuth, push and query replies. A {@code SLOW},
     * {@code HTML} or {@code DROP} fault hits the reply after the request was handled, so an accepted push still
     * prompts the customer and gets its callback. A {@code SERVER_ERROR} replaces the handling, so the push is never
     * accepted.
     */
    public SimulatorFaults faults() {
        return faults;
    }

    /** Handles {@code GET /oauth/v1/generate}: checks the grant type, then the Basic client credentials. */
    public SimulatorReply generateToken(String grantType, String authorization) {
        if (!settings.enabled()) {
            return SimulatorReply.notFound();
        }
        Optional<SimulatorFaults.Fault> fault = faults.next();
        if (fault.equals(Optional.of(SimulatorFaults.Fault.SERVER_ERROR))) {
            return DarajaErrors.serviceUnavailable();
        }
        return withFault(fault, handleToken(grantType, authorization));
    }

    private SimulatorReply handleToken(String grantType, String authorization) {
        if (!"client_credentials".equals(grantType)) {
            return DarajaErrors.invalidGrantType();
        }
        if (!AuthorizationHeaders.hasClientCredentials(
                authorization, settings.consumerKey(), settings.consumerSecret())) {
            return DarajaErrors.invalidAuthentication();
        }
        return SimulatorReply.ok(WireBodies.token(tokens.issue()));
    }

    /**
     * Handles {@code POST /mpesa/stkpush/v1/processrequest}. Checks the token, the fields, the password and the
     * scenario's rejection, in that order. An accepted push gets its callback scheduled before the reply. For the
     * slow-reply number this method blocks for the slow-reply delay before returning.
     */
    public SimulatorReply processRequest(String authorization, String requestBody) {
        if (!settings.enabled()) {
            return SimulatorReply.notFound();
        }
        Optional<SimulatorFaults.Fault> fault = faults.next();
        if (fault.equals(Optional.of(SimulatorFaults.Fault.SERVER_ERROR))) {
            return DarajaErrors.serviceUnavailable();
        }
        return withFault(fault, handlePush(authorization, requestBody));
    }

    private SimulatorReply handlePush(String authorization, String requestBody) {
        if (!tokens.isValid(AuthorizationHeaders.bearerToken(authorization))) {
            return DarajaErrors.invalidAccessToken();
        }
        Optional<JsonNode> parsed = WireFields.parseObject(requestBody);
        if (parsed.isEmpty()) {
            return DarajaErrors.invalidJson();
        }
        JsonNode body = parsed.get();
        recordReceived(body);
        Optional<SimulatorReply> invalid = validator.validatePush(body);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        Scenario scenario = Scenario.forPhone(WireFields.textOrEmpty(body, "PartyA"));
        if (scenario.rejection().isPresent()) {
            return DarajaErrors.merchantError(scenario.rejection().get());
        }
        SimulatedPush push = pushes.register(body, scenario, clock.instant(), settings.callbackDelay());
        scheduleCallback(push);
        LOG.debugf("Simulator accepted push %s", PhoneNumbers.maskWithin(push.checkoutRequestId()));
        if (scenario.slowReply()) {
            pause(settings.slowReplyDelay());
        }
        return SimulatorReply.ok(WireBodies.pushAccepted(push));
    }

    /**
     * Handles {@code POST /mpesa/stkpushquery/v1/query}. Returns "being processed" until the push's outcome is due,
     * then the scenario's query result code. The first due query of the late-callback number schedules its late
     * success callback.
     */
    public SimulatorReply query(String authorization, String requestBody) {
        if (!settings.enabled()) {
            return SimulatorReply.notFound();
        }
        Optional<SimulatorFaults.Fault> fault = faults.next();
        if (fault.equals(Optional.of(SimulatorFaults.Fault.SERVER_ERROR))) {
            return DarajaErrors.serviceUnavailable();
        }
        return withFault(fault, handleQuery(authorization, requestBody));
    }

    private SimulatorReply handleQuery(String authorization, String requestBody) {
        if (!tokens.isValid(AuthorizationHeaders.bearerToken(authorization))) {
            return DarajaErrors.invalidAccessToken();
        }
        Optional<JsonNode> parsed = WireFields.parseObject(requestBody);
        if (parsed.isEmpty()) {
            return DarajaErrors.invalidJson();
        }
        Optional<SimulatorReply> invalid = validator.validateQuery(parsed.get());
        if (invalid.isPresent()) {
            return invalid.get();
        }
        String checkoutRequestId = WireFields.textOrEmpty(parsed.get(), "CheckoutRequestID");
        Optional<SimulatedPush> found = pushes.find(checkoutRequestId);
        if (found.isEmpty()) {
            return DarajaErrors.invalidField("CheckoutRequestID");
        }
        SimulatedPush push = found.get();
        if (clock.instant().isBefore(push.dueAt()) || push.scenario().queryCode().isEmpty()) {
            return DarajaErrors.beingProcessed(checkoutRequestId);
        }
        scheduleLateCallback(push);
        return SimulatorReply.ok(WireBodies.queryResult(push, push.scenario().queryCode().getAsInt()));
    }

    /** Returns the 404 reply for a path under the simulator prefix that Daraja does not have. */
    public SimulatorReply unknownPath() {
        return SimulatorReply.notFound();
    }

    /**
     * Returns copies of the latest push bodies that passed the token check, oldest first, Password included. At
     * most {@link #MAX_RECEIVED_PUSHES} are kept.
     */
    public List<JsonNode> receivedPushes() {
        return receivedPushes.stream().<JsonNode>map(JsonNode::deepCopy).toList();
    }

    /** Returns a copy of the latest push body whose PartyA or PhoneNumber is the given phone number. */
    public Optional<JsonNode> lastPushTo(String phone) {
        List<JsonNode> snapshot = List.copyOf(receivedPushes);
        for (int i = snapshot.size() - 1; i >= 0; i--) {
            JsonNode body = snapshot.get(i);
            if (phone.equals(WireFields.textOrEmpty(body, "PartyA"))
                    || phone.equals(WireFields.textOrEmpty(body, "PhoneNumber"))) {
                return Optional.of(body.deepCopy());
            }
        }
        return Optional.empty();
    }

    /** Returns the number of access tokens issued since start or the last {@link #reset()}. */
    public int tokensIssued() {
        return tokens.issuedCount();
    }

    /** Invalidates every access token, so the next push or query with an old token gets 404.001.03. */
    public void expireAllTokens() {
        tokens.expireAll();
    }

    /** Returns the M-Pesa receipt number of an accepted push in which the customer pays. */
    public Optional<String> receiptFor(String checkoutRequestId) {
        return pushes.find(checkoutRequestId).flatMap(SimulatedPush::receipt);
    }

    /**
     * Builds the callback Daraja would post now for the accepted push whose CallBackURL is {@code callbackUrl}, with
     * {@code resultCode}: a success carries the push's receipt and amount. Empty if no push has that URL. Tests post
     * it themselves to send callbacks early, twice, out of order or late.
     */
    public Optional<JsonNode> callbackFor(String callbackUrl, int resultCode) {
        return pushes.findByCallbackUrl(callbackUrl).map(push -> callbackBody(push, resultCode));
    }

    /** Returns the number of callback posts attempted for a push so far, counting each copy, or 0 if unknown. */
    public int callbackPosts(String checkoutRequestId) {
        return pushes.find(checkoutRequestId).map(push -> push.callbackPosts().get()).orElse(0);
    }

    /** Clears every token, push, receipt and recorded body. Callbacks already scheduled are still posted. */
    public void reset() {
        tokens.clear();
        pushes.clear();
        receivedPushes.clear();
    }

    /** Stops the callback threads and drops the callbacks not yet posted. */
    @PreDestroy
    @Override
    public void close() {
        callbacks.close();
    }

    private void recordReceived(JsonNode body) {
        receivedPushes.add(body.deepCopy());
        while (receivedPushes.size() > MAX_RECEIVED_PUSHES) {
            receivedPushes.remove(0);
        }
    }

    private void scheduleCallback(SimulatedPush push) {
        Scenario scenario = push.scenario();
        if (scenario.callbackCode().isEmpty()) {
            return;
        }
        int code = scenario.callbackCode().getAsInt();
        callbacks.schedule(push, settings.callbackDelay(), scenario.callbackCopies(), () -> callbackBody(push, code));
    }

    private JsonNode callbackBody(SimulatedPush push, int code) {
        if (code == ResultCodes.SUCCESS) {
            return WireBodies.successCallback(push, clock.instant());
        }
        return WireBodies.failureCallback(push, code);
    }

    private void scheduleLateCallback(SimulatedPush push) {
        if (push.scenario().lateSuccessCallback() && push.lateCallbackScheduled().compareAndSet(false, true)) {
            callbacks.schedule(push, settings.lateCallbackDelay(), 1,
                    () -> WireBodies.successCallback(push, clock.instant()));
        }
    }

    private SimulatorReply withFault(Optional<SimulatorFaults.Fault> fault, SimulatorReply reply) {
        if (fault.isEmpty()) {
            return reply;
        }
        return switch (fault.get()) {
            case SLOW -> {
                pause(settings.slowReplyDelay());
                yield reply;
            }
            case HTML -> SimulatorReply.html();
            case DROP -> SimulatorReply.dropped();
            case SERVER_ERROR -> DarajaErrors.serviceUnavailable();
        };
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
