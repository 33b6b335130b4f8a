package co.malipo.core.sms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.daraja.TestGatewayConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link AfricasTalkingClient} and {@link SmsDecision} against a WireMock stand-in, bound to 127.0.0.1. */
class AfricasTalkingClientTest {

    private static final String PATH = "/version1/messaging";
    private static final Instant NOW = Instant.parse("2024-03-02T10:30:00Z");
    private static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(30), Duration.ofMinutes(2));

    private WireMockServer africasTalking;

    @BeforeEach
    void start() {
        africasTalking = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        africasTalking.start();
    }

    @AfterEach
    void stop() {
        africasTalking.stop();
    }

    private AfricasTalkingClient client() {
        return client(TestGatewayConfig.sms("http://127.0.0.1:" + africasTalking.port()));
    }

    private static AfricasTalkingClient client(GatewayConfig.Sms sms) {
        TestGatewayConfig base = TestGatewayConfig.simulatorAt("http://127.0.0.1:1");
        return new AfricasTalkingClient(new TestGatewayConfig(base.payments(), base.callback(), base.daraja(),
                base.push(), base.simulator(), base.demo(), base.api(), base.reconcile(), base.webhooks(), sms,
                base.ussd(), base.observability()));
    }

    private void stubReply(int status, String body) {
        africasTalking.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static String oneRecipient(int statusCode, String status, String messageId) {
        return "{\"SMSMessageData\":{\"Message\":\"Sent to 1/1 Total Cost: KES 0.8000\",\"Recipients\":[{"
                + "\"statusCode\":" + statusCode + ",\"number\":\"+254711000111\",\"status\":\"" + status + "\","
                + "\"cost\":\"KES 0.8000\",\"messageId\":\"" + messageId + "\"}]}}";
    }

    private SendResult send() {
        return client().send(List.of("+254711000111"), "Paid KES 100");
    }

    @Test
    void successKeepsMessageId() {
        stubReply(201, oneRecipient(101, "Success", "ATPid_SampleTxnId123"));

        SendResult result = send();

        assertThat(result).isInstanceOf(SendResult.Answered.class);
        SendResult.Recipient recipient = ((SendResult.Answered) result).recipients().get(0);
        assertThat(recipient.messageId()).isEqualTo("ATPid_SampleTxnId123");
        assertThat(recipient.kind()).isEqualTo(RecipientStatus.Kind.ACCEPTED);
        assertThat(SmsDecision.of(result, 1, RETRY_DELAYS, NOW))
                .isEqualTo(new SmsDecision.Sent("ATPid_SampleTxnId123", 101));
    }

    @Test
    void blacklistFailsWithoutRetryOrNoneId() {
        stubReply(201, oneRecipient(406, "UserInBlacklist", "None"));

        SendResult result = send();

        SendResult.Recipient recipient = ((SendResult.Answered) result).recipients().get(0);
        assertThat(recipient.messageId()).isNull();
        assertThat(recipient.statusCode()).isEqualTo(406);
        SmsDecision decision = SmsDecision.of(result, 1, RETRY_DELAYS, NOW);
        assertThat(decision).isInstanceOf(SmsDecision.Fail.class);
        assertThat(((SmsDecision.Fail) decision).alertOperator()).isFalse();
        assertThat(((SmsDecision.Fail) decision).reason()).isEqualTo("UserInBlacklist (406)");
    }

    @Test
    void emptyRecipientsIsConfigurationError() {
        stubReply(201, "{\"SMSMessageData\":{\"Message\":\"InvalidSenderId\",\"Recipients\":[]}}");

        SendResult result = send();

        assertThat(result).isInstanceOf(SendResult.ConfigurationError.class);
        assertThat(((SendResult.ConfigurationError) result).reason()).contains("InvalidSenderId");
        SmsDecision decision = SmsDecision.of(result, 1, RETRY_DELAYS, NOW);
        assertThat(decision).isInstanceOf(SmsDecision.Fail.class);
        assertThat(((SmsDecision.Fail) decision).alertOperator()).isTrue();
    }

    @Test
    void recipientServerErrorIsRetried() {
        stubReply(201, oneRecipient(500, "InternalServerError", "None"));

        SmsDecision decision = SmsDecision.of(send(), 1, RETRY_DELAYS, NOW);

        assertThat(decision).isEqualTo(new SmsDecision.Retry(500, "InternalServerError (500)", NOW.plusSeconds(30)));
    }

    @Test
    void insufficientBalanceAlertsWithoutRetry() {
        stubReply(201, oneRecipient(405, "InsufficientBalance", "None"));

        SmsDecision decision = SmsDecision.of(send(), 1, RETRY_DELAYS, NOW);

        assertThat(decision).isEqualTo(new SmsDecision.Fail(405, "InsufficientBalance (405)", true));
    }

    @Test
    void http500IsRetriedUntilDelaysRunOut() {
        stubReply(500, "Internal Server Error");

        SendResult result = send();

        assertThat(result).isInstanceOf(SendResult.Transient.class);
        assertThat(SmsDecision.of(result, 2, RETRY_DELAYS, NOW)).isInstanceOf(SmsDecision.Retry.class);
        assertThat(((SmsDecision.Retry) SmsDecision.of(result, 2, RETRY_DELAYS, NOW)).nextAttemptAt())
                .isEqualTo(NOW.plus(Duration.ofMinutes(2)));
        assertThat(SmsDecision.of(result, 3, RETRY_DELAYS, NOW)).isInstanceOf(SmsDecision.Fail.class);
    }

    @Test
    void http401IsConfigurationError() {
        stubReply(401, "The supplied authentication is invalid");

        assertThat(send()).isInstanceOf(SendResult.ConfigurationError.class);
    }

    @Test
    void http400IsRejected() {
        stubReply(400, "Invalid phone number");

        SendResult result = send();

        assertThat(result).isInstanceOf(SendResult.Rejected.class);
        assertThat(SmsDecision.of(result, 1, RETRY_DELAYS, NOW)).isInstanceOf(SmsDecision.Fail.class);
    }

    @Test
    void timeoutIsTransientAndMaybeSent() {
        africasTalking.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(201)
                .withFixedDelay(3000).withBody(oneRecipient(101, "Success", "ATPid_late"))));

        SendResult result = send();

        assertThat(result).isInstanceOf(SendResult.Transient.class);
        assertThat(((SendResult.Transient) result).maybeSent()).isTrue();
    }

    @Test
    void refusedConnectionIsTransientNotSent() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }

        SendResult result = client(TestGatewayConfig.sms("http://127.0.0.1:" + closedPort))
                .send(List.of("+254711000111"), "Paid");

        assertThat(result).isInstanceOf(SendResult.Transient.class);
        assertThat(((SendResult.Transient) result).maybeSent()).isFalse();
    }

    @Test
    void missingApiKeyIsConfigurationError() {
        TestGatewayConfig.TestSms sms = TestGatewayConfig.sms("http://127.0.0.1:" + africasTalking.port());
        TestGatewayConfig.TestSms withoutKey = new TestGatewayConfig.TestSms(false, sms.liveBaseUrl(),
                sms.sandboxBaseUrl(), sms.username(), java.util.Optional.empty(), sms.senderId(), sms.connectTimeout(),
                sms.readTimeout(), sms.retryDelays(), sms.pollInterval(), sms.batchSize(), false, "BADSENDER");

        assertThat(client(withoutKey).send(List.of("+254711000111"), "Paid"))
                .isInstanceOf(SendResult.ConfigurationError.class);
        assertThat(africasTalking.getAllServeEvents()).isEmpty();
    }

    @Test
    void formEncodingKeepsSpecialCharacters() {
        stubReply(201, oneRecipient(101, "Success", "ATPid_1"));

        client().send(List.of("+254711000111", "+254722000222"), "Tom & Jerry + 1 @ shop = 100%");

        africasTalking.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("apiKey", equalTo("test-at-api-key"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded")));
        LoggedRequest request = africasTalking.findAll(postRequestedFor(urlEqualTo(PATH))).get(0);
        Map<String, String> form = decodeForm(request.getBodyAsString());
        assertThat(form).containsEntry("message", "Tom & Jerry + 1 @ shop = 100%");
        assertThat(form).containsEntry("to", "+254711000111,+254722000222");
        assertThat(form).containsEntry("username", "sandbox");
        assertThat(form).containsEntry("from", "MALIPO");
        assertThat(form).hasSize(4);
    }

    private static Map<String, String> decodeForm(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }
}
