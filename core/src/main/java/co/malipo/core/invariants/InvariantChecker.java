package co.malipo.core.invariants;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Runs the money and delivery invariants of {@code invariants.sql} over plain JDBC and returns their violations.
 * Tests run it at the end, after the gateway's work has settled, so it needs no CDI and no Quarkus: a connection to
 * the gateway's database is enough.
 *
 * <p>The checks read only. {@link #check} returns what is wrong now, {@link #assertHolds} throws an
 * {@link AssertionError} that lists every violation, and {@link #awaitHolds} checks again until all hold or the time
 * is up, for work such as callbacks and webhook retries that is still settling.
 */
public final class InvariantChecker {

    /** Classpath location of the invariant queries. */
    public static final String SCRIPT = "/co/malipo/core/invariants/invariants.sql";

    private static final String HEADER = "-- invariant: ";

    /** One named invariant: its query returns a row per violation. */
    public record Invariant(String name, String description, String sql) {
    }

    /** One broken invariant on one subject, with the evidence the query returned. */
    public record Violation(String invariant, String subject, String detail) {
        @Override
        public String toString() {
            return invariant + ": " + subject + ": " + detail;
        }
    }

    private final List<Invariant> invariants;
    private final List<String> merchantIds;

    private InvariantChecker(List<Invariant> invariants, List<String> merchantIds) {
        this.invariants = invariants;
        this.merchantIds = merchantIds;
    }

    /** Returns a checker of every merchant's data. */
    public static InvariantChecker forAllMerchants() {
        return new InvariantChecker(load(), null);
    }

    /**
     * Returns a checker limited to these merchants' invoices, wallets and endpoints, so that data other tests left in
     * a shared database does not count.
     */
    public static InvariantChecker forMerchants(Collection<String> merchantIds) {
        if (merchantIds.isEmpty()) {
            throw new IllegalArgumentException("merchantIds is empty; use forAllMerchants() to check every merchant");
        }
        return new InvariantChecker(load(), List.copyOf(merchantIds));
    }

    /** Returns the invariants in the order the script lists them. */
    public List<Invariant> invariants() {
        return invariants;
    }

    /** Runs every invariant and returns the violations, or an empty list when all hold. */
    public List<Violation> check(Connection connection) throws SQLException {
        List<Violation> violations = new ArrayList<>();
        Array scope = merchantIds == null ? null : connection.createArrayOf("text", merchantIds.toArray());
        for (Invariant invariant : invariants) {
            try (PreparedStatement statement = connection.prepareStatement(invariant.sql())) {
                int parameters = statement.getParameterMetaData().getParameterCount();
                for (int i = 1; i <= parameters; i++) {
                    if (scope == null) {
                        statement.setNull(i, Types.ARRAY);
                    } else {
                        statement.setArray(i, scope);
                    }
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        violations.add(new Violation(invariant.name(), rows.getString("subject"), rows.getString("detail")));
                    }
                }
            }
        }
        return violations;
    }

    /** Throws an {@link AssertionError} listing every violation, one a line, unless all invariants hold. */
    public void assertHolds(Connection connection) throws SQLException {
        List<Violation> violations = check(connection);
        if (!violations.isEmpty()) {
            throw new AssertionError(report(violations));
        }
    }

    /**
     * Checks every {@code interval} until all invariants hold, and throws an {@link AssertionError} with the last
     * violations when {@code within} has passed. Returns the number of checks made.
     */
    public int awaitHolds(Connection connection, Duration within, Duration interval)
            throws SQLException, InterruptedException {
        Instant deadline = Instant.now().plus(within);
        int checks = 0;
        while (true) {
            List<Violation> violations = check(connection);
            checks++;
            if (violations.isEmpty()) {
                return checks;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("After waiting " + within + " for the gateway to settle, "
                        + report(violations));
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** Formats violations as a readable list, grouped by invariant in the script's order. */
    public String report(List<Violation> violations) {
        StringBuilder text = new StringBuilder();
        text.append(violations.size()).append(violations.size() == 1 ? " invariant violation" : " invariant violations");
        text.append(merchantIds == null ? " (all merchants)" : " (merchants " + String.join(", ", merchantIds) + ")");
        text.append(':');
        for (Invariant invariant : invariants) {
            List<Violation> own = violations.stream().filter(v -> v.invariant().equals(invariant.name())).toList();
            if (own.isEmpty()) {
                continue;
            }
            text.append("\n  ").append(invariant.name()).append(" (").append(invariant.description()).append("):");
            for (Violation violation : own) {
                text.append("\n    - ").append(violation.subject()).append(": ").append(violation.detail());
            }
        }
        return text.toString();
    }

    /** Counts violations by invariant name, every invariant included, for reports of a run. */
    public Map<String, Long> countByInvariant(List<Violation> violations) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (Invariant invariant : invariants) {
            counts.put(invariant.name(), violations.stream().filter(v -> v.invariant().equals(invariant.name())).count());
        }
        return counts;
    }

    /** Reads the script and splits it at its {@code -- invariant:} lines. */
    static List<Invariant> load() {
        String script;
        try (InputStream in = InvariantChecker.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the classpath");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCRIPT, e);
        }
        return parse(script);
    }

    static List<Invariant> parse(String script) {
        List<Invariant> parsed = new ArrayList<>();
        String name = null;
        String description = null;
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.startsWith(HEADER)) {
                if (name != null) {
                    parsed.add(new Invariant(name, description, finish(sql)));
                }
                String header = line.substring(HEADER.length());
                int colon = header.indexOf(':');
                if (colon < 0) {
                    throw new IllegalStateException("invariant header without a description: " + line);
                }
                name = header.substring(0, colon).trim();
                description = header.substring(colon + 1).trim();
                sql.setLength(0);
            } else if (name != null && !line.startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        if (name != null) {
            parsed.add(new Invariant(name, description, finish(sql)));
        }
        return List.copyOf(parsed);
    }

    private static String finish(StringBuilder sql) {
        String text = sql.toString().strip();
        return text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
    }
}
