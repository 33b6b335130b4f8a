package co.malipo.core.daraja;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import co.malipo.core.config.GatewayConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

/**
 * OAuth client-credentials tokens, one per Daraja account and instance. Concurrent callers of one
 * account wait for a single refresh instead of each fetching a token, because Daraja may void the
 * previous token when it issues a new one.
 */
class AccessTokens {

    private static final Logger LOG = Logger.getLogger(AccessTokens.class);

    private record Token(String value, Instant refreshAfter) {
    }

    private final HttpClient http;
    private final Clock clock;
    private final Duration readTimeout;
    private final Duration refreshMargin;
    private final MeterRegistry meters;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    AccessTokens(HttpClient http, Clock clock, GatewayConfig.Daraja config, MeterRegistry meters) {
        this.http = http;
        this.clock = clock;
        this.readTimeout = config.readTimeout();
        this.refreshMargin = config.tokenRefreshMargin();
        this.meters = meters;
    }

    /**
     * Returns a valid token for the account. When {@code rejected} is the cached token, Daraja has
     * refused it, so a new one is fetched; a caller that lost the race gets the newer token.
     */
    String token(String accountName, GatewayConfig.Account account, String rejected) throws TokenException {
        Token cached = tokens.get(accountName);
        if (isUsable(cached, rejected)) {
            return cached.value();
        }
        synchronized (locks.computeIfAbsent(accountName, name -> new Object())) {
            cached = tokens.get(accountName);
            if (isUsable(cached, rejected)) {
                return cached.value();
            }
            Token fresh = fetch(accountName, account);
            tokens.put(accountName, fresh);
            return fresh.value();
        }
    }

    private boolean isUsable(Token token, String rejected) {
        return token != null && !token.value().equals(rejected) && clock.instant().isBefore(token.refreshAfter());
    }

    private Token fetch(String accountName, GatewayConfig.Account account) throws TokenException {
        String key = account.consumerKey().orElse("");
        String secret = account.consumerSecret().orElse("");
        if (key.isBlank() || secret.isBlank()) {
            throw new TokenException(true, "Daraja account '" + accountName + "' has no consumer key or secret configured");
        }
        String basic = Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(account.baseUrl() + "/oauth/v1/generate?grant_type=client_credentials"))
                .timeout(readTimeout)
                .header("Authorization", "Basic " + basic)
                .GET()
                .build();

        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new TokenException(false, "OAuth request to Daraja failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenException(false, "interrupted while fetching a Daraja token");
        }

        JsonNode body = DarajaJson.readOrNull(response.body());
        String value = body == null ? null : StkCallbackParser.text(body.get("access_token"));
        if (response.statusCode() != 200 || value == null) {
            DarajaError error = DarajaError.from(body);
            String detail = error == null ? "HTTP " + response.statusCode() : error.errorCode() + " " + error.errorMessage();
            boolean definite = response.statusCode() >= 400 && response.statusCode() < 500;
            throw new TokenException(definite, "Daraja rejected the token request for account '" + accountName + "': " + detail);
        }

        long expiresIn = parseExpiresIn(body.get("expires_in"));
        meters.counter("malipo.daraja.token.refreshes", "account", accountName).increment();
        LOG.infof("Fetched a Daraja token for account %s, valid for %d s", accountName, expiresIn);
        Instant refreshAfter = clock.instant().plusSeconds(expiresIn).minus(refreshMargin);
        return new Token(value, refreshAfter);
    }

    /** Daraja documents {@code expires_in} as a number, but some clients see a string; default to 3599 s. */
    private static long parseExpiresIn(JsonNode node) {
        String text = StkCallbackParser.text(node);
        try {
            return text == null ? 3599 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 3599;
        }
    }

    /** A token could not be had, so nothing was sent. {@code configuration} marks refused credentials. */
    static class TokenException extends Exception {
        final boolean configuration;

        TokenException(boolean configuration, String message) {
            super(message);
            this.configuration = configuration;
        }
    }
}
