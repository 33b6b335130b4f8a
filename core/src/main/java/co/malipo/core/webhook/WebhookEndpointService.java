package co.malipo.core.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.ValidationException;
import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Ids;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/**
 * Creates, changes, deletes and rotates merchants' webhook endpoints, and replays deliveries.
 * Request bodies are validated here, every invalid field reported at once as a
 * {@link ValidationException}.
 */
@ApplicationScoped
public class WebhookEndpointService {

    private static final Logger LOG = Logger.getLogger(WebhookEndpointService.class);
    static final int MAX_CHALLENGE_LENGTH = 200;

    /** A new endpoint with the secret and challenge that only this response shows. */
    public record Created(WebhookEndpoint endpoint, String signingSecret, String challenge) {
    }

    /** An endpoint after rotation with the new secret, shown only in this response. */
    public record Rotated(WebhookEndpoint endpoint, String signingSecret) {
    }

    /** Result of a replay request. */
    public enum ReplayOutcome {
        REPLAYED,
        NOT_FOUND,
        /** The id is an event id with deliveries to several endpoints. */
        AMBIGUOUS,
        /** The delivery is being sent right now. */
        IN_FLIGHT,
        ENDPOINT_INACTIVE
    }

    /** A replay's outcome, with the delivery when one was found. */
    public record Replay(ReplayOutcome outcome, DeliveryLogRepository.Entry delivery) {
    }

    private final WebhookEndpointRepository endpoints;
    private final DeliveryLogRepository deliveryLog;
    private final WebhookWorker worker;
    private final GatewayConfig.Webhooks config;
    private final Clock clock;
    private final WebhookUrlCheck urlCheck = WebhookUrlCheck.standard();

    public WebhookEndpointService(WebhookEndpointRepository endpoints, DeliveryLogRepository deliveryLog,
            WebhookWorker worker, GatewayConfig config, Clock clock) {
        this.endpoints = endpoints;
        this.deliveryLog = deliveryLog;
        this.worker = worker;
        this.config = config.webhooks();
        this.clock = clock;
    }

    /** Validates a create request and stores the endpoint with a new signing secret. */
    public Created create(String merchantId, Environment environment, ObjectNode request) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String url = null;
        if (isMissing(request, "endpoint")) {
            errors.put("endpoint", List.of("This field is required. Send the https URL that should receive events."));
        } else {
            url = url(request.get("endpoint"), environment, errors);
        }
        String challenge = isMissing(request, "challenge") ? Ids.token() : challenge(request.get("challenge"), errors);
        Map<String, Boolean> events = new LinkedHashMap<>();
        for (String flag : WebhookEndpoint.EVENT_FLAGS) {
            if (isMissing(request, flag)) {
                events.put(flag, flag.equals(WebhookOutbox.COLLECTION_EVENT));
            } else {
                events.put(flag, flag(request, flag, errors));
            }
        }
        boolean active = isMissing(request, "is_active") || Boolean.TRUE.equals(flag(request, "is_active", errors));
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }

        String secret = WebhookSigner.newSecret();
        String finalUrl = url;
        WebhookEndpoint endpoint = QuarkusTransaction.requiringNew().call(() -> endpoints.insert(
                Ids.webhookEndpointId(), merchantId, environment, finalUrl, challenge, secret, events, active,
                clock.instant()));
        LOG.infof("Merchant %s created webhook endpoint %s (%s)", merchantId, endpoint.id(), environment);
        return new Created(endpoint, secret, challenge);
    }

    /** Validates a partial update and applies it. Returns empty when the merchant has no such endpoint. */
    public Optional<WebhookEndpoint> update(String merchantId, Environment environment, String id, ObjectNode request) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String url = request.has("endpoint") ? url(request.get("endpoint"), environment, errors) : null;
        String challenge = request.has("challenge") ? challenge(request.get("challenge"), errors) : null;
        Map<String, Boolean> events = new LinkedHashMap<>();
        for (String flag : WebhookEndpoint.EVENT_FLAGS) {
            if (request.has(flag)) {
                events.put(flag, flag(request, flag, errors));
            }
        }
        Boolean active = request.has("is_active") ? flag(request, "is_active", errors) : null;
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }

        WebhookEndpointRepository.Changes changes = new WebhookEndpointRepository.Changes(url, challenge, events, active);
        Optional<WebhookEndpoint> updated = QuarkusTransaction.requiringNew().call(
                () -> endpoints.update(merchantId, environment, id, changes, clock.instant()));
        updated.ifPresent(endpoint -> LOG.infof("Merchant %s changed webhook endpoint %s", merchantId, id));
        if (Boolean.TRUE.equals(active) && updated.isPresent()) {
            // Pending deliveries of a re-enabled endpoint are due again.
            worker.wake();
        }
        return updated;
    }

    public Optional<WebhookEndpoint> delete(String merchantId, Environment environment, String id) {
        Optional<WebhookEndpoint> deleted = QuarkusTransaction.requiringNew().call(
                () -> endpoints.delete(merchantId, environment, id, clock.instant()));
        deleted.ifPresent(endpoint -> LOG.infof("Merchant %s deleted webhook endpoint %s", merchantId, id));
        return deleted;
    }

    /** Gives the endpoint a new signing secret. The old one also signs for {@code malipo.webhooks.rotation-overlap}. */
    public Optional<Rotated> rotateSecret(String merchantId, Environment environment, String id) {
        String secret = WebhookSigner.newSecret();
        Instant now = clock.instant();
        Optional<WebhookEndpoint> rotated = QuarkusTransaction.requiringNew().call(() -> endpoints.rotateSecret(
                merchantId, environment, id, secret, now.plus(config.rotationOverlap()), now));
        rotated.ifPresent(endpoint -> LOG.infof("Merchant %s rotated the signing secret of webhook endpoint %s",
                merchantId, id));
        return rotated.map(endpoint -> new Rotated(endpoint, secret));
    }

    /**
     * Queues a delivery again as if new, keeping its event id and payload, and wakes the worker.
     * {@code id} is a delivery id, or an event id that has exactly one delivery to the merchant's
     * endpoints.
     */
    public Replay replay(String merchantId, Environment environment, UUID id) {
        Replay replay = QuarkusTransaction.requiringNew().call(() -> {
            List<DeliveryLogRepository.Entry> found = deliveryLog.lockByDeliveryOrEventId(merchantId, environment, id);
            if (found.isEmpty()) {
                return new Replay(ReplayOutcome.NOT_FOUND, null);
            }
            if (found.size() > 1) {
                return new Replay(ReplayOutcome.AMBIGUOUS, null);
            }
            DeliveryLogRepository.Entry delivery = found.get(0);
            if (!delivery.endpoint().active()) {
                return new Replay(ReplayOutcome.ENDPOINT_INACTIVE, delivery);
            }
            if (delivery.status().equals("PROCESSING")) {
                return new Replay(ReplayOutcome.IN_FLIGHT, delivery);
            }
            return new Replay(ReplayOutcome.REPLAYED, deliveryLog.resetForReplay(delivery, clock.instant()));
        });
        if (replay.outcome() == ReplayOutcome.REPLAYED) {
            LOG.infof("Merchant %s replayed webhook delivery %s of event %s", merchantId, replay.delivery().id(),
                    replay.delivery().eventId());
            worker.wake();
        }
        return replay;
    }

    private boolean allowsLocalUrls(Environment environment) {
        return environment == Environment.TEST && config.allowLocalTestUrls();
    }

    private String url(JsonNode node, Environment environment, Map<String, List<String>> errors) {
        if (node.isNull()) {
            errors.put("endpoint", List.of("This field may not be null."));
            return null;
        }
        if (!node.isTextual()) {
            errors.put("endpoint", List.of("Not a valid string. Send the URL as a string."));
            return null;
        }
        String url = node.textValue();
        Optional<String> problem = urlCheck.problem(url, allowsLocalUrls(environment));
        if (problem.isPresent()) {
            errors.put("endpoint", List.of(problem.get()));
            return null;
        }
        return url;
    }

    private static String challenge(JsonNode node, Map<String, List<String>> errors) {
        if (node.isNull()) {
            errors.put("challenge", List.of("This field may not be null. Leave it out to keep the current challenge."));
            return null;
        }
        if (!node.isTextual()) {
            errors.put("challenge", List.of("Not a valid string."));
            return null;
        }
        String challenge = node.textValue();
        if (challenge.isBlank()) {
            errors.put("challenge", List.of("This field may not be blank. Leave it out to have one generated."));
        } else if (challenge.length() > MAX_CHALLENGE_LENGTH) {
            errors.put("challenge", List.of("Ensure this field has no more than " + MAX_CHALLENGE_LENGTH
                    + " characters."));
        } else if (challenge.codePoints().anyMatch(Character::isISOControl)) {
            errors.put("challenge", List.of("The challenge must not contain control characters."));
        } else {
            return challenge;
        }
        return null;
    }

    private static Boolean flag(ObjectNode request, String field, Map<String, List<String>> errors) {
        JsonNode node = request.get(field);
        if (!node.isBoolean()) {
            errors.put(field, List.of("Must be a valid boolean: send true or false."));
            return null;
        }
        return node.booleanValue();
    }

    private static boolean isMissing(ObjectNode request, String field) {
        return !request.has(field) || request.get(field).isNull();
    }
}
