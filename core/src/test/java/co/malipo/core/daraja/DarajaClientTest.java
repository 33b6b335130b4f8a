package co.malipo.core.daraja;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.observability.ProviderStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DarajaClient} against a WireMock stand-in for Daraja, bound to 127.0.0.1. */
class DarajaClientTest {

    private static final String OAUTH_PATH = "/oauth/v1/generate";
    private static final String PUSH_PATH = "/mpesa/stkpush/v1/processrequest";
    private static final String QUERY_PATH = "/mpesa/stkpushquery/v1/query";
    private static final String FIXTURE_TOKEN = "c9SQxWWhmdVRlyh0zh8gZDTkubVF";
    private static final String CHECKOUT_REQUEST_ID = "ws_CO_02032024133000123700000001";
    /** 13:30:00 in Nairobi (UTC+3). */
    private static final Instant NOW = Instant.parse("2024-03-02T10:30:00Z");
    private static final String NOW_IN_NAIROBI = "20240302133000";
    private static final Set<String> DARAJA_PUSH_FIELDS = Set.of("BusinessShortCode", "Password", "Timestamp",
            "TransactionType", "Amount", "PartyA", "PartyB", "PhoneNumber", "CallBackURL", "AccountReference",
            "TransactionDesc");
    private static final ObjectMapper JSON = new ObjectMapper();

    private WireMockServer daraja;
    private MutableClock clock;

    @BeforeEach
    void startDaraja() {
        daraja = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        daraja.start();
        clock = new MutableClock(NOW);
    }

    @AfterEach
    void stopDaraja() {
        daraja.stop();
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + daraja.port();
    }

    private DarajaClient client() {
        return client(TestGatewayConfig.simulatorAt(baseUrl()), clock);
    }

    private static DarajaClient client(GatewayConfig config, Clock clock) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        return new DarajaClient(config, clock, meters, new ProviderStatus(clock, meters, 3));
    }

    private static StkPushRequest push() {
        return new StkPushRequest(100, "254700000001", "http://127.0.0.1:8080/callbacks/daraja/Zq8mX2pLr4Tn",
                "INV20240001", "Pay7K3M9QW2XZ");
    }

    private static RequestPatternBuilder tokenRequests() {
        return getRequestedFor(urlPathEqualTo(OAUTH_PATH)).withQueryParam("grant_type", equalTo("client_credentials"));
    }

    private static RequestPatternBuilder pushRequests() {
        return postRequestedFor(urlEqualTo(PUSH_PATH));
    }

    private void stubToken(String body) {
        daraja.stubFor(get(urlPathEqualTo(OAUTH_PATH))
                .withQueryParam("grant_type", equalTo("client_credentials"))
                .willReturn(okJson(body)));
    }

    private void stubToken() {
        stubToken(Fixtures.read("oauth-token.json"));
    }

    private void stubPush(ResponseDefinitionBuilder response) {
        daraja.stubFor(post(urlEqualTo(PUSH_PATH)).willReturn(response));
    }

    private void stubQuery(ResponseDefinitionBuilder response) {
        daraja.stubFor(post(urlEqualTo(QUERY_PATH)).willReturn(response));
    }

    private static ResponseDefinitionBuilder json(int status, String fixture) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(Fixtures.read(fixture));
    }

    private static String tokenBody(String accessToken) {
        return Fixtures.read("oauth-token.json").replace(FIXTURE_TOKEN, accessToken);
    }

    private JsonNode onlyRequestBody(String path) throws IOException {
        var requests = daraja.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(requests).hasSize(1);
        return JSON.readTree(requests.get(0).getBodyAsString());
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String expectedPassword(String timestamp) {
        String plain = TestGatewayConfig.SHORTCODE + TestGatewayConfig.PASSKEY + timestamp;
        return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Finds a loopback port that nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    @Nested
    class Tokens {

        @Test
        void tokenReusedAcrossPushes() {
            stubToken();
            stubPush(json(200, "processrequest-accepted.json"));
            DarajaClient client = client();

            for (int i = 0; i < 3; i++) {
                assertThat(client.push(TestGatewayConfig.ACCOUNT, push()).reply())
                        .isInstanceOf(PushReply.Accepted.class);
            }

            daraja.verify(1, tokenRequests());
            daraja.verify(3, pushRequests().withHeader("Authorization", equalTo("Bearer " + FIXTURE_TOKEN)));
        }

        @Test
        void tokenRequestUsesBasicAuth() {
            stubToken();
            stubPush(json(200, "processrequest-accepted.json"));

            client().push(TestGatewayConfig.ACCOUNT, push());

            String credentials = TestGatewayConfig.CONSUMER_KEY + ":" + TestGatewayConfig.CONSUMER_SECRET;
            String basic = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
            daraja.verify(1, tokenRequests().withHeader("Authorization", equalTo("Basic " + basic)));
        }

        /**
         * Checks that a 120 s token with the 60 s refresh margin is replaced after 60 s. Had
         * {@code expires_in} not been read, the 3599 s fallback would keep the first token.
         */
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"oauth-token.json", "oauth-token-numeric-expiry.json"})
        void expiresInAsStringOrNumber(String fixture) {
            String body = Fixtures.read(fixture).replace("3599", "120");
            assertThat(body).contains("120");
            stubToken(body);
            stubPush(json(200, "processrequest-accepted.json"));
            DarajaClient client = client();

            client.push(TestGatewayConfig.ACCOUNT, push());
            clock.advance(Duration.ofSeconds(59));
            client.push(TestGatewayConfig.ACCOUNT, push());
            daraja.verify(1, tokenRequests());

            clock.advance(Duration.ofSeconds(2));
            client.push(TestGatewayConfig.ACCOUNT, push());
            daraja.verify(2, tokenRequests());
        }

        @Test
        void tokenRefreshedAfterExpiry() {
            stubToken();
            stubPush(json(200, "processrequest-accepted.json"));
            DarajaClient client = client();

            client.push(TestGatewayConfig.ACCOUNT, push());
            // 3599 s validity less the 60 s margin: the token is replaced from 3539 s on.
            clock.advance(Duration.ofSeconds(3538));
            client.push(TestGatewayConfig.ACCOUNT, push());
            daraja.verify(1, tokenRequests());

            clock.advance(Duration.ofSeconds(2));
            client.push(TestGatewayConfig.ACCOUNT, push());
            daraja.verify(2, tokenRequests());
            daraja.verify(3, pushRequests());
        }

        @Test
        void invalidTokenRefetchedOnce() {
            daraja.stubFor(get(urlPathEqualTo(OAUTH_PATH)).inScenario("tokens")
                    .whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(okJson(tokenBody("token-one")))
                    .willSetStateTo("second token issued"));
            daraja.stubFor(get(urlPathEqualTo(OAUTH_PATH)).inScenario("tokens")
                    .whenScenarioStateIs("second token issued")
                    .willReturn(okJson(tokenBody("token-two"))));
            daraja.stubFor(post(urlEqualTo(PUSH_PATH)).withHeader("Authorization", equalTo("Bearer token-one"))
                    .willReturn(json(404, "processrequest-invalid-token.json")));
            daraja.stubFor(post(urlEqualTo(PUSH_PATH)).withHeader("Authorization", equalTo("Bearer token-two"))
                    .willReturn(json(200, "processrequest-accepted.json")));

            PushReply reply = client().push(TestGatewayConfig.ACCOUNT, push()).reply();

            assertThat(reply).isInstanceOf(PushReply.Accepted.class);
            daraja.verify(2, tokenRequests());
            daraja.verify(1, pushRequests().withHeader("Authorization", equalTo("Bearer token-one")));
            daraja.verify(1, pushRequests().withHeader("Authorization", equalTo("Bearer token-two")));
        }

        @Test
        void secondInvalidTokenNotRetried() {
            stubToken();
            stubPush(json(404, "processrequest-invalid-token.json"));

            PushReply reply = client().push(TestGatewayConfig.ACCOUNT, push()).reply();

            daraja.verify(2, tokenRequests());
            daraja.verify(2, pushRequests());
            assertThat(reply).isInstanceOf(PushReply.Rejected.class);
            PushReply.Rejected rejected = (PushReply.Rejected) reply;
            assertThat(rejected.errorCode()).isEqualTo("404.001.03");
            assertThat(rejected.httpStatus()).isEqualTo(404);
        }

        @Test
        void concurrentPushesShareOneToken() throws Exception {
            // The delay keeps the first token request open while the other threads arrive.
            daraja.stubFor(get(urlPathEqualTo(OAUTH_PATH))
                    .willReturn(okJson(Fixtures.read("oauth-token.json")).withFixedDelay(300)));
            stubPush(json(200, "processrequest-accepted.json"));
            DarajaClient client = client();
            int threads = 8;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<PushExchange>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return client.push(TestGatewayConfig.ACCOUNT, push());
                    }));
                }
                start.countDown();
                for (Future<PushExchange> result : results) {
                    assertThat(result.get(10, TimeUnit.SECONDS).reply()).isInstanceOf(PushReply.Accepted.class);
                }
            } finally {
                pool.shutdownNow();
            }

            daraja.verify(1, tokenRequests());
            daraja.verify(threads, pushRequests());
        }
    }

    @Nested
    class PushRequestBody {

        @ParameterizedTest(name = "host zone {0}")
        @ValueSource(strings = {"America/New_York", "UTC", "Africa/Nairobi", "Pacific/Kiritimati"})
        void timestampInEastAfricaTime(String hostZone) throws IOException {
            stubToken();
            stubPush(json(200, "processrequest-accepted.json"));
            TimeZone original = TimeZone.getDefault();
            try {
                TimeZone.setDefault(TimeZone.getTimeZone(hostZone));
                assertThat(ZoneId.systemDefault()).isEqualTo(ZoneId.of(hostZone));
                Clock hostClock = Clock.fixed(NOW, ZoneId.systemDefault());

                client(TestGatewayConfig.simulatorAt(baseUrl()), hostClock).push(TestGatewayConfig.ACCOUNT, push());
            } finally {
                TimeZone.setDefault(original);
            }

            JsonNode body = onlyRequestBody(PUSH_PATH);
            assertThat(body.get("Timestamp").asText()).isEqualTo(NOW_IN_NAIROBI);
            assertThat(body.get("Password").asText()).isEqualTo(expectedPassword(NOW_IN_NAIROBI));
        }

        @Test
        void bodyHasElevenDarajaFields() throws IOException {
            stubToken();
            stubPush(json(200, "processrequest-accepted.json"));

            client().push(TestGatewayConfig.ACCOUNT, push());

            JsonNode body = onlyRequestBody(PUSH_PATH);
            assertThat(fieldNames(body)).containsExactlyInAnyOrderElementsOf(DARAJA_PUSH_FIELDS);
            for (String field : DARAJA_PUSH_FIELDS) {
                JsonNode value = body.get(field);
                assertThat(value.isNull()).as("%s is null", field).isFalse();
                assertThat(value.asText()).as("%s is empty", field).isNotBlank();
            }
            assertThat(body.get("Amount").isIntegralNumber()).as("Amount is a whole JSON number").isTrue();
            assertThat(body.get("Amount").longValue()).isEqualTo(100);
        }

        @Test
        void bodyCarriesPushValues() throws IOException {
            stubToken();
            stubPush(json(200, "processrequest-accepted.json"));

            client().push(TestGatewayConfig.ACCOUNT, push());

            JsonNode body = onlyRequestBody(PUSH_PATH);
            assertThat(body.get("BusinessShortCode").asText()).isEqualTo(TestGatewayConfig.SHORTCODE);
            assertThat(body.get("TransactionType").asText()).isEqualTo("CustomerPayBillOnline");
            assertThat(body.get("PartyA").asText()).isEqualTo("254700000001");
            assertThat(body.get("PartyB").asText()).isEqualTo(TestGatewayConfig.SHORTCODE);
            assertThat(body.get("PhoneNumber").asText()).isEqualTo("254700000001");
            assertThat(body.get("CallBackURL").asText())
                    .isEqualTo("http://127.0.0.1:8080/callbacks/daraja/Zq8mX2pLr4Tn");
            assertThat(body.get("AccountReference").asText()).isEqualTo("INV20240001");
            assertThat(body.get("TransactionDesc").asText()).isEqualTo("Pay7K3M9QW2XZ");
            daraja.verify(pushRequests().withHeader("Content-Type", equalTo("application/json")));
        }

        @Test
        void sanitisedRequestLacksPassword() throws IOException {
            stubToken();
            stubPush(json(200, "processrequest-accepted.json"));

            PushExchange exchange = client().push(TestGatewayConfig.ACCOUNT, push());

            JsonNode sanitised = JSON.readTree(exchange.sanitisedRequest());
            Set<String> expected = new TreeSet<>(DARAJA_PUSH_FIELDS);
            expected.remove("Password");
            assertThat(fieldNames(sanitised)).isEqualTo(expected);
            assertThat(exchange.sanitisedRequest()).doesNotContain(expectedPassword(NOW_IN_NAIROBI));
            assertThat(exchange.sanitisedRequest()).doesNotContain(TestGatewayConfig.PASSKEY);
        }
    }

    @Nested
    class PushReplies {

        @Test
        void acceptedCarriesCheckoutRequestId() {
            stubToken();
            stubPush(json(200, "processrequest-accepted.json"));

            PushReply reply = client().push(TestGatewayConfig.ACCOUNT, push()).reply();

            assertThat(reply).isInstanceOf(PushReply.Accepted.class);
            PushReply.Accepted accepted = (PushReply.Accepted) reply;
            assertThat(accepted.checkoutRequestId()).isEqualTo(CHECKOUT_REQUEST_ID);
            assertThat(accepted.merchantRequestId()).isEqualTo("f1e2-4b7c-9a3d-5c6e21a8b0d4");
            assertThat(accepted.description()).isEqualTo("Success. Request accepted for processing");
        }

        @Test
        void lockedSubscriberIsRetryable() {
            stubToken();
            stubPush(json(500, "processrequest-lock-subscriber.json"));

            PushReply reply = client().push(TestGatewayConfig.ACCOUNT, push()).reply();

            assertThat(reply).isInstanceOf(PushReply.Rejected.class);
            PushReply.Rejected rejected = (PushReply.Rejected) reply;
            assertThat(rejected.failureClass()).isEqualTo(FailureClass.RETRYABLE);
            assertThat(rejected.errorCode()).isEqualTo("500.001.1001");
            assertThat(rejected.errorMessage()).isEqualTo(
                    "Unable to lock subscriber, a transaction is already in process for the current subscriber");
            assertThat(rejected.httpStatus()).isEqualTo(500);
        }

        @Test
        void wrongCredentialsIsConfiguration() {
            stubToken();
            stubPush(json(500, "processrequest-wrong-credentials.json"));

            PushReply reply = client().push(TestGatewayConfig.ACCOUNT, push()).reply();

            assertThat(reply).isInstanceOf(PushReply.Rejected.class);
            PushReply.Rejected rejected = (PushReply.Rejected) reply;
            assertThat(rejected.failureClass()).isEqualTo(FailureClass.CONFIGURATION);
            assertThat(rejected.errorCode()).isEqualTo("500.001.1001");
            assertThat(rejected.errorMessage()).isEqualTo("[MerchantValidate] - Wrong credentials");
        }

        @Test
        void invalidPhoneIsRejected() {
            stubToken();
            stubPush(json(400, "processrequest-invalid-phone.json"));

            PushReply reply = client().push(TestGatewayConfig.ACCOUNT, push()).reply();

            assertThat(reply).isInstanceOf(PushReply.Rejected.class);
            PushReply.Rejected rejected = (PushReply.Rejected) reply;
            assertThat(rejected.errorCode()).isEqualTo("400.002.02");
            assertThat(rejected.errorMessage()).isEqualTo("Bad Request - Invalid PhoneNumber");
            assertThat(rejected.httpStatus()).isEqualTo(400);
            assertThat(rejected.failureClass()).isEqualTo(FailureClass.CUSTOMER_ACTION);
        }

        @Test
        void htmlServiceUnavailableIsUnknown() {
            stubToken();
            stubPush(aResponse().withStatus(503)
                    .withHeader("Content-Type", "text/html")
                    .withBody(Fixtures.read("processrequest-unavailable.html")));

            PushReply reply = client().push(TestGatewayConfig.ACCOUNT, push()).reply();

            assertThat(reply).isInstanceOf(PushReply.Unknown.class);
            PushReply.Unknown unknown = (PushReply.Unknown) reply;
            assertThat(unknown.httpStatus()).isEqualTo(503);
            assertThat(unknown.body()).contains("503 Service Temporarily Unavailable");
        }

        @Test
        void slowReplyIsUnknown() {
            stubToken();
            stubPush(json(200, "processrequest-accepted.json").withFixedDelay(2_000));
            GatewayConfig config = TestGatewayConfig.simulatorAt(baseUrl(), Duration.ofMillis(300));

            PushReply reply = client(config, clock).push(TestGatewayConfig.ACCOUNT, push()).reply();

            assertThat(reply).isInstanceOf(PushReply.Unknown.class);
            assertThat(((PushReply.Unknown) reply).reason()).contains("did not reply");
        }

        @Test
        void closedPortIsNotSent() throws IOException {
            GatewayConfig config = TestGatewayConfig.simulatorAt("http://127.0.0.1:" + closedPort());

            PushReply reply = client(config, clock).push(TestGatewayConfig.ACCOUNT, push()).reply();

            assertThat(reply).isInstanceOf(PushReply.NotSent.class);
        }

        /** The token is cached first, so the refused connection is the push itself, not the OAuth call. */
        @Test
        void closedPortWithCachedTokenIsNotSent() throws IOException {
            stubToken();
            stubPush(json(200, "processrequest-accepted.json"));
            MovableAccount account = new MovableAccount(TestGatewayConfig.account(baseUrl()));
            DarajaClient client = client(TestGatewayConfig.withAccount(account, Duration.ofSeconds(2)), clock);
            assertThat(client.push(TestGatewayConfig.ACCOUNT, push()).reply()).isInstanceOf(PushReply.Accepted.class);

            account.baseUrl = "http://127.0.0.1:" + closedPort();
            PushReply reply = client.push(TestGatewayConfig.ACCOUNT, push()).reply();

            assertThat(reply).isInstanceOf(PushReply.NotSent.class);
            assertThat(((PushReply.NotSent) reply).reason()).contains("could not connect");
        }

        @Test
        void rejectedCredentialsIsConfiguration() {
            daraja.stubFor(get(urlPathEqualTo(OAUTH_PATH)).willReturn(json(400, "oauth-invalid-authentication.json")));

            PushReply reply = client().push(TestGatewayConfig.ACCOUNT, push()).reply();

            assertThat(reply).isInstanceOf(PushReply.Rejected.class);
            PushReply.Rejected rejected = (PushReply.Rejected) reply;
            assertThat(rejected.failureClass()).isEqualTo(FailureClass.CONFIGURATION);
            assertThat(rejected.errorMessage()).contains("400.008.01");
            daraja.verify(0, pushRequests());
        }

        @Test
        void tokenServerErrorIsNotSent() {
            daraja.stubFor(get(urlPathEqualTo(OAUTH_PATH)).willReturn(aResponse().withStatus(503)
                    .withHeader("Content-Type", "text/html")
                    .withBody(Fixtures.read("processrequest-unavailable.html"))));

            PushReply reply = client().push(TestGatewayConfig.ACCOUNT, push()).reply();

            assertThat(reply).isInstanceOf(PushReply.NotSent.class);
            daraja.verify(0, pushRequests());
        }

        @Test
        void unknownAccountIsConfiguration() {
            PushReply reply = client().push("live-main", push()).reply();

            assertThat(reply).isInstanceOf(PushReply.Rejected.class);
            assertThat(((PushReply.Rejected) reply).failureClass()).isEqualTo(FailureClass.CONFIGURATION);
            daraja.verify(0, tokenRequests());
        }
    }

    @Nested
    class QueryReplies {

        @Test
        void beingProcessedIsProcessing() {
            stubToken();
            stubQuery(json(500, "query-processing.json"));

            QueryReply reply = client().query(TestGatewayConfig.ACCOUNT, CHECKOUT_REQUEST_ID);

            assertThat(reply).isInstanceOf(QueryReply.Processing.class);
        }

        @Test
        void resultCodeAsString() {
            stubToken();
            stubQuery(json(200, "query-cancelled.json"));

            QueryReply reply = client().query(TestGatewayConfig.ACCOUNT, "ws_CO_02032024134512456700000002");

            assertThat(reply).isInstanceOf(QueryReply.Result.class);
            StkResult result = ((QueryReply.Result) reply).result();
            assertThat(result.resultCode()).isEqualTo("1032");
            assertThat(result.resultDesc()).isEqualTo("Request cancelled by user");
            assertThat(result.checkoutRequestId()).isEqualTo("ws_CO_02032024134512456700000002");
        }

        @Test
        void resultCodeAsNumber() {
            stubToken();
            stubQuery(json(200, "query-cancelled-numeric-result-code.json"));

            QueryReply reply = client().query(TestGatewayConfig.ACCOUNT, "ws_CO_02032024134512456700000002");

            assertThat(reply).isInstanceOf(QueryReply.Result.class);
            assertThat(((QueryReply.Result) reply).result().resultCode()).isEqualTo("1032");
        }

        @Test
        void successIsResultZero() {
            stubToken();
            stubQuery(json(200, "query-success.json"));

            QueryReply reply = client().query(TestGatewayConfig.ACCOUNT, CHECKOUT_REQUEST_ID);

            assertThat(reply).isInstanceOf(QueryReply.Result.class);
            StkResult result = ((QueryReply.Result) reply).result();
            assertThat(result.isSuccess()).isTrue();
            assertThat(result.checkoutRequestId()).isEqualTo(CHECKOUT_REQUEST_ID);
        }

        @Test
        void queryBodyHasFourFields() throws IOException {
            stubToken();
            stubQuery(json(200, "query-success.json"));

            client().query(TestGatewayConfig.ACCOUNT, CHECKOUT_REQUEST_ID);

            JsonNode body = onlyRequestBody(QUERY_PATH);
            assertThat(fieldNames(body)).containsExactlyInAnyOrder("BusinessShortCode", "Password", "Timestamp",
                    "CheckoutRequestID");
            assertThat(body.get("CheckoutRequestID").asText()).isEqualTo(CHECKOUT_REQUEST_ID);
            assertThat(body.get("Timestamp").asText()).isEqualTo(NOW_IN_NAIROBI);
            assertThat(body.get("Password").asText()).isEqualTo(expectedPassword(NOW_IN_NAIROBI));
        }

        @Test
        void invalidCheckoutRequestIdIsFailed() {
            stubToken();
            stubQuery(json(400, "query-invalid-checkout-request-id.json"));

            QueryReply reply = client().query(TestGatewayConfig.ACCOUNT, "ws_CO_unknown");

            assertThat(reply).isInstanceOf(QueryReply.Failed.class);
            QueryReply.Failed failed = (QueryReply.Failed) reply;
            assertThat(failed.reason()).contains("400.002.02");
            assertThat(failed.httpStatus()).isEqualTo(400);
        }
    }

    /** An account whose base URL a test can change after the client has cached a token for it. */
    private static final class MovableAccount implements GatewayConfig.Account {
        private final GatewayConfig.Account settings;
        volatile String baseUrl;

        MovableAccount(GatewayConfig.Account settings) {
            this.settings = settings;
            this.baseUrl = settings.baseUrl();
        }

        @Override
        public String baseUrl() {
            return baseUrl;
        }

        @Override
        public String shortcode() {
            return settings.shortcode();
        }

        @Override
        public Optional<String> partyB() {
            return settings.partyB();
        }

        @Override
        public String transactionType() {
            return settings.transactionType();
        }

        @Override
        public Optional<String> passkey() {
            return settings.passkey();
        }

        @Override
        public Optional<String> consumerKey() {
            return settings.consumerKey();
        }

        @Override
        public Optional<String> consumerSecret() {
            return settings.consumerSecret();
        }
    }
}
