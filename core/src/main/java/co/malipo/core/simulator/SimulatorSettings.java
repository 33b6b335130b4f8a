package co.malipo.core.simulator;

import java.time.Duration;

import co.malipo.core.config.GatewayConfig;

/**
 * Credentials the simulator checks requests against, and the delays it applies.
 *
 * <p>A credential is null when the {@code simulator} Daraja account does not set it. The checks that need a null
 * credential then always fail, so a missing account can never be matched by empty values.
 */
public record SimulatorSettings(
        boolean enabled,
        String shortcode,
        String passkey,
        String consumerKey,
        String consumerSecret,
        Duration callbackDelay,
        Duration slowReplyDelay,
        Duration lateCallbackDelay) {

    /** Name of the Daraja account whose credentials the simulator accepts. */
    public static final String ACCOUNT = "simulator";

    /** Reads {@code malipo.simulator.*} and the {@code malipo.daraja.accounts.simulator.*} credentials. */
    public static SimulatorSettings from(GatewayConfig config) {
        GatewayConfig.Simulator simulator = config.simulator();
        GatewayConfig.Account account = config.daraja().accounts().get(ACCOUNT);
        if (account == null) {
            return new SimulatorSettings(simulator.enabled(), null, null, null, null,
                    simulator.callbackDelay(), simulator.slowReplyDelay(), simulator.lateCallbackDelay());
        }
        return new SimulatorSettings(
                simulator.enabled(),
                account.shortcode(),
                account.passkey().orElse(null),
                account.consumerKey().orElse(null),
                account.consumerSecret().orElse(null),
                simulator.callbackDelay(),
                simulator.slowReplyDelay(),
                simulator.lateCallbackDelay());
    }

    /** Returns whether the shortcode, passkey, consumer key and consumer secret are all set. */
    public boolean hasCredentials() {
        return isSet(shortcode) && isSet(passkey) && isSet(consumerKey) && isSet(consumerSecret);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isEmpty();
    }
}
