package co.malipo.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the gateway, under the {@code malipo.} prefix. Every key has a default except credentials. */
@ConfigMapping(prefix = "malipo")
public interface GatewayConfig {

    Payments payments();

    Callback callback();

    Daraja daraja();

    Push push();

    Reconcile reconcile();

    Webhooks webhooks();

    Simulator simulator();

    Demo demo();

    Api api();

    Sms sms();

    Ussd ussd();

    Observability observability();

    /** Amount limits and the fee schedule for pushes. */
    interface Payments {
        /** Smallest amount after rounding up to the whole shilling. Defaults to 10 KES. */
        @WithDefault("10")
        BigDecimal minAmount();

        /** Largest amount after rounding up to the whole shilling. Defaults to 150,000 KES. */
        @WithDefault("150000")
        BigDecimal maxAmount();

        /** Largest amount a customer may be asked for, fee included (Daraja's own cap). Defaults to 250,000 KES. */
        @WithDefault("250000")
        BigDecimal maxPromptAmount();

        /** Fee as a percentage of the rounded amount, itself rounded up to the whole shilling. Defaults to 1.5. */
        @WithDefault("1.5")
        BigDecimal feePercent();

        /** Reference stored when a push has no {@code api_ref}. Defaults to {@code MPesa Express}. */
        @WithDefault("MPesa Express")
        String defaultApiRef();
    }

    /** Base URLs that Daraja posts results to. */
    interface Callback {
        /** Public https base URL for live pushes, for example {@code https://pay.example.co.ke}. */
        Optional<String> publicBaseUrl();

        /** Base URL the simulator posts test callbacks to. Defaults to this app on loopback. */
        @WithDefault("http://127.0.0.1:8080")
        String simulatorBaseUrl();

        /** Whether this app serves the Daraja callback endpoint. Defaults to true. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Source networks allowed to post callbacks, as CIDR blocks such as {@code 196.201.214.0/24}.
         * Empty by default, which accepts any source: Safaricom publishes no list of its addresses.
         */
        Optional<List<String>> allowedNetworks();

        /** Period of the retry round for stored callbacks that were not applied. Defaults to 30s. */
        @WithDefault("30s")
        String retryInterval();
    }

    /** Daraja accounts and the HTTP settings of the Daraja client. */
    interface Daraja {
        /** Named Daraja accounts. Test keys always use the account named {@code simulator}. */
        Map<String, Account> accounts();

        /** Time allowed to open a connection to Daraja. Defaults to 5 s. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Time allowed for Daraja's reply once the request is sent. Defaults to 30 s. */
        @WithDefault("30s")
        Duration readTimeout();

        /** How long before its stated expiry an OAuth token is replaced. Defaults to 5 min. */
        @WithDefault("5m")
        Duration tokenRefreshMargin();
    }

    /** One Daraja shortcode with its credentials. */
    interface Account {
        /** Daraja base URL, for example {@code https://api.safaricom.co.ke}. */
        String baseUrl();

        /** PayBill number, or the store number of a Till. */
        String shortcode();

        /** Receiving party: the PayBill number, or the Till number for Buy Goods. Defaults to the shortcode. */
        Optional<String> partyB();

        /** {@code CustomerPayBillOnline} or {@code CustomerBuyGoodsOnline}. */
        @WithDefault("CustomerPayBillOnline")
        String transactionType();

        /** Lipa na M-Pesa passkey; from the environment, never from a file in the repository. */
        Optional<String> passkey();

        Optional<String> consumerKey();

        Optional<String> consumerSecret();
    }

    /** Status queries, confirmations and the "needs attention" rules. */
    interface Reconcile {
        /**
         * Delays between status queries of an accepted push: the first counts from acceptance, each
         * next from the previous query, and the last repeats. Defaults to 30s,15s,30s,60s,2m,5m,10m.
         */
        @WithDefault("30s,15s,30s,60s,2m,5m,10m")
        List<Duration> queryDelays();

        /** How long after acceptance the poller stops querying an invoice. Defaults to 24 h. */
        @WithDefault("24h")
        Duration queryGiveUpAfter();

        /** How long an invoice may stay open before it is listed as needing attention. Defaults to 10 min. */
        @WithDefault("10m")
        Duration attentionAfter();

        /** A status call queries Daraja when the invoice's last evidence is older than this. Defaults to 15 s. */
        @WithDefault("15s")
        Duration statusQueryAge();

        /**
         * How long one instance may hold the invoices it claimed for one poller round. A round
         * queries them one after another, each within the Daraja timeouts. Defaults to 15 min.
         */
        @WithDefault("15m")
        Duration queryLease();

        /** Callback successes above this amount are applied only after a query confirms them. Defaults to 100,000 KES. */
        @WithDefault("100000")
        BigDecimal confirmAbove();

        /** Invoices queried per poller round on one instance. Defaults to 20. */
        @WithDefault("20")
        int batchSize();

        /** Period of the status poller's rounds, or {@code off} to run them only on demand. Defaults to 5s. */
        @WithDefault("5s")
        String pollInterval();
    }

    /** The push worker. */
    interface Push {
        /** Pushes in flight at once on one instance; each waits up to the Daraja read timeout. Defaults to 16. */
        @WithDefault("16")
        int concurrency();

        /** Period of the push worker's fallback poll; commits that queue a push wake it at once. Defaults to 2s. */
        @WithDefault("2s")
        String pollInterval();

        /** How long a claimed push may take before its invoice is marked outcome unknown. Defaults to 2 min. */
        @WithDefault("2m")
        Duration lease();

        /** How long a push that could not connect is retried. Defaults to 60 s. */
        @WithDefault("60s")
        Duration connectRetryWindow();

        /** Pause between tries of a push that could not connect. Defaults to 3 s. */
        @WithDefault("3s")
        Duration connectRetryDelay();

        /**
         * How long a push keeps its phone while its invoice is open, counted from the claim that
         * sends it. Other pushes to that phone wait until the invoice settles or this time has
         * passed, because Daraja rejects a second prompt while one is open. Defaults to 90 s.
         */
        @WithDefault("90s")
        Duration phoneHoldWindow();
    }

    /** The built-in Daraja simulator that test keys use. */
    interface Simulator {
        /** Whether this app serves the simulator under {@code /simulator/daraja}. Defaults to false. */
        @WithDefault("false")
        boolean enabled();

        /** Delay between accepting a push and posting its callback. Defaults to 2 s. */
        @WithDefault("2s")
        Duration callbackDelay();

        /** Delay before the simulator replies to a push for the number whose reply times out. Defaults to 35 s. */
        @WithDefault("35s")
        Duration slowReplyDelay();

        /** Delay of the late success callback after a query returned 1037. Defaults to 20 s. */
        @WithDefault("20s")
        Duration lateCallbackDelay();

        /**
         * Faults injected into a share of the simulator's replies, for example {@code slow=5,error=5,html=5,drop=5,seed=1}:
         * percent of requests that get a reply after the slow-reply delay, HTTP 503, an HTML page, or a closed
         * connection. Unset means no faults.
         */
        Optional<String> faults();

        /** Whether {@code /simulator/daraja/faults} reads and replaces the fault plan at run time. Defaults to false. */
        @WithDefault("false")
        boolean faultControl();
    }

    /** The demo merchant seeded at start for local runs. */
    interface Demo {
        /** Whether to create the demo merchant at start. Defaults to false. */
        @WithDefault("false")
        boolean seed();

        @WithDefault("MRC_DEMO")
        String merchantId();

        @WithDefault("Demo Shop")
        String merchantName();

        /** Test public key of the demo merchant; a test-only value, never a live key. */
        Optional<String> testPublicKey();

        /** Test secret key of the demo merchant; a test-only value, never a live key. */
        Optional<String> testSecretKey();
    }

    /** Webhook delivery to merchants. */
    interface Webhooks {
        /** Delays before each retry: the first attempt is at once, then one retry after each delay. */
        @WithDefault("1m,5m,20m,1h,4h")
        List<Duration> retryDelays();

        /**
         * How often the delivery worker looks for due retries when no commit has woken it. Read by
         * {@code WebhookWorker}'s schedule; declared here so that setting it passes validation.
         * Defaults to 5 s.
         */
        @WithDefault("5s")
        Duration pollInterval();

        /** Time allowed to connect to a merchant's endpoint. Defaults to 5 s. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Time allowed for the endpoint's reply once the request is sent. Defaults to 10 s. */
        @WithDefault("10s")
        Duration readTimeout();

        /** Consecutive failed attempts that disable an endpoint; a warning comes at half. Defaults to 40. */
        @WithDefault("40")
        int disableAfterFailures();

        /** Deliveries in flight at once on one instance. Defaults to 16. */
        @WithDefault("16")
        int concurrency();

        /**
         * Deliveries in flight at once to one endpoint, so a slow endpoint cannot take every slot.
         * Defaults to 8: a sale at 200 pushes per second sends one endpoint about 600 events per
         * second, which 8 in flight carry when each delivery takes up to about 13 ms.
         */
        @WithDefault("8")
        int perEndpointConcurrency();

        /** How long the previous signing secret still signs after a rotation. Defaults to 24 h. */
        @WithDefault("24h")
        Duration rotationOverlap();

        /**
         * Whether test-environment endpoints may use http and loopback or private hosts, for local
         * development. Live endpoints never may. Defaults to true.
         */
        @WithDefault("true")
        boolean allowLocalTestUrls();
    }

    /** The merchant API. */
    interface Api {
        /** Environments whose keys this deployment accepts. Defaults to both. */
        @WithDefault("TEST,LIVE")
        List<String> environments();

        /** Public base URL shown as {@code host} on invoices. */
        @WithDefault("http://127.0.0.1:8080")
        String host();

        /** How long an {@code Idempotency-Key} is remembered. Defaults to 24 h. */
        @WithDefault("24h")
        Duration idempotencyTtl();

        /**
         * Pushes that one API key may start per {@link #pushLimitPerKeyPeriod()} on each instance,
         * with a burst of the same size; 0 turns the limit off. Defaults to 600.
         */
        @WithDefault("600")
        int pushLimitPerKey();

        /** Period of {@link #pushLimitPerKey()}. Defaults to 1 min. */
        @WithDefault("1m")
        Duration pushLimitPerKeyPeriod();

        /**
         * Pushes to one phone number per {@link #pushLimitPerPhonePeriod()} on each instance, over
         * all merchants, counted apart for test and live keys; 0 turns the limit off. Defaults to 10.
         */
        @WithDefault("10")
        int pushLimitPerPhone();

        /** Period of {@link #pushLimitPerPhone()}. Defaults to 1 h. */
        @WithDefault("1h")
        Duration pushLimitPerPhonePeriod();

        /**
         * Status reads that one API key may make per {@link #statusLimitPerKeyPeriod()} on each
         * instance; 0 turns the limit off. Defaults to 1200.
         */
        @WithDefault("1200")
        int statusLimitPerKey();

        /** Period of {@link #statusLimitPerKey()}. Defaults to 1 min. */
        @WithDefault("1m")
        Duration statusLimitPerKeyPeriod();
    }

    /** Text messages through Africa's Talking. */
    interface Sms {
        /** Whether messages go to the live base URL instead of the sandbox. Defaults to false. */
        @WithDefault("false")
        boolean live();

        /** Base URL of Africa's Talking's live API. Defaults to {@code https://api.africastalking.com}. */
        @WithDefault("https://api.africastalking.com")
        String liveBaseUrl();

        /** Base URL of Africa's Talking's sandbox. Defaults to {@code https://api.sandbox.africastalking.com}. */
        @WithDefault("https://api.sandbox.africastalking.com")
        String sandboxBaseUrl();

        /** Africa's Talking application user name ({@code sandbox} in the sandbox); from the environment. */
        Optional<String> username();

        /** Africa's Talking API key; from the environment, never from a file in the repository. */
        Optional<String> apiKey();

        /** Sender id (short code or alphanumeric name) sent as {@code from}; without it the account's default is used. */
        Optional<String> senderId();

        /** Time allowed to open a connection to Africa's Talking. Defaults to 5 s. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Time allowed for Africa's Talking's reply once the request is sent. Defaults to 15 s. */
        @WithDefault("15s")
        Duration readTimeout();

        /** Delays before each retry of a message that failed transiently; after the last one it fails. Defaults to 30s,2m,10m,30m. */
        @WithDefault("30s,2m,10m,30m")
        List<Duration> retryDelays();

        /** Period of the sender's poll for due messages, or {@code off}. Defaults to 5s. */
        @WithDefault("5s")
        String pollInterval();

        /** Messages claimed per poll on one instance. Defaults to 20. */
        @WithDefault("20")
        int batchSize();

        /**
         * Secret path segment of the inbound SMS callback ({@code /sms/inbound/{token}}), because
         * Africa's Talking signs nothing. Without it the callback returns 404 to every request.
         */
        Optional<String> inboundToken();

        /**
         * Source networks allowed to post Africa's Talking callbacks (USSD sessions, inbound SMS and
         * delivery reports), as CIDR blocks. Without it every source is allowed and the secret path
         * tokens alone protect the callbacks.
         */
        Optional<List<String>> allowedNetworks();

        /** Whether this app serves the Africa's Talking simulator under {@code /simulator/africastalking}. Defaults to false. */
        @WithDefault("false")
        boolean simulatorEnabled();

        /** Sender id that the simulator answers with an empty recipient list and {@code InvalidSenderId}. Defaults to {@code BADSENDER}. */
        @WithDefault("BADSENDER")
        String simulatorInvalidSenderId();

        /**
         * Inbound messages handled from one phone number per {@link #inboundLimitPerPhonePeriod()}
         * on each instance; later ones are acknowledged and dropped. 0 turns the limit off. Defaults to 10.
         */
        @WithDefault("10")
        int inboundLimitPerPhone();

        /** Period of {@link #inboundLimitPerPhone()}. Defaults to 10 min. */
        @WithDefault("10m")
        Duration inboundLimitPerPhonePeriod();

        /**
         * Faults the Africa's Talking simulator injects into a share of its replies, in the form of
         * {@code malipo.simulator.faults}, for example {@code error=10,drop=10,seed=1}. Unset means no faults.
         */
        Optional<String> simulatorFaults();

        /** Delay of a reply that the Africa's Talking simulator's {@code slow} fault holds back. Defaults to 20 s. */
        @WithDefault("20s")
        Duration simulatorSlowReplyDelay();
    }

    /** The USSD channel. */
    interface Ussd {
        /**
         * Delay between a customer's USSD confirmation and the push, because Daraja rejects a
         * prompt while the customer's USSD session is still open. Defaults to 3 s.
         */
        @WithDefault("3s")
        Duration pushDelay();

        /**
         * Secret path segment of the USSD callback ({@code /ussd/{token}}), because Africa's Talking
         * signs nothing. Without it the callback returns 404 to every request.
         */
        Optional<String> callbackToken();

        /**
         * USSD requests (session steps) handled from one phone number per
         * {@link #requestLimitPerPhonePeriod()} on each instance; 0 turns the limit off. Defaults to 60.
         */
        @WithDefault("60")
        int requestLimitPerPhone();

        /** Period of {@link #requestLimitPerPhone()}. Defaults to 10 min. */
        @WithDefault("10m")
        Duration requestLimitPerPhonePeriod();
    }

    /** Health and metrics. */
    interface Observability {
        /**
         * Failed calls in a row after which Daraja or Africa's Talking is reported down in the
         * {@code providers} health group and the {@code malipo_provider_up} gauge. Defaults to 3.
         */
        @WithDefault("3")
        int providerDownAfterFailures();

        /** Period of the database counts behind the backlog gauges. Defaults to 30s. */
        @WithDefault("30s")
        String gaugeRefreshInterval();
    }
}
