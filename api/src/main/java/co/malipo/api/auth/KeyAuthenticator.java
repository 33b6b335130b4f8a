package co.malipo.api.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.api.error.ApiException;
import co.malipo.core.config.GatewayConfig;
import co.malipo.core.merchant.ApiKey;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantService;

/** Resolves the merchant and environment of a request from its secret or public key. */
@ApplicationScoped
public class KeyAuthenticator {

    static final String NOT_PROVIDED = "Authentication credentials were not provided.";
    static final String SECRET_NEEDED = NOT_PROVIDED + " Send your secret key as \"Authorization: Bearer ISSecretKey_...\".";
    static final String INVALID = "Invalid api token. Check that the key is complete, current and not revoked.";

    private final MerchantService merchants;
    private final Set<Environment> accepted;

    public KeyAuthenticator(MerchantService merchants, GatewayConfig config) {
        this.merchants = merchants;
        this.accepted = config.api().environments().stream()
                .map(name -> Environment.valueOf(name.trim().toUpperCase(Locale.ROOT)))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Requires a secret key as {@code Authorization: Bearer}. */
    public ApiKey requireSecret(String authorization) {
        String key = bearer(authorization).orElseThrow(() -> ApiException.detail(401, SECRET_NEEDED));
        ApiKey found = lookup(key);
        if (found.kind() != ApiKey.Kind.SECRET) {
            throw ApiException.detail(401, "This endpoint needs your secret key (ISSecretKey_...) as a Bearer token;"
                    + " a public key is not enough.");
        }
        return found;
    }

    /** Accepts a Bearer secret key, or else a public key from the body or either public-key header. */
    public ApiKey requireSecretOrPublic(String authorization, String... publicKeys) {
        Optional<String> secret = bearer(authorization);
        if (secret.isPresent()) {
            return lookup(secret.get());
        }
        for (String candidate : publicKeys) {
            if (candidate != null && !candidate.isBlank()) {
                ApiKey found = lookup(candidate.trim());
                if (found.kind() != ApiKey.Kind.PUBLIC) {
                    throw ApiException.detail(401, "A secret key was sent where a public key belongs. Send the secret"
                            + " key only as \"Authorization: Bearer\", and keep it out of bodies and other headers.");
                }
                return found;
            }
        }
        throw ApiException.detail(401, NOT_PROVIDED + " Send \"Authorization: Bearer <secret key>\", or your public key"
                + " as public_key in the body or in the X-KULMI-PUBLIC-API-KEY header.");
    }

    private ApiKey lookup(String key) {
        if (key.length() > 200) {
            throw ApiException.detail(401, INVALID);
        }
        ApiKey found = merchants.findKey(key).filter(k -> !k.revoked())
                .orElseThrow(() -> ApiException.detail(401, INVALID));
        if (!accepted.contains(found.environment())) {
            throw ApiException.detail(401, "Invalid token for this environment: this deployment does not accept "
                    + found.environment().keySegment() + " keys.");
        }
        return found;
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        String trimmed = authorization.trim();
        if (trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = trimmed.substring(7).trim();
            return key.isEmpty() ? Optional.empty() : Optional.of(key);
        }
        throw ApiException.detail(401, "Invalid Authorization header. Send \"Authorization: Bearer <secret key>\".");
    }
}
