package co.malipo.core.channel;

import java.time.Instant;
import java.util.Optional;

import co.malipo.core.merchant.Environment;

/**
 * A business number that customers type into the USSD and SMS menus, and the merchant it pays.
 * {@code referenceLabel} names the account reference in the menu when {@code needsReference} is
 * set, for example "Meter number". {@code defaultLanguage} is {@code en} or {@code sw}.
 */
public record ChannelBusiness(String businessNumber, String merchantId, Environment environment, String displayName,
        boolean needsReference, Optional<String> referenceLabel, String defaultLanguage, Instant createdAt) {
}
