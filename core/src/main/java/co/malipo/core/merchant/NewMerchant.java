package co.malipo.core.merchant;

/** A merchant just created, with its keys in plain text: the only time they are shown. */
public record NewMerchant(String merchantId, String testPublicKey, String testSecretKey, String livePublicKey,
        String liveSecretKey) {
}
