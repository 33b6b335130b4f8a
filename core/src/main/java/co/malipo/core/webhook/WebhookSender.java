package co.malipo.core.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.config.GatewayConfig;
import co.malipo.core.support.JsonText;
import co.malipo.core.merchant.Environment;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/**
 * Sends one claimed delivery with no transaction open and records the attempt. Only HTTP 200 and
 * 201 count as delivered; redirects are not followed. Failures back off by
 * {@code malipo.webhooks.retry-delays} and count toward the endpoint's consecutive failures.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);

    private final DeliveryRepository deliveries;
    private final AttentionRepository attention;
    private final GatewayConfig.Webhooks config;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final Clock clock;
    private final HttpClient http;
    private final WebhookUrlCheck urlCheck = WebhookUrlCheck.standard();

    public WebhookSender(DeliveryRepository deliveries, AttentionRepository attention, GatewayConfig config,
            ObjectMapper mapper, MeterRegistry meters, Clock clock) {
        this.deliveries = deliveries;
        this.attention = attention;
        this.config = config.webhooks();
        this.mapper = mapper;
        this.meters = meters;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(this.config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    void send(DeliveryRepository.Claimed delivery) {
        Optional<String> blocked = blockedUrl(delivery);
        if (blocked.isPresent()) {
            LOG.warnf("Security: webhook delivery %s to endpoint %s blocked: %s", delivery.deliveryId(),
                    delivery.endpointId(), blocked.get());
            QuarkusTransaction.requiringNew().run(() -> record(delivery, null, "Blocked before sending: "
                    + blocked.get(), 0));
            return;
        }
        byte[] body = body(delivery);
        Instant sentAt = clock.instant();
        long timestamp = sentAt.getEpochSecond();
        String messageId = delivery.eventId().toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.url()))
                .timeout(config.readTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Malipo-Webhooks/1")
                .header("webhook-id", messageId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.signatureHeader(messageId, timestamp, body,
                        secrets(delivery, sentAt)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();

        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            // The reply body is never read: closing the stream at once keeps an endpoint that streams
            // an endless body from holding a delivery slot.
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            status = response.statusCode();
            if (status != 200 && status != 201) {
                error = "HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
            }
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        long latency = Duration.ofNanos(System.nanoTime() - started).toMillis();
        Integer finalStatus = status;
        String finalError = error;
        QuarkusTransaction.requiringNew().run(() -> record(delivery, finalStatus, finalError, latency));
    }

    private void record(DeliveryRepository.Claimed delivery, Integer status, String error, long latency) {
        Instant now = clock.instant();
        deliveries.recordAttempt(delivery.deliveryId(), now, status, latency, error);
        meters.counter("malipo.webhooks.attempts", "outcome", error == null ? "delivered" : "failed").increment();
        if (error == null) {
            deliveries.markDelivered(delivery.deliveryId(), now);
            deliveries.resetFailures(delivery.endpointId(), now);
            return;
        }
        List<Duration> delays = config.retryDelays();
        Instant retryAt = delivery.attempts() <= delays.size() ? now.plus(delays.get(delivery.attempts() - 1)) : null;
        deliveries.markFailed(delivery.deliveryId(), error, retryAt, now);
        int failures = deliveries.countFailure(delivery.endpointId(), now);
        int threshold = config.disableAfterFailures();
        if (failures >= threshold && deliveries.disable(delivery.endpointId(), now)) {
            meters.counter("malipo.webhooks.endpoints.disabled").increment();
            attention.open("webhook_endpoint", delivery.endpointId(), AttentionRepository.Kind.WEBHOOK_ENDPOINT_DISABLED,
                    JsonText.of(Map.of("consecutive_failures", failures, "last_error", error)), now);
            LOG.errorf("Webhook endpoint %s disabled after %d consecutive failures; last error: %s",
                    delivery.endpointId(), failures, error);
        } else if (failures >= (threshold + 1) / 2 && deliveries.markWarned(delivery.endpointId(), now)) {
            LOG.warnf("Webhook endpoint %s has failed %d times in a row; it is disabled at %d", delivery.endpointId(),
                    failures, threshold);
        } else {
            LOG.debugf("Webhook delivery %s to endpoint %s failed: %s", delivery.deliveryId(), delivery.endpointId(), error);
        }
    }

    /**
     * Checks the URL again before each delivery that must go to a public host, because the check
     * made when the URL was stored cannot see a DNS record that changed since then.
     *
     * <p>NOTE: the HTTP client resolves the name once more when it connects, so a record that
     * changes between this check and the connection still passes.
     */
    private Optional<String> blockedUrl(DeliveryRepository.Claimed delivery) {
        boolean allowLocal = delivery.environment() == Environment.TEST && config.allowLocalTestUrls();
        if (allowLocal) {
            return Optional.empty();
        }
        return urlCheck.problem(delivery.url(), false);
    }

    /** Builds the body as sent: the stored invoice object plus the endpoint's challenge, the event id and its sequence. */
    private byte[] body(DeliveryRepository.Claimed delivery) {
        try {
            ObjectNode payload = (ObjectNode) mapper.readTree(delivery.payload());
            payload.put("challenge", delivery.challenge());
            payload.put("event_id", delivery.eventId().toString());
            payload.put("sequence", delivery.sequence());
            return mapper.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored webhook payload of event " + delivery.eventId() + " is not JSON", e);
        }
    }

    private static List<String> secrets(DeliveryRepository.Claimed delivery, Instant now) {
        List<String> secrets = new ArrayList<>();
        secrets.add(delivery.signingSecret());
        if (delivery.previousSecret() != null && delivery.previousSecretExpiresAt() != null
                && now.isBefore(delivery.previousSecretExpiresAt())) {
            secrets.add(delivery.previousSecret());
        }
        return secrets;
    }
}
