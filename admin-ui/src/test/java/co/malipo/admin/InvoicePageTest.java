package co.malipo.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.admin.auth.Role;
import co.malipo.admin.auth.UserService;
import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.invoice.Channel;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import co.malipo.core.webhook.WebhookEndpointService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class InvoicePageTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    UserService users;
    @Inject
    TestInvoices data;
    @Inject
    WebhookEndpointService endpoints;
    @Inject
    AttentionRepository attention;
    @Inject
    Db db;

    private static NewMerchant merchant;
    private static String paidInvoice;

    @BeforeEach
    void createPaidInvoice() throws InterruptedException {
        if (merchant != null) {
            return;
        }
        merchant = data.merchant("Page \"Quoted\" Shop");
        ObjectNode request = JsonMapper.builder().build().createObjectNode()
                .put("endpoint", "http://127.0.0.1:" + port + "/test-hooks/fail");
        endpoints.create(merchant.merchantId(), Environment.TEST, request);
        paidInvoice = data.pushed(merchant.merchantId(), "254708000101", "<script>alert(1)</script>", 100).id();
        await("invoice completes and a webhook attempt fails", () -> db.one(
                "SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id"
                        + " JOIN invoices i ON i.id = d.invoice_id WHERE i.id = ? AND i.state = 'COMPLETE'",
                row -> row.getLong(1), paidInvoice).orElse(0L) > 0);
    }

    @Test
    void pageShowsFieldsAndWholeTimeline() {
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.FINANCE, "page"), TestUsers.PASSWORD);
        String html = session.get("/invoices/" + paidInvoice).then().statusCode(200).extract().asString();

        assertThat(html).contains("254708000101", "Page &quot;Quoted&quot; Shop", "100.00");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)</script>");
        for (String kind : List.of("CREATED", "PUSH_ACCEPTED", "CALLBACK_RECEIVED", "STATE_CHANGED", "LEDGER_CREDIT",
                "LEDGER_ENTRY", "WEBHOOK_EVENT", "WEBHOOK_ATTEMPT")) {
            assertThat(html).as("timeline entry " + kind).contains("<td>" + kind + "</td>");
        }
        assertThat(html).as("raw callback body").contains("&quot;ResultCode&quot;");
        assertThat(html).contains("id=\"query-form\"").contains("class=\"inline replay-form\"");
    }

    @Test
    void queryNowAddsTimelineEntryAndAudit() {
        String name = TestUsers.create(users, Role.FINANCE, "query");
        StaffSession session = StaffSession.signIn(name, TestUsers.PASSWORD);
        session.get("/invoices/" + paidInvoice);
        long before = countEvents(paidInvoice);

        Response response = session.post("/invoices/" + paidInvoice + "/query", Map.of());

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(countEvents(paidInvoice)).as("the query's result on the timeline").isGreaterThan(before);
        assertThat(auditActions(name)).contains("DARAJA_QUERIED");
        assertThat(session.get("/invoices/" + paidInvoice + "?done=queried").asString())
                .contains("Daraja was queried");
    }

    @Test
    void replayQueuesDeliveryAgain() throws InterruptedException {
        String name = TestUsers.create(users, Role.ADMIN, "replay");
        StaffSession session = StaffSession.signIn(name, TestUsers.PASSWORD);
        session.get("/invoices/" + paidInvoice);
        UUID delivery = db.one("SELECT id FROM webhook_deliveries WHERE invoice_id = ? ORDER BY sequence DESC LIMIT 1",
                row -> row.getObject(1, UUID.class), paidInvoice).orElseThrow();
        long attemptsBefore = attempts(delivery);

        session.post("/invoices/" + paidInvoice + "/deliveries/" + delivery + "/replay", Map.of()).then()
                .statusCode(303);

        assertThat(db.one("SELECT replayed_at IS NOT NULL FROM webhook_deliveries WHERE id = ?",
                row -> row.getBoolean(1), delivery)).contains(true);
        assertThat(auditActions(name)).contains("WEBHOOK_REPLAYED");
        await("the replayed delivery is attempted again", () -> attempts(delivery) > attemptsBefore);
    }

    @Test
    void supportSeesMaskedPageAndCannotAct() {
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "pagesupport"),
                TestUsers.PASSWORD);
        String html = session.get("/invoices/" + paidInvoice).asString();
        assertThat(html).contains("2547*****101").doesNotContain("254708000101");
        assertThat(html).doesNotContain("id=\"query-form\"").doesNotContain("replay-form");

        UUID delivery = db.one("SELECT id FROM webhook_deliveries WHERE invoice_id = ? LIMIT 1",
                row -> row.getObject(1, UUID.class), paidInvoice).orElseThrow();
        assertThat(session.post("/invoices/" + paidInvoice + "/query", Map.of()).statusCode()).isEqualTo(403);
        assertThat(session.post("/invoices/" + paidInvoice + "/deliveries/" + delivery + "/replay", Map.of())
                .statusCode()).isEqualTo(403);
    }

    @Test
    void actionWithoutCsrfTokenIsRejected() {
        String name = TestUsers.create(users, Role.FINANCE, "csrf");
        StaffSession session = StaffSession.signIn(name, TestUsers.PASSWORD);
        session.get("/invoices/" + paidInvoice);
        assertThat(session.postWithoutToken("/invoices/" + paidInvoice + "/query", Map.of()).statusCode())
                .isEqualTo(400);
        assertThat(auditActions(name)).doesNotContain("DARAJA_QUERIED");
    }

    @Test
    void resolveAttentionItemWithNote() {
        String invoice = data.parked(merchant.merchantId(), Channel.API, "254708000102", "attention", 150).id();
        QuarkusTransaction.requiringNew().run(() -> attention.open("invoice", invoice,
                AttentionRepository.Kind.OPEN_TOO_LONG, "{\"phone\": \"254708000102\"}", Instant.now()));
        long item = db.one("SELECT id FROM attention_items WHERE subject_id = ?", row -> row.getLong(1), invoice)
                .orElseThrow();

        StaffSession support = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "resolvesupport"),
                TestUsers.PASSWORD);
        support.get("/attention");
        assertThat(support.post("/attention/" + item + "/resolve", Map.of("note", "x")).statusCode()).isEqualTo(403);

        String name = TestUsers.create(users, Role.FINANCE, "resolve");
        StaffSession session = StaffSession.signIn(name, TestUsers.PASSWORD);
        assertThat(session.get("/attention").asString()).contains("OPEN_TOO_LONG");
        assertThat(session.post("/attention/" + item + "/resolve", Map.of("note", " ")).statusCode()).isEqualTo(400);

        Response response = session.post("/attention/" + item + "/resolve",
                Map.of("note", "Customer confirmed no payment", "back", "/invoices/" + invoice));

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.getHeader("Location")).contains("/invoices/" + invoice + "?done=resolved");
        assertThat(db.one("SELECT resolved_by FROM attention_items WHERE id = ?", row -> row.getString(1), item))
                .contains(name);
        assertThat(auditActions(name)).contains("ATTENTION_RESOLVED");
        assertThat(session.get("/invoices/" + invoice).asString()).contains("resolved by " + name);
    }

    @Test
    void manualDecisionNeedsSecondUser() {
        String invoice = data.parked(merchant.merchantId(), Channel.API, "254708000103", "four-eyes", 200).id();
        String requester = TestUsers.create(users, Role.FINANCE, "requester");
        String approver = TestUsers.create(users, Role.ADMIN, "approver");
        StaffSession first = StaffSession.signIn(requester, TestUsers.PASSWORD);
        first.get("/invoices/" + invoice);

        assertThat(first.post("/invoices/" + invoice + "/decisions", Map.of("decision", "COMPLETE", "note", "paid"))
                .statusCode()).as("COMPLETE without receipt").isEqualTo(400);
        first.post("/invoices/" + invoice + "/decisions", Map.of("decision", "COMPLETE", "receipt", "MNL4EYES01",
                "note", "Statement shows the payment")).then().statusCode(303);
        long decision = db.one("SELECT id FROM manual_decisions WHERE invoice_id = ?", row -> row.getLong(1), invoice)
                .orElseThrow();

        first.get("/invoices/" + invoice);
        Response selfApproval = first.post("/invoices/" + invoice + "/decisions/" + decision + "/review",
                Map.of("verdict", "approve"));
        assertThat(selfApproval.statusCode()).isEqualTo(400);
        assertThat(selfApproval.asString()).contains("another user must approve");
        assertThat(state(invoice)).isEqualTo("PENDING");

        StaffSession second = StaffSession.signIn(approver, TestUsers.PASSWORD);
        second.get("/invoices/" + invoice);
        second.post("/invoices/" + invoice + "/decisions/" + decision + "/review",
                Map.of("verdict", "approve", "review_note", "Checked the statement")).then().statusCode(303);

        assertThat(state(invoice)).isEqualTo("COMPLETE");
        assertThat(db.one("SELECT mpesa_reference FROM invoices WHERE id = ?", row -> row.getString(1), invoice))
                .contains("MNL4EYES01");
        assertThat(db.one("SELECT count(*) FROM ledger_entries WHERE invoice_id = ?", row -> row.getLong(1), invoice))
                .contains(1L);
        assertThat(auditActions(requester)).contains("DECISION_REQUESTED");
        assertThat(auditActions(approver)).contains("DECISION_APPROVED");
    }

    @Test
    void rejectedFailedDecisionLeavesInvoiceOpen() {
        String invoice = data.parked(merchant.merchantId(), Channel.API, "254708000104", "reject-me", 200).id();
        StaffSession first = StaffSession.signIn(TestUsers.create(users, Role.FINANCE, "req2"), TestUsers.PASSWORD);
        first.get("/invoices/" + invoice);
        first.post("/invoices/" + invoice + "/decisions", Map.of("decision", "FAILED", "note", "Customer cancelled"))
                .then().statusCode(303);
        long decision = db.one("SELECT id FROM manual_decisions WHERE invoice_id = ?", row -> row.getLong(1), invoice)
                .orElseThrow();
        StaffSession second = StaffSession.signIn(TestUsers.create(users, Role.FINANCE, "rev2"), TestUsers.PASSWORD);
        second.get("/invoices/" + invoice);
        second.post("/invoices/" + invoice + "/decisions/" + decision + "/review", Map.of("verdict", "reject"))
                .then().statusCode(303);

        assertThat(state(invoice)).isEqualTo("PENDING");
        assertThat(db.one("SELECT status FROM manual_decisions WHERE id = ?", row -> row.getString(1), decision))
                .contains("REJECTED");
    }

    private String state(String invoice) {
        return db.one("SELECT state FROM invoices WHERE id = ?", row -> row.getString(1), invoice).orElseThrow();
    }

    private long countEvents(String invoice) {
        return db.one("SELECT count(*) FROM invoice_events WHERE invoice_id = ?", row -> row.getLong(1), invoice)
                .orElse(0L);
    }

    private long attempts(UUID delivery) {
        return db.one("SELECT count(*) FROM webhook_attempts WHERE delivery_id = ?", row -> row.getLong(1), delivery)
                .orElse(0L);
    }

    private List<String> auditActions(String actor) {
        return db.list("SELECT action FROM audit_log WHERE actor = ? ORDER BY id", row -> row.getString(1), actor);
    }

    private static void await(String description, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + description);
            }
            Thread.sleep(200);
        }
    }
}
