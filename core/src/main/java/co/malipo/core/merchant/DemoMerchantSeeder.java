package co.malipo.core.merchant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import co.malipo.core.config.GatewayConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

/** Seeds the demo merchant with its configured test keys, idempotently, when demo seeding is on. */
@ApplicationScoped
public class DemoMerchantSeeder {

    private static final Logger LOG = Logger.getLogger(DemoMerchantSeeder.class);

    void onStart(@Observes StartupEvent event, GatewayConfig config, MerchantRepository merchants) {
        GatewayConfig.Demo demo = config.demo();
        if (!demo.seed()) {
            return;
        }
        String publicKey = demo.testPublicKey().orElseThrow(
                () -> new IllegalStateException("malipo.demo.test-public-key must be set when malipo.demo.seed is true"));
        String secretKey = demo.testSecretKey().orElseThrow(
                () -> new IllegalStateException("malipo.demo.test-secret-key must be set when malipo.demo.seed is true"));
        requireTestKey(publicKey, ApiKeys.PUBLIC_PREFIX + "test_", "malipo.demo.test-public-key");
        requireTestKey(secretKey, ApiKeys.SECRET_PREFIX + "test_", "malipo.demo.test-secret-key");

        QuarkusTransaction.requiringNew().run(() -> {
            boolean created = merchants.insertMerchant(demo.merchantId(), demo.merchantName(), "default");
            merchants.insertKey(demo.merchantId(), publicKey, Environment.TEST, ApiKey.Kind.PUBLIC);
            merchants.insertKey(demo.merchantId(), secretKey, Environment.TEST, ApiKey.Kind.SECRET);
            merchants.ensureSettlementWallet(demo.merchantId(), Environment.TEST);
            merchants.ensureSettlementWallet(demo.merchantId(), Environment.LIVE);
            LOG.infof("Demo merchant %s %s", demo.merchantId(), created ? "created" : "already present");
        });
    }

    private static void requireTestKey(String key, String prefix, String property) {
        if (!key.startsWith(prefix)) {
            throw new IllegalStateException(property + " must start with " + prefix + ": demo keys are test keys only");
        }
    }
}
