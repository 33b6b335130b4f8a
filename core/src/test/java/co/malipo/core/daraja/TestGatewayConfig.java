package co.malipo.core.daraja;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import co.malipo.core.config.GatewayConfig;

/**
 * Gateway settings for tests, built without Quarkus. Values match the defaults in
 * {@link GatewayConfig} except the arguments of the factory methods and the Daraja timeouts and
 * token refresh margin, which are short so that tests run fast.
 */
public record TestGatewayConfig(Payments payments, Callback callback, Daraja daraja, Push push,
        Simulator simulator, Demo demo, Api api, Reconcile reconcile, Webhooks webhooks, Sms sms, Ussd ussd)
        implements GatewayConfig {

    public static final String ACCOUNT = "simulator";
    public static final String SHORTCODE = "880100";
    public static final String PASSKEY = "test-passkey-0123456789abcdef";
    public static final String CONSUMER_KEY = "test-consumer-key";
    public static final String CONSUMER_SECRET = "test-consumer-secret";

    /** Builds settings whose account {@code simulator} is at {@code baseUrl}, with a 2 s read timeout. */
    public static TestGatewayConfig simulatorAt(String baseUrl) {
        return simulatorAt(baseUrl, Duration.ofSeconds(2));
    }

    public static TestGatewayConfig simulatorAt(String baseUrl, Duration readTimeout) {
        return withAccount(account(baseUrl), readTimeout);
    }

    /** Builds a PayBill account at {@code baseUrl} with {@link #SHORTCODE}, {@link #PASSKEY} and test credentials. */
    public static TestAccount account(String baseUrl) {
        return new TestAccount(baseUrl, SHORTCODE, Optional.empty(), "CustomerPayBillOnline",
                Optional.of(PASSKEY), Optional.of(CONSUMER_KEY), Optional.of(CONSUMER_SECRET));
    }

    /**
     * Builds settings whose only Daraja account, named {@link #ACCOUNT}, is {@code account}. The
     * connect timeout is 2 s and the token refresh margin 60 s.
     */
    public static TestGatewayConfig withAccount(GatewayConfig.Account account, Duration readTimeout) {
        TestDaraja daraja = new TestDaraja(Map.of(ACCOUNT, account), Duration.ofSeconds(2), readTimeout,
                Duration.ofSeconds(60));
        return new TestGatewayConfig(payments(new BigDecimal("1.5")), new TestCallback(Optional.empty(),
                "http://127.0.0.1:8080", true, Optional.empty(), "30s"), daraja, new TestPush(8, Duration.ofMinutes(2), Duration.ofSeconds(60),
                Duration.ofSeconds(3), Duration.ofSeconds(90), "2s"), new TestSimulator(false, Duration.ofSeconds(2), Duration.ofSeconds(35),
                Duration.ofSeconds(20)), new TestDemo(false, "MRC_DEMO", "Demo Shop", Optional.empty(),
                Optional.empty()), new TestApi(List.of("TEST", "LIVE"), "http://127.0.0.1:8080",
                Duration.ofHours(24)), new TestReconcile(List.of(Duration.ofSeconds(30), Duration.ofSeconds(15),
                Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(2), Duration.ofMinutes(5),
                Duration.ofMinutes(10)), Duration.ofHours(24), Duration.ofMinutes(10), Duration.ofSeconds(15),
                Duration.ofMinutes(1), new BigDecimal("100000"), 20, "5s"), null, sms("http://127.0.0.1:1"),
                new TestUssd(Duration.ofSeconds(3)));
    }

    /** Builds payment limits at their defaults (10 to 150,000 KES, prompts up to 250,000 KES) with the given fee. */
    public static TestPayments payments(BigDecimal feePercent) {
        return new TestPayments(new BigDecimal("10"), new BigDecimal("150000"), new BigDecimal("250000"), feePercent,
                "MPesa Express");
    }

    public record TestPayments(BigDecimal minAmount, BigDecimal maxAmount, BigDecimal maxPromptAmount,
            BigDecimal feePercent, String defaultApiRef) implements GatewayConfig.Payments {
    }

    public record TestCallback(Optional<String> publicBaseUrl, String simulatorBaseUrl, boolean enabled,
            Optional<List<String>> allowedNetworks, String retryInterval) implements GatewayConfig.Callback {
    }

    public record TestReconcile(List<Duration> queryDelays, Duration queryGiveUpAfter, Duration attentionAfter,
            Duration statusQueryAge, Duration queryLease, BigDecimal confirmAbove, int batchSize, String pollInterval)
            implements GatewayConfig.Reconcile {
    }

    public record TestDaraja(Map<String, GatewayConfig.Account> accounts, Duration connectTimeout,
            Duration readTimeout, Duration tokenRefreshMargin) implements GatewayConfig.Daraja {
    }

    public record TestAccount(String baseUrl, String shortcode, Optional<String> partyB, String transactionType,
            Optional<String> passkey, Optional<String> consumerKey, Optional<String> consumerSecret)
            implements GatewayConfig.Account {
    }

    public record TestPush(int concurrency, Duration lease, Duration connectRetryWindow, Duration connectRetryDelay,
            Duration phoneHoldWindow, String pollInterval)
            implements GatewayConfig.Push {
    }

    public record TestSimulator(boolean enabled, Duration callbackDelay, Duration slowReplyDelay,
            Duration lateCallbackDelay) implements GatewayConfig.Simulator {
    }

    public record TestDemo(boolean seed, String merchantId, String merchantName, Optional<String> testPublicKey,
            Optional<String> testSecretKey) implements GatewayConfig.Demo {
    }

    public record TestApi(List<String> environments, String host, Duration idempotencyTtl)
            implements GatewayConfig.Api {
    }

    /** Builds SMS settings whose sandbox is at {@code baseUrl}, with test credentials and 2 s timeouts. */
    public static TestSms sms(String baseUrl) {
        return new TestSms(false, "http://127.0.0.1:1", baseUrl, Optional.of("sandbox"), Optional.of("test-at-api-key"),
                Optional.of("MALIPO"), Duration.ofSeconds(2), Duration.ofSeconds(2),
                List.of(Duration.ofSeconds(30), Duration.ofMinutes(2)), "5s", 20, false, "BADSENDER");
    }

    public record TestSms(boolean live, String liveBaseUrl, String sandboxBaseUrl, Optional<String> username,
            Optional<String> apiKey, Optional<String> senderId, Duration connectTimeout, Duration readTimeout,
            List<Duration> retryDelays, String pollInterval, int batchSize, boolean simulatorEnabled,
            String simulatorInvalidSenderId) implements GatewayConfig.Sms {

        @Override
        public Optional<String> inboundToken() {
            return Optional.empty();
        }

        @Override
        public Optional<List<String>> allowedNetworks() {
            return Optional.empty();
        }
    }

    public record TestUssd(Duration pushDelay) implements GatewayConfig.Ussd {

        @Override
        public Optional<String> callbackToken() {
            return Optional.empty();
        }
    }
}
