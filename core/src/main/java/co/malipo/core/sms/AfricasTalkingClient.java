package co.malipo.core.sms;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.malipo.core.config.GatewayConfig;

/**
 * Client of Africa's Talking's messaging API ({@code POST /version1/messaging}). It returns every
 * reply, network failure and invalid base URL as a {@link SendResult} instead of throwing.
 */
@ApplicationScoped
public class AfricasTalkingClient {

    static final String PATH = "/version1/messaging";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayConfig.Sms config;
    private final HttpClient http;

    public AfricasTalkingClient(GatewayConfig gateway) {
        this.config = gateway.sms();
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Returns the base URL in use: the live one when {@code malipo.sms.live} is true, else the sandbox. */
    public String baseUrl() {
        return config.live() ? config.liveBaseUrl() : config.sandboxBaseUrl();
    }

    /** Sends one message to the given numbers, each in the form {@code +254...}. */
    public SendResult send(List<String> numbers, String message) {
        String username = config.username().orElse("");
        String apiKey = config.apiKey().orElse("");
        if (username.isBlank() || apiKey.isBlank()) {
            return new SendResult.ConfigurationError(
                    "malipo.sms.username or malipo.sms.api-key is missing; set AT_USERNAME and AT_API_KEY", null);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", username);
        form.put("to", String.join(",", numbers));
        form.put("message", message);
        config.senderId().filter(id -> !id.isBlank()).ifPresent(id -> form.put("from", id));

        URI uri;
        try {
            uri = URI.create(baseUrl() + PATH);
        } catch (IllegalArgumentException e) {
            return new SendResult.ConfigurationError("invalid Africa's Talking base URL '" + baseUrl() + "': "
                    + e.getMessage(), null);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(config.readTimeout())
                .header("apiKey", apiKey)
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new SendResult.Transient("could not connect to Africa's Talking: " + e.getMessage(), null, false);
        } catch (HttpTimeoutException e) {
            return new SendResult.Transient("Africa's Talking did not reply within " + config.readTimeout(), null, true);
        } catch (IOException e) {
            return new SendResult.Transient("connection to Africa's Talking failed: " + e, null, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendResult.Transient("interrupted while waiting for Africa's Talking", null, true);
        }
        return toResult(response.statusCode(), response.body());
    }

    static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Maps an HTTP reply of the messaging API to a result. */
    static SendResult toResult(int status, String body) {
        if (status >= 500) {
            return new SendResult.Transient("Africa's Talking answered HTTP " + status, status, true);
        }
        if (status == 401 || status == 403) {
            return new SendResult.ConfigurationError(
                    "Africa's Talking rejected the user name or API key with HTTP " + status, status);
        }
        if (status != 200 && status != 201) {
            return new SendResult.Rejected("Africa's Talking answered HTTP " + status + ": " + abbreviate(body), status);
        }
        JsonNode data = readOrNull(body);
        data = data == null ? null : data.get("SMSMessageData");
        if (data == null || !data.isObject()) {
            return new SendResult.Rejected("unreadable reply from Africa's Talking: " + abbreviate(body), status);
        }
        String message = text(data.get("Message"));
        JsonNode entries = data.get("Recipients");
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            return new SendResult.ConfigurationError("Africa's Talking sent to no recipient, check the sender id: "
                    + (message == null ? "no message" : message), status);
        }
        List<SendResult.Recipient> recipients = new ArrayList<>();
        for (JsonNode entry : entries) {
            recipients.add(new SendResult.Recipient(text(entry.get("number")), entry.path("statusCode").asInt(-1),
                    text(entry.get("status")), messageId(entry.get("messageId")), text(entry.get("cost"))));
        }
        return new SendResult.Answered(message, List.copyOf(recipients));
    }

    /** Returns the message id, or null for a missing id and for the {@code "None"} of failed recipients. */
    private static String messageId(JsonNode node) {
        String id = text(node);
        return id == null || id.isBlank() || "None".equalsIgnoreCase(id) ? null : id;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static JsonNode readOrNull(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }
}
