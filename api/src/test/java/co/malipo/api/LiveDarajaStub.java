package co.malipo.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Plays Safaricom's live Daraja for tests of the live path, speaking its exact wire format. The
 * live account points at this stub; the account named "unreachable" points at a closed port.
 */
public class LiveDarajaStub implements QuarkusTestResourceLifecycleManager {

    static final String SHORTCODE = "600987";
    static final String PASSKEY = "live-stub-passkey";
    static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(get(urlPathEqualTo("/oauth/v1/generate")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\": \"LiveStubToken0001\", \"expires_in\": \"3599\"}")));
        server.stubFor(post(urlPathEqualTo("/mpesa/stkpush/v1/processrequest")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"MerchantRequestID\": \"2654-4b64-97ff-b827b542881d3130\","
                        + " \"CheckoutRequestID\": \"ws_CO_{{jsonPath request.body '$.PartyA'}}_"
                        + "{{randomValue length=12 type='NUMERIC'}}\","
                        + " \"ResponseCode\": \"0\", \"ResponseDescription\": \"Success. Request accepted for processing\","
                        + " \"CustomerMessage\": \"Success. Request accepted for processing\"}")
                .withTransformers("response-template")));
        // Pushes to these numbers get no reply within the client's read timeout: their outcome is unknown.
        for (String phone : new String[] {"254712000704", "254712000705"}) {
            server.stubFor(post(urlPathEqualTo("/mpesa/stkpush/v1/processrequest")).atPriority(1)
                    .withRequestBody(containing("\"PartyA\":\"" + phone + "\""))
                    .willReturn(aResponse().withStatus(200).withFixedDelay(4000)
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"ResponseCode\": \"0\", \"CheckoutRequestID\": \"ws_CO_late\"}")));
        }
        stubQueryResult("254712000701", "1019", "Transaction has expired.");
        stubQueryResult("254712000702", "1032", "Request cancelled by user");
        stubQueryResult("254712000703", "0", "The service request is processed successfully.");
        return Map.ofEntries(
                Map.entry("malipo.daraja.accounts.default.base-url", server.baseUrl()),
                Map.entry("malipo.daraja.accounts.default.shortcode", SHORTCODE),
                Map.entry("malipo.daraja.accounts.default.passkey", PASSKEY),
                Map.entry("malipo.daraja.accounts.default.consumer-key", "live-stub-key"),
                Map.entry("malipo.daraja.accounts.default.consumer-secret", "live-stub-secret"),
                Map.entry("malipo.daraja.accounts.unreachable.base-url", "http://127.0.0.1:9"),
                Map.entry("malipo.daraja.accounts.unreachable.shortcode", SHORTCODE),
                Map.entry("malipo.daraja.accounts.unreachable.passkey", PASSKEY),
                Map.entry("malipo.daraja.accounts.unreachable.consumer-key", "live-stub-key"),
                Map.entry("malipo.daraja.accounts.unreachable.consumer-secret", "live-stub-secret"),
                Map.entry("malipo.callback.public-base-url", "https://pay.example.co.ke"));
    }

    /** Answers queries of pushes to {@code phone} with a result, as Daraja's query does: ResultCode as a string. */
    private static void stubQueryResult(String phone, String resultCode, String resultDesc) {
        server.stubFor(post(urlPathEqualTo("/mpesa/stkpushquery/v1/query"))
                .withRequestBody(containing("ws_CO_" + phone + "_"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ResponseCode\": \"0\", \"ResponseDescription\": \"The service request has been"
                                + " accepted successfully\", \"MerchantRequestID\": \"22205-34066-1\","
                                + " \"CheckoutRequestID\": \"{{jsonPath request.body '$.CheckoutRequestID'}}\","
                                + " \"ResultCode\": \"" + resultCode + "\", \"ResultDesc\": \"" + resultDesc + "\"}")
                        .withTransformers("response-template")));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
