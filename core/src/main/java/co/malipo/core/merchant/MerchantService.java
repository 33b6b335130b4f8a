package co.malipo.core.merchant;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Ids;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Creates merchants and authenticates their API keys. */
@ApplicationScoped
public class MerchantService {

    /** A found key stays cached this long, so a revocation takes effect within this time. */
    static final Duration KEY_CACHE_TTL = Duration.ofSeconds(30);
    private static final int KEY_CACHE_MAX = 10_000;

    private record CachedKey(ApiKey key, Instant expiresAt) {
    }

    private final MerchantRepository merchants;
    private final Clock clock;
    private final Map<String, CachedKey> keyCache = new ConcurrentHashMap<>();

    public MerchantService(MerchantRepository merchants, Clock clock) {
        this.merchants = merchants;
        this.clock = clock;
    }

    /** Creates a merchant with test and live key pairs and a settlement wallet per environment. */
    public NewMerchant createMerchant(String name, String darajaAccount) {
        String merchantId = "MRC_" + Ids.invoiceId();
        NewMerchant created = new NewMerchant(merchantId,
                ApiKeys.newPublicKey(Environment.TEST), ApiKeys.newSecretKey(Environment.TEST),
                ApiKeys.newPublicKey(Environment.LIVE), ApiKeys.newSecretKey(Environment.LIVE));
        QuarkusTransaction.requiringNew().run(() -> {
            merchants.insertMerchant(merchantId, name, darajaAccount);
            merchants.insertKey(merchantId, created.testPublicKey(), Environment.TEST, ApiKey.Kind.PUBLIC);
            merchants.insertKey(merchantId, created.testSecretKey(), Environment.TEST, ApiKey.Kind.SECRET);
            merchants.insertKey(merchantId, created.livePublicKey(), Environment.LIVE, ApiKey.Kind.PUBLIC);
            merchants.insertKey(merchantId, created.liveSecretKey(), Environment.LIVE, ApiKey.Kind.SECRET);
            merchants.ensureSettlementWallet(merchantId, Environment.TEST);
            merchants.ensureSettlementWallet(merchantId, Environment.LIVE);
        });
        return created;
    }

    /**
     * Looks a key up by its SHA-256. Found keys are cached briefly; unknown keys are not, so
     * random guesses cannot fill the cache.
     */
    public Optional<ApiKey> findKey(String key) {
        String hash = ApiKeys.hash(key);
        Instant now = clock.instant();
        CachedKey cached = keyCache.get(hash);
        if (cached != null && now.isBefore(cached.expiresAt())) {
            return Optional.of(cached.key());
        }
        Optional<ApiKey> found = merchants.findKeyByHash(hash);
        if (found.isPresent()) {
            if (keyCache.size() >= KEY_CACHE_MAX) {
                keyCache.clear();
            }
            keyCache.put(hash, new CachedKey(found.get(), now.plus(KEY_CACHE_TTL)));
        }
        return found;
    }
}
