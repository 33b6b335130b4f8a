package co.malipo.core.merchant;

/** A merchant's KES wallet in one environment. */
public record Wallet(String id, String merchantId, Environment environment, String currency, String walletType,
        String label) {
}
