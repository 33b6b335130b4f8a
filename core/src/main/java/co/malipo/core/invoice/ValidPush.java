package co.malipo.core.invoice;

import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.Wallet;

/** A push whose every field passed validation, ready to become an invoice. */
public record ValidPush(String merchantId, Environment environment, Channel channel, String phone, String apiRef,
        Wallet wallet, Tariff tariff, Quote quote) {
}
