package co.malipo.core.invariants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves that each invariant can fail: every test plants one violation in a consistent set of rows and expects the
 * checker to name it. The rows live in a throwaway schema that Flyway migrates with the gateway's own migrations,
 * minus the unique keys that would stop the planted duplicates, and each test rolls its transaction back.
 */
class InvariantCheckerTest {

    private static final String SCHEMA = "invariant_check_" + Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36);
    private static final String URL = "jdbc:postgresql://" + env("DB_HOST", "127.0.0.1") + ":" + env("DB_PORT", "5432")
            + "/" + env("DB_NAME", "malipo_test");
    private static final String USER = env("DB_USER", "malipo");
    private static final String PASSWORD = env("DB_PASSWORD", "malipo");

    private static final String MERCHANT = "MRC_CHECK";
    private static final String OTHER_MERCHANT = "MRC_CHECK_OTHER";

    private Connection db;

    @BeforeAll
    static void migrateThrowawaySchema() throws SQLException {
        Flyway.configure().dataSource(URL, USER, PASSWORD).schemas(SCHEMA).createSchemas(true)
                .locations("classpath:db/migration").load().migrate();
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + SCHEMA);
            // The checker must catch these duplicates even where a key is missing, so the keys go.
            statement.execute("ALTER TABLE invoices DROP CONSTRAINT invoices_checkout_request_id_key");
            statement.execute("ALTER TABLE invoices DROP CONSTRAINT invoices_mpesa_reference_key");
            statement.execute("ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_invoice_id_kind_key");
            statement.execute("ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_invoice_id_sequence_key");
        }
    }

    @AfterAll
    static void dropThrowawaySchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @BeforeEach
    void insertConsistentRows() throws SQLException {
        db = DriverManager.getConnection(URL, USER, PASSWORD);
        db.setAutoCommit(false);
        run("SET search_path TO " + SCHEMA);
        for (String merchant : List.of(MERCHANT, OTHER_MERCHANT)) {
            String suffix = merchant.equals(MERCHANT) ? "" : "_O";
            run("INSERT INTO merchants (id, name) VALUES ('" + merchant + "', 'Checked shop')");
            run("INSERT INTO wallets (id, merchant_id, environment, wallet_type, label, balance)"
                    + " VALUES ('wlt_CHECK" + suffix + "', '" + merchant + "', 'TEST', 'SETTLEMENT', 'Settlement', 98)");
            run("INSERT INTO customers (id, merchant_id, phone) VALUES ('cus_CHECK" + suffix + "', '" + merchant
                    + "', '254711000001')");
            run("INSERT INTO webhook_endpoints (id, merchant_id, environment, url, challenge, signing_secret, created_at,"
                    + " updated_at) VALUES ('we_CHECK" + suffix + "', '" + merchant
                    + "', 'TEST', 'http://127.0.0.1:9/hook', 'c', 's', now(), now())");
            insertInvoice("DONE" + suffix, merchant, "COMPLETE", "ws_CO_DONE" + suffix, "RCPDONE000" + suffix);
            insertInvoice("FAILED" + suffix, merchant, "FAILED", null, null);
            run("INSERT INTO ledger_entries (invoice_id, wallet_id, kind, amount, created_at)"
                    + " VALUES ('DONE" + suffix + "', 'wlt_CHECK" + suffix + "', 'COLLECTION_CREDIT', 98, now())");
            run("INSERT INTO invoice_events (invoice_id, at, kind, source) VALUES ('DONE" + suffix
                    + "', now(), 'PUSH_ACCEPTED', 'DARAJA')");
            run("INSERT INTO invoice_events (invoice_id, at, kind, source) VALUES ('FAILED" + suffix
                    + "', now(), 'PUSH_REJECTED', 'DARAJA')");
            insertEvents("DONE" + suffix, merchant, "we_CHECK" + suffix, "PENDING", "PROCESSING", "COMPLETE");
            insertEvents("FAILED" + suffix, merchant, "we_CHECK" + suffix, "PENDING", "FAILED");
        }
    }

    @AfterEach
    void rollBack() throws SQLException {
        db.rollback();
        db.close();
    }

    @Test
    void consistentRowsHold() throws SQLException {
        assertThat(InvariantChecker.forAllMerchants().check(db)).isEmpty();
        assertThat(InvariantChecker.forMerchants(List.of(MERCHANT)).check(db)).isEmpty();
    }

    @Test
    void scriptListsElevenInvariants() {
        assertThat(InvariantChecker.forAllMerchants().invariants()).extracting(InvariantChecker.Invariant::name)
                .containsExactly("settled", "callbacks-handled", "one-credit", "credit-matches-state", "wallet-totals",
                        "unique-checkout", "unique-receipt", "pushed-once", "one-final-event",
                        "final-event-per-endpoint", "latest-event-delivered");
    }

    @Test
    void openInvoiceWithoutAttentionIsReported() throws SQLException {
        insertInvoice("OPEN", MERCHANT, "PROCESSING", "ws_CO_OPEN", null);

        assertThat(names(InvariantChecker.forAllMerchants().check(db))).containsExactly("settled");
        assertThat(subjects(InvariantChecker.forAllMerchants().check(db))).containsExactly("OPEN");
    }

    @Test
    void openInvoiceWithAttentionHolds() throws SQLException {
        insertInvoice("OPEN", MERCHANT, "PENDING", null, null);
        run("INSERT INTO attention_items (subject_type, subject_id, kind, created_at)"
                + " VALUES ('invoice', 'OPEN', 'OUTCOME_UNKNOWN', now())");

        assertThat(InvariantChecker.forAllMerchants().check(db)).isEmpty();
    }

    @Test
    void otherMerchantsViolationIsOutOfScope() throws SQLException {
        insertInvoice("OPEN_O", OTHER_MERCHANT, "PENDING", null, null);

        assertThat(InvariantChecker.forMerchants(List.of(MERCHANT)).check(db)).isEmpty();
        assertThat(names(InvariantChecker.forAllMerchants().check(db))).containsExactly("settled");
    }

    @Test
    void callbackLeftReceivedIsReported() throws SQLException {
        run("INSERT INTO daraja_callbacks (token, received_at, body, invoice_id, outcome)"
                + " VALUES ('tok', now(), '{}', 'DONE', 'RECEIVED')");

        assertThat(names(InvariantChecker.forAllMerchants().check(db))).containsExactly("callbacks-handled");
    }

    @Test
    void secondCreditIsReported() throws SQLException {
        run("INSERT INTO ledger_entries (invoice_id, wallet_id, kind, amount, created_at)"
                + " VALUES ('DONE', 'wlt_CHECK', 'COLLECTION_CREDIT', 98, now())");
        run("UPDATE wallets SET balance = 196 WHERE id = 'wlt_CHECK'");

        List<InvariantChecker.Violation> violations = InvariantChecker.forAllMerchants().check(db);
        assertThat(names(violations)).contains("one-credit", "credit-matches-state", "wallet-totals");
        assertThat(violations).filteredOn(v -> v.invariant().equals("one-credit"))
                .extracting(InvariantChecker.Violation::detail).containsExactly("2 COLLECTION_CREDIT entries, total 196.00");
    }

    @Test
    void creditOfFailedInvoiceIsReported() throws SQLException {
        run("INSERT INTO ledger_entries (invoice_id, wallet_id, kind, amount, created_at)"
                + " VALUES ('FAILED', 'wlt_CHECK', 'COLLECTION_CREDIT', 98, now())");

        List<InvariantChecker.Violation> violations = InvariantChecker.forAllMerchants().check(db);
        assertThat(names(violations)).containsExactlyInAnyOrder("credit-matches-state", "wallet-totals");
        assertThat(subjects(violations)).contains("FAILED");
    }

    @Test
    void completeInvoiceWithoutCreditIsReported() throws SQLException {
        run("DELETE FROM ledger_entries WHERE invoice_id = 'DONE'");
        run("UPDATE wallets SET balance = 0 WHERE id = 'wlt_CHECK'");

        List<InvariantChecker.Violation> violations = InvariantChecker.forAllMerchants().check(db);
        assertThat(names(violations)).containsExactlyInAnyOrder("credit-matches-state", "wallet-totals");
    }

    @Test
    void balanceOffLedgerIsReported() throws SQLException {
        run("UPDATE wallets SET balance = 99 WHERE id = 'wlt_CHECK'");

        List<InvariantChecker.Violation> violations = InvariantChecker.forAllMerchants().check(db);
        assertThat(names(violations)).containsExactly("wallet-totals");
        assertThat(violations.get(0).detail()).isEqualTo(
                "balance 99.00, ledger total 98.00, net amount of COMPLETE invoices 98.00");
    }

    @Test
    void sharedCheckoutIdIsReported() throws SQLException {
        run("UPDATE invoices SET checkout_request_id = 'ws_CO_DONE' WHERE id = 'FAILED'");

        List<InvariantChecker.Violation> violations = InvariantChecker.forAllMerchants().check(db);
        assertThat(names(violations)).containsExactly("unique-checkout");
        assertThat(violations.get(0).detail()).isEqualTo("on invoices DONE, FAILED");
    }

    @Test
    void sharedReceiptIsReported() throws SQLException {
        run("UPDATE invoices SET mpesa_reference = 'RCPDONE000' WHERE id = 'FAILED'");

        assertThat(names(InvariantChecker.forAllMerchants().check(db))).containsExactly("unique-receipt");
    }

    @Test
    void secondPushReplyIsReported() throws SQLException {
        run("INSERT INTO invoice_events (invoice_id, at, kind, source) VALUES ('DONE', now(), 'PUSH_ACCEPTED', 'DARAJA')");

        List<InvariantChecker.Violation> violations = InvariantChecker.forAllMerchants().check(db);
        assertThat(names(violations)).containsExactly("pushed-once");
        assertThat(violations.get(0).detail()).startsWith("2 push replies recorded (PUSH_ACCEPTED, PUSH_ACCEPTED)");
    }

    @Test
    void secondFinalEventIsReported() throws SQLException {
        insertEvent("FAILED", MERCHANT, "we_CHECK", 3, "PROCESSING", "SUPERSEDED");
        insertEvent("FAILED", MERCHANT, "we_CHECK", 4, "FAILED", "DELIVERED");

        List<InvariantChecker.Violation> violations = InvariantChecker.forAllMerchants().check(db);
        assertThat(names(violations)).contains("one-final-event");
        assertThat(violations).filteredOn(v -> v.invariant().equals("one-final-event"))
                .extracting(InvariantChecker.Violation::detail)
                .containsExactly("state FAILED, 2 webhook events entering that state (sequences 2, 4)");
    }

    @Test
    void finalEventWithoutDeliveryIsReported() throws SQLException {
        run("DELETE FROM webhook_deliveries WHERE invoice_id = 'DONE' AND sequence = 3");

        List<InvariantChecker.Violation> violations = InvariantChecker.forAllMerchants().check(db);
        assertThat(names(violations)).contains("final-event-per-endpoint");
        assertThat(subjects(violations)).contains("DONE to we_CHECK");
    }

    @Test
    void undeliveredFinalEventIsReported() throws SQLException {
        run("UPDATE webhook_deliveries SET status = 'FAILED' WHERE invoice_id = 'DONE' AND sequence = 3");

        assertThat(names(InvariantChecker.forAllMerchants().check(db))).containsExactly("latest-event-delivered");
    }

    @Test
    void failedDeliveryToListedEndpointHolds() throws SQLException {
        run("UPDATE webhook_deliveries SET status = 'FAILED' WHERE invoice_id = 'DONE' AND sequence = 3");
        run("INSERT INTO attention_items (subject_type, subject_id, kind, created_at)"
                + " VALUES ('webhook_endpoint', 'we_CHECK', 'WEBHOOK_ENDPOINT_DISABLED', now())");

        assertThat(InvariantChecker.forAllMerchants().check(db)).isEmpty();
    }

    @Test
    void assertHoldsListsEveryViolation() throws SQLException {
        run("UPDATE wallets SET balance = 99 WHERE id = 'wlt_CHECK'");
        insertInvoice("OPEN", MERCHANT, "PENDING", null, null);
        InvariantChecker checker = InvariantChecker.forMerchants(List.of(MERCHANT));

        assertThatThrownBy(() -> checker.assertHolds(db))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("2 invariant violations (merchants MRC_CHECK):")
                .hasMessageContaining("\n  settled (every invoice is final (COMPLETE or FAILED) or listed as needing"
                        + " attention):\n    - OPEN: state PENDING since ")
                .hasMessageContaining("\n    - wlt_CHECK: balance 99.00, ledger total 98.00,");
    }

    private void insertInvoice(String id, String merchant, String state, String checkoutId, String receipt)
            throws SQLException {
        String suffix = merchant.equals(MERCHANT) ? "" : "_O";
        run("INSERT INTO invoices (id, session_id, merchant_id, environment, wallet_id, customer_id, channel, state, phone,"
                + " api_ref, amount, value, charges, net_amount, mobile_tarrif, account_reference, transaction_desc,"
                + " daraja_account, callback_token, checkout_request_id, mpesa_reference, host, created_at, updated_at)"
                + " VALUES ('" + id + "', gen_random_uuid(), '" + merchant + "', 'TEST', 'wlt_CHECK" + suffix
                + "', 'cus_CHECK" + suffix + "', 'API', '" + state + "', '254711000001', 'ref', 100, 100, 2, 98,"
                + " 'BUSINESS-PAYS', 'ref', 'desc', 'simulator', 'tok_" + id + "', " + quoted(checkoutId) + ", "
                + quoted(receipt) + ", 'http://127.0.0.1', now(), now())");
        run("INSERT INTO push_jobs (invoice_id, status, available_at, created_at) VALUES ('" + id
                + "', 'DONE', now(), now())");
    }

    /** Inserts one webhook event per state, numbered from 1, each delivered to the endpoint and the older superseded. */
    private void insertEvents(String invoiceId, String merchant, String endpointId, String... states) throws SQLException {
        for (int i = 0; i < states.length; i++) {
            insertEvent(invoiceId, merchant, endpointId, i + 1, states[i], i == states.length - 1 ? "DELIVERED" : "SUPERSEDED");
        }
    }

    private void insertEvent(String invoiceId, String merchant, String endpointId, int sequence, String state,
            String deliveryStatus) throws SQLException {
        String eventId = "gen_random_uuid()";
        run("WITH ev AS (INSERT INTO webhook_events (id, merchant_id, environment, invoice_id, sequence, topic, payload,"
                + " created_at) VALUES (" + eventId + ", '" + merchant + "', 'TEST', '" + invoiceId + "', " + sequence
                + ", 'collection_event', jsonb_build_object('state', '" + state + "'), now()) RETURNING id)"
                + " INSERT INTO webhook_deliveries (id, event_id, endpoint_id, invoice_id, sequence, status,"
                + " next_attempt_at, created_at, updated_at) SELECT gen_random_uuid(), ev.id, '" + endpointId + "', '"
                + invoiceId + "', " + sequence + ", '" + deliveryStatus + "', now(), now(), now() FROM ev");
    }

    private void run(String sql) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String quoted(String value) {
        return value == null ? "NULL" : "'" + value + "'";
    }

    private static List<String> names(List<InvariantChecker.Violation> violations) {
        return violations.stream().map(InvariantChecker.Violation::invariant).distinct().toList();
    }

    private static List<String> subjects(List<InvariantChecker.Violation> violations) {
        return violations.stream().map(InvariantChecker.Violation::subject).toList();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
