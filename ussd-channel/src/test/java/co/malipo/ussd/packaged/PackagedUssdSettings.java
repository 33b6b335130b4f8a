package co.malipo.ussd.packaged;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Settings that {@link PackagedUssdIT} passes to the packaged jar, which runs in the prod profile. They
 * point the jar at the test database, which Flyway empties first, and point every Daraja and
 * Africa's Talking URL at port 9 on 127.0.0.1, where nothing listens, so no call leaves the machine.
 */
public class PackagedUssdSettings implements QuarkusTestResourceLifecycleManager {

    private static final String NOWHERE = "http://127.0.0.1:9";
    /** Path token of the USSD callback, a test value that is not a secret. */
    static final String USSD_TOKEN = "packaged-it-ussd-token";

    @Override
    public Map<String, String> start() {
        return Map.ofEntries(
                Map.entry("quarkus.http.host", "127.0.0.1"),
                Map.entry("quarkus.datasource.jdbc.url", testDatabaseUrl()),
                Map.entry("quarkus.flyway.clean-at-start", "true"),
                Map.entry("quarkus.flyway.clean-disabled", "false"),
                Map.entry("malipo.ussd.callback-token", USSD_TOKEN),
                Map.entry("malipo.callback.simulator-base-url", NOWHERE),
                Map.entry("malipo.daraja.accounts.simulator.base-url", NOWHERE),
                Map.entry("malipo.daraja.accounts.default.base-url", NOWHERE),
                Map.entry("malipo.sms.live-base-url", NOWHERE),
                Map.entry("malipo.sms.sandbox-base-url", NOWHERE));
    }

    /** Builds the JDBC URL of the test database: DB_NAME, or malipo_test by default, never the demo's. */
    static String testDatabaseUrl() {
        String name = env("DB_NAME", "malipo_test");
        if (name.equals("malipo")) {
            throw new IllegalStateException("DB_NAME=malipo is the demo database; unset DB_NAME to test against malipo_test");
        }
        return "jdbc:postgresql://" + env("DB_HOST", "127.0.0.1") + ":" + env("DB_PORT", "5432") + "/" + name;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public void stop() {
    }
}
