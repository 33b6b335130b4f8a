package co.malipo.core.daraja;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.observability.ProviderStatus;
import co.malipo.core.simulator.SimulatorSettings;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Daraja's M-Pesa Express API: {@code processrequest} and {@code stkpushquery}, with OAuth tokens
 * cached per account. It turns every reply, error body and network failure into a typed outcome
 * and never throws for what Daraja does.
 */
@ApplicationScoped
public class DarajaClient {

    private final GatewayConfig.Daraja config;
    private final Clock clock;
    private final HttpClient http;
    private final AccessTokens tokens;
    private final ProviderStatus providers;

    public DarajaClient(GatewayConfig gateway, Clock clock, MeterRegistry meters, ProviderStatus providers) {
        this.config = gateway.daraja();
        this.clock = clock;
        this.providers = providers;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.tokens = new AccessTokens(http, clock, config, meters);
    }

    /** Sends an STK push through the named account. */
    public PushExchange push(String accountName, StkPushRequest push) {
        GatewayConfig.Account account = config.accounts().get(accountName);
        if (account == null || account.passkey().orElse("").isBlank()) {
            return new PushExchange("{}", new PushReply.Rejected("CONFIGURATION",
                    "Daraja account '" + accountName + "' is not configured with a shortcode and passkey",
                    0, FailureClass.CONFIGURATION, null));
        }
        String timestamp = DarajaTime.timestamp(clock.instant());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("BusinessShortCode", account.shortcode());
        body.put("Password", DarajaTime.password(account.shortcode(), account.passkey().get(), timestamp));
        body.put("Timestamp", timestamp);
        body.put("TransactionType", account.transactionType());
        body.put("Amount", push.amount());
        body.put("PartyA", push.phone());
        body.put("PartyB", account.partyB().orElse(account.shortcode()));
        body.put("PhoneNumber", push.phone());
        body.put("CallBackURL", push.callbackUrl());
        body.put("AccountReference", push.accountReference());
        body.put("TransactionDesc", push.transactionDesc());
        String json = DarajaJson.write(body);
        body.remove("Password");
        String sanitised = DarajaJson.write(body);

        Exchange exchange = post(accountName, account, "/mpesa/stkpush/v1/processrequest", json);
        return new PushExchange(sanitised, toPushReply(exchange));
    }

    /** Asks Daraja for the result of an accepted push. */
    public QueryReply query(String accountName, String checkoutRequestId) {
        GatewayConfig.Account account = config.accounts().get(accountName);
        if (account == null || account.passkey().orElse("").isBlank()) {
            return new QueryReply.Failed("Daraja account '" + accountName + "' is not configured", null, null);
        }
        String timestamp = DarajaTime.timestamp(clock.instant());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("BusinessShortCode", account.shortcode());
        body.put("Password", DarajaTime.password(account.shortcode(), account.passkey().get(), timestamp));
        body.put("Timestamp", timestamp);
        body.put("CheckoutRequestID", checkoutRequestId);

        Exchange exchange = post(accountName, account, "/mpesa/stkpushquery/v1/query", DarajaJson.write(body));
        return toQueryReply(exchange);
    }

    /** One HTTP exchange: a response, or the failure that stopped it and whether the request left. */
    private record Exchange(int status, String body, JsonNode json, String failure, boolean sent, boolean configuration) {
    }

    private Exchange post(String accountName, GatewayConfig.Account account, String path, String json) {
        Exchange exchange = exchange(accountName, account, path, json);
        if (SimulatorSettings.ACCOUNT.equals(accountName)) {
            // The simulator is part of Malipo, so its replies must not hide a live Daraja outage.
            return exchange;
        }
        // An error body with an error code counts as a reply, even on HTTP 500, because Daraja is up
        // and rejected the request.
        if (exchange.failure() != null) {
            providers.recordFailure(ProviderStatus.Provider.DARAJA, exchange.failure());
        } else if (exchange.status() >= 500 && DarajaError.from(exchange.json()) == null) {
            providers.recordFailure(ProviderStatus.Provider.DARAJA, "HTTP " + exchange.status() + " without an error code");
        } else {
            providers.recordReply(ProviderStatus.Provider.DARAJA);
        }
        return exchange;
    }

    private Exchange exchange(String accountName, GatewayConfig.Account account, String path, String json) {
        String rejected = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            String token;
            try {
                token = tokens.token(accountName, account, rejected);
            } catch (AccessTokens.TokenException e) {
                return new Exchange(0, null, null, e.getMessage(), false, e.configuration);
            }
            Exchange exchange = send(account.baseUrl() + path, token, json);
            DarajaError error = DarajaError.from(exchange.json());
            if (exchange.failure() == null && error != null && error.isInvalidToken() && attempt == 0) {
                rejected = token;
                continue;
            }
            return exchange;
        }
        throw new IllegalStateException("unreachable");
    }

    private Exchange send(String url, String token, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.readTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Exchange(response.statusCode(), response.body(), DarajaJson.readOrNull(response.body()),
                    null, true, false);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new Exchange(0, null, null, "could not connect to Daraja: " + e.getMessage(), false, false);
        } catch (HttpTimeoutException e) {
            return new Exchange(0, null, null, "Daraja did not reply within " + config.readTimeout(), true, false);
        } catch (IOException e) {
            return new Exchange(0, null, null, "connection to Daraja failed: " + e, true, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exchange(0, null, null, "interrupted while waiting for Daraja", true, false);
        }
    }

    private static PushReply toPushReply(Exchange exchange) {
        if (exchange.failure() != null) {
            if (exchange.configuration()) {
                return new PushReply.Rejected("CONFIGURATION", exchange.failure(), 0, FailureClass.CONFIGURATION, null);
            }
            return exchange.sent()
                    ? new PushReply.Unknown(exchange.failure(), null, null)
                    : new PushReply.NotSent(exchange.failure());
        }
        JsonNode json = exchange.json();
        if (json == null) {
            return new PushReply.Unknown("unreadable reply from Daraja", exchange.status(), exchange.body());
        }
        String responseCode = StkCallbackParser.text(json.get("ResponseCode"));
        String checkoutRequestId = StkCallbackParser.text(json.get("CheckoutRequestID"));
        if (exchange.status() == 200 && "0".equals(responseCode) && checkoutRequestId != null) {
            return new PushReply.Accepted(StkCallbackParser.text(json.get("MerchantRequestID")), checkoutRequestId,
                    StkCallbackParser.text(json.get("ResponseDescription")), exchange.body());
        }
        if (exchange.status() == 200 && responseCode != null) {
            String description = StkCallbackParser.text(json.get("ResponseDescription"));
            DarajaError asError = new DarajaError("500.001.1001", description == null ? "" : description);
            FailureClass cls = asError.pushRejectionClass(500);
            return new PushReply.Rejected(responseCode, description, 200,
                    cls == null ? FailureClass.UNKNOWN : cls, exchange.body());
        }
        DarajaError error = DarajaError.from(json);
        FailureClass cls = error == null ? null : error.pushRejectionClass(exchange.status());
        if (cls == null) {
            return new PushReply.Unknown("Daraja answered HTTP " + exchange.status(), exchange.status(), exchange.body());
        }
        return new PushReply.Rejected(error.errorCode(), error.errorMessage(), exchange.status(), cls, exchange.body());
    }

    private static QueryReply toQueryReply(Exchange exchange) {
        if (exchange.failure() != null) {
            return new QueryReply.Failed(exchange.failure(), null, null);
        }
        JsonNode json = exchange.json();
        if (json == null) {
            return new QueryReply.Failed("unreadable reply from Daraja", exchange.status(), exchange.body());
        }
        DarajaError error = DarajaError.from(json);
        if (error != null) {
            if (error.isStillProcessing()) {
                return new QueryReply.Processing(exchange.body());
            }
            return new QueryReply.Failed(error.errorCode() + " " + error.errorMessage(), exchange.status(),
                    exchange.body());
        }
        String resultCode = StkCallbackParser.text(json.get("ResultCode"));
        if (exchange.status() != 200 || resultCode == null) {
            return new QueryReply.Failed("Daraja answered HTTP " + exchange.status() + " without a result code",
                    exchange.status(), exchange.body());
        }
        StkResult result = new StkResult(StkCallbackParser.text(json.get("MerchantRequestID")),
                StkCallbackParser.text(json.get("CheckoutRequestID")), resultCode,
                StkCallbackParser.text(json.get("ResultDesc")), null, null, null, null);
        return new QueryReply.Result(result, exchange.body());
    }
}
