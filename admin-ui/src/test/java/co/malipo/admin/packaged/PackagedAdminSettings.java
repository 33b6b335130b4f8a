package co.malipo.admin.packaged;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Settings that {@link PackagedAdminIT} passes to the packaged jar, which runs in the prod profile:
 * the test database instead of the demo's, and loopback only.
 */
public class PackagedAdminSettings implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.http.host", "127.0.0.1",
                "quarkus.datasource.jdbc.url", testDatabaseUrl());
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
