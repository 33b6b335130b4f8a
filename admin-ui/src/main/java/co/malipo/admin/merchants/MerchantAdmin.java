package co.malipo.admin.merchants;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.admin.audit.AuditLog;
import co.malipo.core.channel.ChannelBusiness;
import co.malipo.core.channel.ChannelBusinessRepository;
import co.malipo.core.invoice.ValidationException;
import co.malipo.core.merchant.ApiKey;
import co.malipo.core.merchant.ApiKeys;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantRepository;
import co.malipo.core.merchant.MerchantService;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/**
 * Changes merchants, their business numbers and API keys from the dashboard. Each method
 * validates its input (throwing {@link ValidationException} with one message per field), makes
 * the change and writes its audit entry in one transaction. Keys are made and hashed by core's
 * {@link ApiKeys}, and the plain key is returned once and never stored.
 */
@ApplicationScoped
public class MerchantAdmin {

    private static final Logger LOG = Logger.getLogger(MerchantAdmin.class);

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_DISPLAY_NAME_LENGTH = 60;
    static final int MAX_REFERENCE_LABEL_LENGTH = 30;

    /** A new merchant's id and its four keys in plain text. */
    public record Created(String merchantId, List<OneTimeSecrets.Secret> keys) {
    }

    private final MerchantService merchantService;
    private final MerchantRepository merchantRepository;
    private final ChannelBusinessRepository businessRepository;
    private final MerchantDirectory directory;
    private final AuditLog audit;
    private final Clock clock;

    public MerchantAdmin(MerchantService merchantService, MerchantRepository merchantRepository,
            ChannelBusinessRepository businessRepository, MerchantDirectory directory, AuditLog audit, Clock clock) {
        this.merchantService = merchantService;
        this.merchantRepository = merchantRepository;
        this.businessRepository = businessRepository;
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Creates a merchant on the default Daraja account with test and live key pairs and a
     * settlement wallet per environment (through core's {@link MerchantService}), then sets the
     * SMS receipt flag and writes the audit entry in a second transaction.
     */
    public Created create(String rawName, boolean smsReceiptsForApi, String actor, String clientIp) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String name = merchantName(rawName, errors);
        throwIfAny(errors);
        NewMerchant created = merchantService.createMerchant(name, "default");
        String id = created.merchantId();
        QuarkusTransaction.requiringNew().run(() -> {
            directory.update(id, name, smsReceiptsForApi);
            audit.record(actor, "MERCHANT_CREATED", "merchant", id, clientIp, null,
                    fields("name", name, "sms_receipts_for_api", smsReceiptsForApi, "daraja_account", "default",
                            "keys", List.of(ApiKeys.displayPrefix(created.testPublicKey()),
                                    ApiKeys.displayPrefix(created.testSecretKey()),
                                    ApiKeys.displayPrefix(created.livePublicKey()),
                                    ApiKeys.displayPrefix(created.liveSecretKey()))),
                    null);
        });
        LOG.infof("User %s created merchant %s", actor, id);
        return new Created(id, List.of(
                new OneTimeSecrets.Secret("Public key (test)", created.testPublicKey()),
                new OneTimeSecrets.Secret("Secret key (test)", created.testSecretKey()),
                new OneTimeSecrets.Secret("Public key (live)", created.livePublicKey()),
                new OneTimeSecrets.Secret("Secret key (live)", created.liveSecretKey())));
    }

    /** Changes a merchant's name and SMS receipt flag. Returns false when the merchant does not exist. */
    public boolean edit(String merchantId, String rawName, boolean smsReceiptsForApi, String actor, String clientIp) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String name = merchantName(rawName, errors);
        throwIfAny(errors);
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<MerchantDirectory.Merchant> before = directory.lock(merchantId);
            if (before.isEmpty()) {
                return false;
            }
            directory.update(merchantId, name, smsReceiptsForApi);
            audit.record(actor, "MERCHANT_EDITED", "merchant", merchantId, clientIp,
                    fields("name", before.get().name(), "sms_receipts_for_api", before.get().smsReceiptsForApi()),
                    fields("name", name, "sms_receipts_for_api", smsReceiptsForApi), null);
            return true;
        });
    }

    /** Adds a business number. A number that another business has is rejected with a message naming its owner. */
    public void addBusiness(String merchantId, String rawNumber, String rawEnvironment, String rawDisplayName,
            boolean needsReference, String rawLabel, String rawLanguage, String actor, String clientIp) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String number = rawNumber == null ? "" : rawNumber.trim();
        if (!ChannelBusinessRepository.BUSINESS_NUMBER.matcher(number).matches()) {
            errors.put("business_number", List.of("Enter 3 to 7 digits, for example 123456."));
        }
        Environment environment = environment(rawEnvironment, errors);
        BusinessFields details = businessFields(rawDisplayName, rawLabel, rawLanguage, errors);
        throwIfAny(errors);
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                Optional<String> owner = directory.businessOwner(number);
                if (owner.isPresent()) {
                    throw takenNumber(number, owner.get());
                }
                businessRepository.insert(number, merchantId, environment, details.displayName(), needsReference,
                        details.referenceLabel(), details.language());
                audit.record(actor, "BUSINESS_NUMBER_ADDED", "channel_business", number, clientIp, null,
                        businessState(merchantId, environment, details.displayName(), needsReference,
                                details.referenceLabel(), details.language()),
                        null);
            });
        } catch (Db.DataAccessException e) {
            if (!e.isUniqueViolation()) {
                throw e;
            }
            // Another request took the number between the check and the insert.
            throw takenNumber(number, directory.businessOwner(number).orElse("another merchant"));
        }
    }

    /** Changes a business number's display name, reference settings and language. Returns false when the merchant has no such number. */
    public boolean editBusiness(String merchantId, String number, String rawDisplayName, boolean needsReference,
            String rawLabel, String rawLanguage, String actor, String clientIp) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        BusinessFields details = businessFields(rawDisplayName, rawLabel, rawLanguage, errors);
        throwIfAny(errors);
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<ChannelBusiness> before = directory.lockBusiness(merchantId, number);
            if (before.isEmpty()) {
                return false;
            }
            ChannelBusiness old = before.get();
            directory.updateBusiness(number, details.displayName(), needsReference, details.referenceLabel(),
                    details.language());
            audit.record(actor, "BUSINESS_NUMBER_EDITED", "channel_business", number, clientIp,
                    businessState(merchantId, old.environment(), old.displayName(), old.needsReference(),
                            old.referenceLabel().orElse(null), old.defaultLanguage()),
                    businessState(merchantId, old.environment(), details.displayName(), needsReference,
                            details.referenceLabel(), details.language()),
                    null);
            return true;
        });
    }

    /**
     * Removes a business number that no invoice came through. Returns false when the merchant
     * has no such number, and throws {@link ValidationException} when the number counts as used.
     */
    public boolean removeBusiness(String merchantId, String number, String actor, String clientIp) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<ChannelBusiness> before = directory.lockBusiness(merchantId, number);
            if (before.isEmpty()) {
                return false;
            }
            ChannelBusiness old = before.get();
            if (directory.hasChannelInvoices(merchantId, old.environment())) {
                throw new ValidationException(Map.of("business_number", List.of("Business number " + number
                        + " cannot be removed: this merchant has USSD or SMS invoices in " + old.environment()
                        + ", and invoices do not record which business number they came through. Edit its"
                        + " display name instead.")));
            }
            directory.deleteBusiness(number);
            audit.record(actor, "BUSINESS_NUMBER_REMOVED", "channel_business", number, clientIp,
                    businessState(merchantId, old.environment(), old.displayName(), old.needsReference(),
                            old.referenceLabel().orElse(null), old.defaultLanguage()),
                    null, null);
            return true;
        });
    }

    /** Creates a key of the environment and kind and returns it in plain text, the only time it is shown. */
    public OneTimeSecrets.Secret createKey(String merchantId, String rawEnvironment, String rawKind, String actor,
            String clientIp) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Environment environment = environment(rawEnvironment, errors);
        ApiKey.Kind kind = kind(rawKind, errors);
        throwIfAny(errors);
        String key = newKey(environment, kind);
        boolean created = QuarkusTransaction.requiringNew().call(() -> {
            if (directory.lock(merchantId).isEmpty()) {
                return false;
            }
            merchantRepository.insertKey(merchantId, key, environment, kind);
            audit.record(actor, "API_KEY_CREATED", "merchant", merchantId, clientIp, null,
                    keyState(ApiKeys.displayPrefix(key), environment, kind.name(), null), null);
            return true;
        });
        if (!created) {
            throw new ValidationException(Map.of("merchant", List.of("Merchant " + merchantId + " was not found.")));
        }
        LOG.infof("User %s created a %s %s key %s for merchant %s", actor, environment, kind,
                ApiKeys.displayPrefix(key), merchantId);
        return new OneTimeSecrets.Secret(label(environment, kind), key);
    }

    /**
     * Replaces a key with a new one of the same environment and kind: the new key is stored and
     * the old one revoked in one transaction. The API caches found keys for up to 30 seconds, so
     * the old key may still work that long in a running api app.
     */
    public OneTimeSecrets.Secret rotateKey(String merchantId, String keyHash, String actor, String clientIp) {
        return QuarkusTransaction.requiringNew().call(() -> {
            MerchantDirectory.Key old = activeKey(merchantId, keyHash);
            Environment environment = old.environment();
            ApiKey.Kind kind = ApiKey.Kind.valueOf(old.kind());
            String key = newKey(environment, kind);
            Instant now = clock.instant();
            merchantRepository.insertKey(merchantId, key, environment, kind);
            directory.revokeKey(keyHash, now);
            audit.record(actor, "API_KEY_ROTATED", "merchant", merchantId, clientIp,
                    keyState(old.prefix(), environment, old.kind(), null),
                    fields("revoked", keyState(old.prefix(), environment, old.kind(), now), "created",
                            keyState(ApiKeys.displayPrefix(key), environment, kind.name(), null)),
                    null);
            LOG.infof("User %s rotated key %s of merchant %s", actor, old.prefix(), merchantId);
            return new OneTimeSecrets.Secret(label(environment, kind), key);
        });
    }

    /** Revokes a key. The API's key cache may accept it for up to 30 seconds more. */
    public void revokeKey(String merchantId, String keyHash, String actor, String clientIp) {
        QuarkusTransaction.requiringNew().run(() -> {
            MerchantDirectory.Key old = activeKey(merchantId, keyHash);
            Instant now = clock.instant();
            directory.revokeKey(keyHash, now);
            audit.record(actor, "API_KEY_REVOKED", "merchant", merchantId, clientIp,
                    keyState(old.prefix(), old.environment(), old.kind(), null),
                    keyState(old.prefix(), old.environment(), old.kind(), now), null);
            LOG.infof("User %s revoked key %s of merchant %s", actor, old.prefix(), merchantId);
        });
    }

    private MerchantDirectory.Key activeKey(String merchantId, String keyHash) {
        MerchantDirectory.Key key = directory.lockKey(merchantId, keyHash == null ? "" : keyHash)
                .orElseThrow(() -> new ValidationException(Map.of("key", List.of(
                        "This merchant has no such key. Reload the page and choose a key from the list."))));
        if (key.revoked()) {
            throw new ValidationException(Map.of("key", List.of("Key " + key.prefix() + " is already revoked.")));
        }
        return key;
    }

    private static String newKey(Environment environment, ApiKey.Kind kind) {
        return kind == ApiKey.Kind.SECRET ? ApiKeys.newSecretKey(environment) : ApiKeys.newPublicKey(environment);
    }

    private static String label(Environment environment, ApiKey.Kind kind) {
        return (kind == ApiKey.Kind.SECRET ? "Secret key (" : "Public key (") + environment.keySegment() + ")";
    }

    /** Checked business fields: display name, reference label (null when blank) and language. */
    private record BusinessFields(String displayName, String referenceLabel, String language) {
    }

    private static BusinessFields businessFields(String rawDisplayName, String rawLabel, String rawLanguage,
            Map<String, List<String>> errors) {
        String displayName = rawDisplayName == null ? "" : rawDisplayName.trim();
        if (displayName.isEmpty()) {
            errors.put("display_name", List.of("Enter the name that customers see in the menu."));
        } else if (displayName.length() > MAX_DISPLAY_NAME_LENGTH || hasControl(displayName)) {
            errors.put("display_name", List.of("Use at most " + MAX_DISPLAY_NAME_LENGTH
                    + " characters without line breaks or other control characters."));
        }
        String label = rawLabel == null || rawLabel.isBlank() ? null : rawLabel.trim();
        if (label != null && (label.length() > MAX_REFERENCE_LABEL_LENGTH || hasControl(label))) {
            errors.put("reference_label", List.of("Use at most " + MAX_REFERENCE_LABEL_LENGTH
                    + " characters without control characters, for example Meter number."));
        }
        String language = rawLanguage == null ? "" : rawLanguage.trim().toLowerCase(Locale.ROOT);
        if (!language.equals("en") && !language.equals("sw")) {
            errors.put("default_language", List.of("Choose en (English) or sw (Kiswahili)."));
        }
        return new BusinessFields(displayName, label, language);
    }

    static String merchantName(String raw, Map<String, List<String>> errors) {
        String name = raw == null ? "" : raw.trim();
        if (name.isEmpty()) {
            errors.put("name", List.of("Enter the merchant's name."));
        } else if (name.length() > MAX_NAME_LENGTH || hasControl(name)) {
            errors.put("name", List.of("Use at most " + MAX_NAME_LENGTH
                    + " characters without line breaks or other control characters."));
        }
        return name;
    }

    static Environment environment(String raw, Map<String, List<String>> errors) {
        try {
            return Environment.valueOf(raw == null ? "" : raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.put("environment", List.of("Choose TEST or LIVE."));
            return null;
        }
    }

    private static ApiKey.Kind kind(String raw, Map<String, List<String>> errors) {
        try {
            return ApiKey.Kind.valueOf(raw == null ? "" : raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.put("kind", List.of("Choose SECRET or PUBLIC."));
            return null;
        }
    }

    private static ValidationException takenNumber(String number, String owner) {
        return new ValidationException(Map.of("business_number", List.of("Business number " + number
                + " is taken by merchant " + owner + ". Choose another number.")));
    }

    private static boolean hasControl(String text) {
        return text.codePoints().anyMatch(Character::isISOControl);
    }

    static void throwIfAny(Map<String, List<String>> errors) {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    private static Map<String, Object> businessState(String merchantId, Environment environment, String displayName,
            boolean needsReference, String referenceLabel, String language) {
        return fields("merchant_id", merchantId, "environment", environment.name(), "display_name", displayName,
                "needs_reference", needsReference, "reference_label", referenceLabel, "default_language", language);
    }

    private static Map<String, Object> keyState(String prefix, Environment environment, String kind,
            Instant revokedAt) {
        return fields("key", prefix, "environment", environment.name(), "kind", kind, "revoked_at",
                revokedAt == null ? null : revokedAt.toString());
    }

    /** Builds an ordered map from name and value pairs. Values may be null, unlike {@link Map#of}. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    /** Joins a validation error's messages into one line, field by field. */
    public static String message(ValidationException e) {
        List<String> parts = new ArrayList<>();
        e.errors().forEach((field, messages) -> parts.add(field + ": " + String.join(" ", messages)));
        return String.join(" ", parts);
    }
}
