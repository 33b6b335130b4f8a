package co.malipo.api.packaged;

import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Settings that {@link PackagedApiIT} passes to the packaged jar, which runs in the prod profile. They
 * point the jar at the test database, which Flyway empties first, and keep every outbound call on
 * loopback: test keys reach the simulator inside the jar, and the live Daraja and Africa's Talking
 * URLs point at port 9 on 127.0.0.1, where nothing listens.
 */
public class PackagedApiSettings implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081);
        String base = "http://127.0.0.1:" + port;
        return Map.ofEntries(
                Map.entry("quarkus.http.host", "127.0.0.1"),
                Map.entry("quarkus.datasource.jdbc.url", testDatabaseUrl()),
                Map.entry("quarkus.flyway.clean-at-start", "true"),
                Map.entry("quarkus.flyway.clean-disabled", "false"),
                Map.entry("malipo.demo.seed", "true"),
                Map.entry("malipo.api.host", base),
                Map.entry("malipo.callback.simulator-base-url", base),
                Map.entry("malipo.daraja.accounts.simulator.base-url", base + "/simulator/daraja"),
                Map.entry("malipo.daraja.accounts.default.base-url", "http://127.0.0.1:9"),
                Map.entry("malipo.sms.live-base-url", "http://127.0.0.1:9"),
                Map.entry("malipo.sms.sandbox-base-url", "http://127.0.0.1:9"));
    }

    /**
     * Returns the JDBC URL of the database that the @QuarkusTest suites use:
     * DB_NAME, or malipo_test by default, never the demo's.
     */
    static String testDatabaseUrl() {
        String host = env("DB_HOST", "127.0.0.1");
        String port = env("DB_PORT", "5432");
        String name = env("DB_NAME", "malipo_test");
        if (name.equals("malipo")) {
            throw new IllegalStateException("DB_NAME=malipo is the demo database; unset DB_NAME to test against malipo_test");
        }
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public void stop() {
    }
}
