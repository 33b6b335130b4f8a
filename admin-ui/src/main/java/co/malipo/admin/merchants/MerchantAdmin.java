package co.malipo.admin.merchants;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.admin.audit.AuditLog;
import co.malipo.core.channel.ChannelBusinessRepository;
import co.malipo.core.invoice.ValidationException;
import co.malipo.core.merchant.ApiKey;
import co.malipo.core.merchant.ApiKeys;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantRepository;
import co.malipo.core.merchant.Wallet;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Merchant administration for the Merchants page: details, keys, wallets and business numbers.
 * Every change is audited in its own transaction. Merchants themselves are created through core's
 * {@code MerchantService}.
 */
@ApplicationScoped
public class MerchantAdmin {

    static final int MAX_NAME_LENGTH = 200;

    /** A merchant row. */
    public record Merchant(String id, String name, String darajaAccount, Instant createdAt) {
    }

    /** An API key as stored: never the key itself, only its display prefix and hash. */
    public record Key(String keyHash, String environment, String kind, String prefix, Instant createdAt,
            Instant revokedAt) {
    }

    /** A wallet with its balance. */
    public record WalletBalance(String id, String environment, String type, String label, BigDecimal balance) {
    }

    /** A business number for the USSD and SMS channels. */
    public record Business(String number, String environment, String displayName) {
    }

    /** A new key pair, shown once. */
    public record NewKeys(Environment environment, String publicKey, String secretKey) {
    }

    private final Db db;
    private final MerchantRepository merchants;
    private final ChannelBusinessRepository businesses;
    private final AuditLog audit;
    private final Clock clock;

    public MerchantAdmin(Db db, MerchantRepository merchants, ChannelBusinessRepository businesses, AuditLog audit,
            Clock clock) {
        this.db = db;
        this.merchants = merchants;
        this.businesses = businesses;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Merchant> list(int limit) {
        return db.list("SELECT * FROM merchants ORDER BY name, id LIMIT ?", MerchantAdmin::merchant, limit);
    }

    public Optional<Merchant> find(String id) {
        return db.one("SELECT * FROM merchants WHERE id = ?", MerchantAdmin::merchant, id);
    }

    public List<Key> keys(String merchantId) {
        return db.list("SELECT * FROM api_keys WHERE merchant_id = ? ORDER BY environment, kind, created_at",
                row -> new Key(row.getString("key_hash"), row.getString("environment"), row.getString("kind"),
                        row.getString("key_prefix"), Db.instant(row, "created_at"), Db.instant(row, "revoked_at")),
                merchantId);
    }

    public List<WalletBalance> wallets(String merchantId) {
        return db.list("SELECT * FROM wallets WHERE merchant_id = ? ORDER BY environment, wallet_type DESC, created_at",
                row -> new WalletBalance(row.getString("id"), row.getString("environment"),
                        row.getString("wallet_type"), row.getString("label"), row.getBigDecimal("balance")),
                merchantId);
    }

    public List<Business> businesses(String merchantId) {
        return db.list("SELECT * FROM channel_businesses WHERE merchant_id = ? ORDER BY business_number",
                row -> new Business(row.getString("business_number"), row.getString("environment"),
                        row.getString("display_name")), merchantId);
    }

    /** Validates a merchant name, returning it trimmed. */
    static String validName(String name) {
        String trimmed = name == null ? "" : name.trim();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME_LENGTH) {
            throw new ValidationException(Map.of("name", List.of("Enter a name of 1 to " + MAX_NAME_LENGTH
                    + " characters.")));
        }
        return trimmed;
    }

    /** Changes a merchant's name and Daraja account. */
    public void edit(String merchantId, String name, String darajaAccount, String actor, String clientIp) {
        String newName = validName(name);
        String account = darajaAccount == null || darajaAccount.isBlank() ? "default" : darajaAccount.trim();
        QuarkusTransaction.requiringNew().run(() -> {
            Merchant before = db.one("SELECT * FROM merchants WHERE id = ? FOR UPDATE", MerchantAdmin::merchant,
                    merchantId).orElseThrow(() -> new ValidationException(Map.of("merchant",
                            List.of("Merchant " + merchantId + " was not found."))));
            db.update("UPDATE merchants SET name = ?, daraja_account = ? WHERE id = ?", newName, account, merchantId);
            audit.record(actor, "MERCHANT_EDITED", "merchant", merchantId, clientIp,
                    Map.of("name", before.name(), "daraja_account", before.darajaAccount()),
                    Map.of("name", newName, "daraja_account", account), null);
        });
    }

    /**
     * Creates a new public and secret key pair for an environment. The keys are returned once and
     * stored only as hashes. The merchant's older keys stay valid until revoked.
     */
    public NewKeys createKeys(String merchantId, Environment environment, String actor, String clientIp) {
        NewKeys keys = new NewKeys(environment, ApiKeys.newPublicKey(environment), ApiKeys.newSecretKey(environment));
        QuarkusTransaction.requiringNew().run(() -> {
            merchants.insertKey(merchantId, keys.publicKey(), environment, ApiKey.Kind.PUBLIC);
            merchants.insertKey(merchantId, keys.secretKey(), environment, ApiKey.Kind.SECRET);
            audit.record(actor, "KEYS_CREATED", "merchant", merchantId, clientIp, null,
                    Map.of("environment", environment.name(), "public_prefix", ApiKeys.displayPrefix(keys.publicKey()),
                            "secret_prefix", ApiKeys.displayPrefix(keys.secretKey())), null);
        });
        return keys;
    }

    /**
     * Revokes a key. NOTE: the api app caches a found key for 30 seconds, so a revoked key may
     * still authenticate for up to that long.
     */
    public boolean revokeKey(String merchantId, String keyHash, String actor, String clientIp) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            Optional<String> prefix = db.one("UPDATE api_keys SET revoked_at = ? WHERE key_hash = ? AND merchant_id = ?"
                    + " AND revoked_at IS NULL RETURNING key_prefix", row -> row.getString(1), now, keyHash,
                    merchantId);
            prefix.ifPresent(shown -> audit.record(actor, "KEY_REVOKED", "merchant", merchantId, clientIp,
                    Map.of("key_prefix", shown, "revoked", false), Map.of("key_prefix", shown, "revoked", true), null));
            return prefix.isPresent();
        });
    }

    /** Adds a working wallet in an environment. */
    public Wallet addWallet(String merchantId, Environment environment, String label, String actor, String clientIp) {
        String text = label == null ? "" : label.trim();
        if (text.isEmpty() || text.length() > 100) {
            throw new ValidationException(Map.of("label", List.of("Enter a wallet label of 1 to 100 characters.")));
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Wallet wallet = merchants.insertWorkingWallet(merchantId, environment, text);
            audit.record(actor, "WALLET_CREATED", "merchant", merchantId, clientIp, null,
                    Map.of("wallet_id", wallet.id(), "environment", environment.name(), "label", text), null);
            return wallet;
        });
    }

    /** Registers a business number (3 to 7 digits, unique across merchants) for USSD and SMS payments. */
    public void addBusiness(String merchantId, String number, Environment environment, String displayName,
            String actor, String clientIp) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String digits = number == null ? "" : number.trim();
        if (!ChannelBusinessRepository.BUSINESS_NUMBER.matcher(digits).matches()) {
            errors.put("business_number", List.of("Enter 3 to 7 digits."));
        }
        String name = displayName == null ? "" : displayName.trim();
        if (name.isEmpty() || name.length() > 40) {
            errors.put("display_name", List.of("Enter the name customers see, 1 to 40 characters."));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                businesses.insert(digits, merchantId, environment, name, false, null, "en");
                audit.record(actor, "BUSINESS_NUMBER_ADDED", "merchant", merchantId, clientIp, null,
                        Map.of("business_number", digits, "environment", environment.name(), "display_name", name),
                        null);
            });
        } catch (Db.DataAccessException e) {
            if (e.isUniqueViolation()) {
                throw new ValidationException(Map.of("business_number", List.of("Business number " + digits
                        + " is already registered. Choose another.")));
            }
            throw e;
        }
    }

    /** Records a merchant's creation in the audit log. */
    public void auditCreated(String merchantId, String name, String darajaAccount, String actor, String clientIp) {
        QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "MERCHANT_CREATED", "merchant", merchantId,
                clientIp, null, Map.of("name", name, "daraja_account", darajaAccount), null));
    }

    private static Merchant merchant(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Merchant(row.getString("id"), row.getString("name"), row.getString("daraja_account"),
                Db.instant(row, "created_at"));
    }
}
