package co.malipo.core.daraja;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import co.malipo.core.observability.ProviderStatus;
import co.malipo.core.observability.ProviderStatus.Provider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How Daraja's replies move the provider status behind the providers health group and the malipo_provider_up gauge. */
class DarajaProviderStatusTest {

    private static final Instant NOW = Instant.parse("2024-03-02T10:30:00Z");
    private static final String LIVE = "default";

    private WireMockServer daraja;
    private SimpleMeterRegistry meters;
    private ProviderStatus providers;
    private DarajaClient client;

    @BeforeEach
    void startDaraja() {
        daraja = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        daraja.start();
        MutableClock clock = new MutableClock(NOW);
        meters = new SimpleMeterRegistry();
        providers = new ProviderStatus(clock, meters, 3);
        client = new DarajaClient(liveAccountAt("http://127.0.0.1:" + daraja.port()), clock, meters, providers);
        daraja.stubFor(get(urlPathEqualTo("/oauth/v1/generate")).withQueryParam("grant_type",
                equalTo("client_credentials")).willReturn(okJson(Fixtures.read("oauth-token.json"))));
    }

    @AfterEach
    void stopDaraja() {
        daraja.stop();
    }

    /** Builds settings with one account named {@link #LIVE} at {@code baseUrl}, because the simulator's account is not counted. */
    private static TestGatewayConfig liveAccountAt(String baseUrl) {
        TestGatewayConfig base = TestGatewayConfig.simulatorAt(baseUrl);
        TestGatewayConfig.TestDaraja daraja = new TestGatewayConfig.TestDaraja(
                Map.of(LIVE, TestGatewayConfig.account(baseUrl)), Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(60));
        return new TestGatewayConfig(base.payments(), base.callback(), daraja, base.push(), base.simulator(), base.demo(),
                base.api(), base.reconcile(), base.webhooks(), base.sms(), base.ussd(), base.observability());
    }

    private void stubPush(ResponseDefinitionBuilder response) {
        daraja.stubFor(post(urlEqualTo("/mpesa/stkpush/v1/processrequest")).willReturn(response));
    }

    private void pushTimes(int times) {
        for (int i = 0; i < times; i++) {
            client.push(LIVE, new StkPushRequest(100, "254700000001",
                    "http://127.0.0.1:8080/daraja/callback/token", "INV1", "Pay"));
        }
    }

    private double upGauge() {
        return meters.get("malipo.provider.up").tag("provider", "daraja").gauge().value();
    }

    @Test
    void upBeforeAnyCall() {
        assertThat(providers.isUp(Provider.DARAJA)).isTrue();
        assertThat(upGauge()).isEqualTo(1.0);
    }

    @Test
    void htmlServiceUnavailableCountsAsFailure() {
        stubPush(aResponse().withStatus(503).withHeader("Content-Type", "text/html")
                .withBody(Fixtures.read("processrequest-unavailable.html")));

        pushTimes(2);
        assertThat(providers.isUp(Provider.DARAJA)).isTrue();
        assertThat(providers.state(Provider.DARAJA).consecutiveFailures()).isEqualTo(2);

        pushTimes(1);
        assertThat(providers.isUp(Provider.DARAJA)).isFalse();
        assertThat(upGauge()).isEqualTo(0.0);
        assertThat(providers.state(Provider.DARAJA).lastFailure()).contains("503");
    }

    @Test
    void errorCodeOnHttp500IsReply() {
        stubPush(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                .withBody(Fixtures.read("processrequest-lock-subscriber.json")));

        pushTimes(5);

        assertThat(providers.isUp(Provider.DARAJA)).isTrue();
        assertThat(providers.state(Provider.DARAJA).consecutiveFailures()).isZero();
        assertThat(providers.state(Provider.DARAJA).lastReplyAt()).isEqualTo(NOW);
    }

    @Test
    void refusedConnectionsThenReplyRecovers() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = socket.getLocalPort();
        }
        DarajaClient unreachable = new DarajaClient(liveAccountAt("http://127.0.0.1:" + closed), new MutableClock(NOW),
                meters, providers);
        for (int i = 0; i < 3; i++) {
            unreachable.push(LIVE, new StkPushRequest(100, "254700000001",
                    "http://127.0.0.1:8080/daraja/callback/token", "INV1", "Pay"));
        }
        assertThat(providers.isUp(Provider.DARAJA)).isFalse();
        assertThat(providers.state(Provider.DARAJA).lastFailure()).contains("OAuth request to Daraja failed");

        stubPush(okJson(Fixtures.read("processrequest-accepted.json")));
        pushTimes(1);

        assertThat(providers.isUp(Provider.DARAJA)).isTrue();
        assertThat(upGauge()).isEqualTo(1.0);
    }

    @Test
    void simulatorAccountNotCounted() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = socket.getLocalPort();
        }
        DarajaClient simulator = new DarajaClient(TestGatewayConfig.simulatorAt("http://127.0.0.1:" + closed),
                new MutableClock(NOW), meters, providers);
        for (int i = 0; i < 3; i++) {
            simulator.push(TestGatewayConfig.ACCOUNT, new StkPushRequest(100, "254700000001",
                    "http://127.0.0.1:8080/daraja/callback/token", "INV1", "Pay"));
        }

        assertThat(providers.isUp(Provider.DARAJA)).isTrue();
        assertThat(providers.state(Provider.DARAJA).consecutiveFailures()).isZero();
    }
}
