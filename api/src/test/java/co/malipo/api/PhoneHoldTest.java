package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.invoice.TimelineRepository;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantRepository;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.push.PhonePrompts;
import co.malipo.core.push.PushJobs;
import co.malipo.core.push.PushWorker;
import co.malipo.core.simulator.DarajaSimulator;
import co.malipo.core.support.Db;
import co.malipo.core.support.Ids;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * One open prompt per phone: a push to a phone that another invoice's prompt holds waits until
 * that invoice settles or the hold window ({@code malipo.push.phone-hold-window}, 8 s in tests)
 * has passed. Each test uses its own phone, except the never-resolving magic number, whose
 * prompts every test cancels when it ends.
 */
@QuarkusTest
class PhoneHoldTest {

    /** The simulator accepts pushes to this number, never calls back, and queries never settle it. */
    static final String SILENT_PHONE = "254700200005";

    @Inject
    TestMerchants testMerchants;
    @Inject
    OpenPrompts openPrompts;
    @Inject
    DarajaSimulator simulator;
    @Inject
    InvoiceRepository invoices;
    @Inject
    TimelineRepository timeline;
    @Inject
    MerchantRepository merchantRepository;
    @Inject
    PushJobs jobs;
    @Inject
    PushWorker worker;
    @Inject
    PhonePrompts phones;
    @Inject
    GatewayConfig config;
    @Inject
    Db db;

    final List<NewMerchant> merchants = new ArrayList<>();

    @AfterEach
    void cancelOpenPrompts() {
        merchants.forEach(merchant -> openPrompts.cancelAll(merchant.merchantId()));
    }

    @Test
    void secondMerchantWaitsForFirstPrompt() {
        String phone = "254712000901";
        NewMerchant first = merchant("Hold Shop A");
        NewMerchant second = merchant("Hold Shop B");
        int sentBefore = pushesTo(phone);

        String holder = push(first, phone, "50");
        String waiter = push(second, phone, "50");
        Response waiterDone = Api.awaitState(second.testSecretKey(), waiter, "COMPLETE", Duration.ofSeconds(20));
        Response holderDone = Api.status(first.testSecretKey(), holder);

        assertThat(holderDone.<String>path("invoice.state")).as(holderDone.asString()).isEqualTo("COMPLETE");
        assertThat(waiterDone.<String>path("invoice.state")).as(waiterDone.asString()).isEqualTo("COMPLETE");
        assertThat(pushesTo(phone) - sentBefore).as("pushes that reached Daraja").isEqualTo(2);
        assertThat(sentOrder(phone, 2)).containsExactly(holder, waiter);
        assertThat(heldEntries(holder)).isEmpty();
        assertThat(heldEntries(waiter)).hasSize(1);
        assertThat(heldEntries(waiter).get(0).note()).contains(holder);
        assertThat(heldEntries(waiter).get(0).at()).as("held while the first prompt was open")
                .isBefore(finishedAt(holder));
        assertThat(acceptedAt(waiter)).as("sent after the first invoice settled").isAfter(finishedAt(holder));
        assertThat(sendTries(holder)).isEqualTo(1);
        assertThat(sendTries(waiter)).isEqualTo(1);
    }

    @Test
    void heldPushSentWhenHolderSettles() {
        NewMerchant first = merchant("Settle Shop A");
        NewMerchant second = merchant("Settle Shop B");
        int sentBefore = pushesTo(SILENT_PHONE);
        String holder = push(first, SILENT_PHONE, "51");
        awaitState(first, holder, "PROCESSING");

        String waiter = push(second, SILENT_PHONE, "51");
        awaitTimeline(waiter, "PUSH_HELD");
        for (int round = 0; round < 3; round++) {
            worker.wake();
            Api.sleep(300);
        }

        assertThat(Api.status(second.testSecretKey(), waiter).<String>path("invoice.state")).isEqualTo("PENDING");
        assertThat(pushesTo(SILENT_PHONE) - sentBefore).as("pushes that reached Daraja while held").isEqualTo(1);
        assertThat(sendTries(waiter)).isZero();
        assertThat(firstTryAt(waiter)).isNull();
        assertThat(heldEntries(waiter)).as("recorded once, not on every claim").hasSize(1);
        assertThat(heldEntries(waiter).get(0).note()).contains(holder);

        Invoice settled = invoices.find(holder).orElseThrow();
        postCallback(settled, successBody(settled.checkoutRequestId(), "51.00")).then().statusCode(200);
        Response sent = Api.awaitState(second.testSecretKey(), waiter, "PROCESSING", Duration.ofSeconds(10));

        assertThat(Api.status(first.testSecretKey(), holder).<String>path("invoice.state")).isEqualTo("COMPLETE");
        assertThat(sent.<String>path("invoice.state")).as(sent.asString()).isEqualTo("PROCESSING");
        assertThat(acceptedAt(waiter)).as("sent because the holder settled, before its hold window ended")
                .isBefore(firstTryAt(holder).plus(holdWindow()));
        assertThat(pushesTo(SILENT_PHONE) - sentBefore).isEqualTo(2);
        assertThat(sendTries(waiter)).isEqualTo(1);
        assertThat(heldEntries(waiter)).hasSize(1);
    }

    @Test
    void heldPushSentOnceAfterWindow() {
        NewMerchant first = merchant("Window Shop A");
        NewMerchant second = merchant("Window Shop B");
        int sentBefore = pushesTo(SILENT_PHONE);
        String holder = push(first, SILENT_PHONE, "52");
        awaitState(first, holder, "PROCESSING");

        String waiter = push(second, SILENT_PHONE, "52");
        awaitTimeline(waiter, "PUSH_HELD");
        assertThat(Api.status(second.testSecretKey(), waiter).<String>path("invoice.state")).isEqualTo("PENDING");

        Response sent = Api.awaitState(second.testSecretKey(), waiter, "PROCESSING",
                holdWindow().plus(Duration.ofSeconds(10)));
        for (int round = 0; round < 3; round++) {
            worker.wake();
            Api.sleep(300);
        }

        assertThat(sent.<String>path("invoice.state")).as(sent.asString()).isEqualTo("PROCESSING");
        assertThat(Api.status(first.testSecretKey(), holder).<String>path("invoice.state"))
                .as("the first prompt never settled").isEqualTo("PROCESSING");
        assertThat(acceptedAt(waiter)).as("sent once the hold window had passed")
                .isAfterOrEqualTo(firstTryAt(holder).plus(holdWindow()));
        assertThat(pushesTo(SILENT_PHONE) - sentBefore).as("pushes that reached Daraja").isEqualTo(2);
        assertThat(sendTries(waiter)).isEqualTo(1);
        assertThat(heldEntries(waiter)).hasSize(1);
    }

    @Test
    void fiveMerchantsOnePhoneOneAtATime() throws Exception {
        String phone = "254712000902";
        List<NewMerchant> shops = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            shops.add(merchant("Crowd Shop " + i));
        }
        int sentBefore = pushesTo(phone);

        ExecutorService pool = Executors.newFixedThreadPool(shops.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<String>> pushes = new ArrayList<>();
        for (NewMerchant shop : shops) {
            pushes.add(() -> {
                start.await();
                return push(shop, phone, "53");
            });
        }
        List<Future<String>> futures = new ArrayList<>();
        for (Callable<String> pushCall : pushes) {
            futures.add(pool.submit(pushCall));
        }
        start.countDown();
        List<String> ids = new ArrayList<>();
        for (Future<String> future : futures) {
            ids.add(future.get());
        }
        pool.shutdown();

        // Reading Daraja's count before the settled count can only under-count prompts in flight,
        // so a sample above one is a real overlap.
        int maxInFlight = 0;
        long deadline = System.currentTimeMillis() + 40_000;
        while (settledCount(ids) < ids.size() && System.currentTimeMillis() < deadline) {
            int sent = pushesTo(phone) - sentBefore;
            int settled = settledCount(ids);
            maxInFlight = Math.max(maxInFlight, sent - settled);
            Api.sleep(50);
        }

        assertThat(maxInFlight).as("prompts open at Daraja at once").isLessThanOrEqualTo(1);
        assertThat(settledCount(ids)).as("settled within 40 s").isEqualTo(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            assertThat(Api.status(shops.get(i).testSecretKey(), id).<String>path("invoice.state")).as(id)
                    .isEqualTo("COMPLETE");
            assertThat(sendTries(id)).as(id).isEqualTo(1);
        }
        assertThat(pushesTo(phone) - sentBefore).as("pushes that reached Daraja").isEqualTo(ids.size());
        List<String> order = sentOrder(phone, ids.size());
        assertThat(order).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(heldEntries(order.get(0))).as("the first push sent never waited").isEmpty();
        for (int i = 1; i < order.size(); i++) {
            String previous = order.get(i - 1);
            String next = order.get(i);
            assertThat(acceptedAt(next)).as("%s sent after %s settled", next, previous).isAfter(finishedAt(previous));
            assertThat(heldEntries(next)).as(next).hasSize(1);
        }
    }

    @Test
    void claimBatchTakesOneJobPerPhone() {
        NewMerchant shop = merchant("Claim Shop");
        String phone = "254712000903";
        Instant now = Instant.now();
        Duration lease = Duration.ofMinutes(2);

        // Everything runs in one transaction that is rolled back, so nothing here reaches the worker.
        QuarkusTransaction.begin();
        try {
            // Due long ago, so these two jobs fill a batch of two ahead of any real queued job.
            Instant due = Instant.parse("2000-01-01T00:00:00Z");
            String older = insertInvoice(shop, phone, "60");
            String newer = insertInvoice(shop, phone, "61");
            jobs.enqueue(older, due);
            jobs.enqueue(newer, due.plusSeconds(1));

            List<PushJobs.Claim> claims = jobs.claim(2, now, lease, holdWindow());

            assertThat(claims).extracting(PushJobs.Claim::invoiceId).containsExactly(older);
            assertThat(jobStatus(newer)).isEqualTo("QUEUED");
            assertThat(sendTries(newer)).isZero();
            assertThat(firstTryAt(newer)).isNull();
            assertThat(phoneHolder(phone)).isEqualTo(older);
            assertThat(heldEntries(newer)).hasSize(1);
            assertThat(heldEntries(newer).get(0).note()).contains(older);

            List<PushJobs.Claim> again = jobs.claim(2, now, lease, holdWindow());

            assertThat(again).extracting(PushJobs.Claim::invoiceId).doesNotContain(newer);
            assertThat(heldEntries(newer)).as("still one entry after a second claim").hasSize(1);

            db.update("UPDATE invoices SET state = 'FAILED' WHERE id = ?", older);
            List<PushJobs.Claim> afterSettle = jobs.claim(2, now, lease, holdWindow());

            assertThat(afterSettle).extracting(PushJobs.Claim::invoiceId).contains(newer);
            assertThat(phoneHolder(phone)).isEqualTo(newer);
        } finally {
            QuarkusTransaction.rollback();
        }

        assertThat(db.one("SELECT count(*) FROM invoices WHERE merchant_id = ?", row -> row.getInt(1),
                shop.merchantId()).orElseThrow()).as("rolled back").isZero();
    }

    @Test
    void concurrentTakesOfOnePhoneLetOneWin() throws Exception {
        NewMerchant shop = merchant("Race Shop");
        String phone = "254712000904";
        // Invoices without push jobs, so the worker never claims them. The cleanup cancels them.
        String first = QuarkusTransaction.requiringNew().call(() -> insertInvoice(shop, phone, "70"));
        String second = QuarkusTransaction.requiringNew().call(() -> insertInvoice(shop, phone, "71"));
        CountDownLatch firstTook = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);

        // Two transactions stand for two instances claiming pushes to one phone at the same moment.
        Future<Boolean> firstTake = pool.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
            boolean took = phones.take(Environment.TEST, phone, first, holdWindow());
            firstTook.countDown();
            commitFirst.await();
            return took;
        }));
        firstTook.await();
        Future<Boolean> secondTake = pool.submit(() -> QuarkusTransaction.requiringNew()
                .call(() -> phones.take(Environment.TEST, phone, second, holdWindow())));
        Api.sleep(500);
        boolean secondWaited = !secondTake.isDone();
        commitFirst.countDown();
        boolean firstWon = firstTake.get();
        boolean secondWon = secondTake.get();
        pool.shutdown();

        assertThat(secondWaited).as("the second take waits for the first transaction").isTrue();
        assertThat(firstWon).isTrue();
        assertThat(secondWon).as("the phone is held by an open invoice").isFalse();
        assertThat(phoneHolder(phone)).isEqualTo(first);
    }

    private NewMerchant merchant(String name) {
        NewMerchant merchant = testMerchants.create(name);
        merchants.add(merchant);
        return merchant;
    }

    private static String push(NewMerchant merchant, String phone, String amount) {
        Response pushed = Api.push(merchant.testSecretKey(), Map.of("phone_number", phone, "amount", amount,
                "api_ref", "hold-" + Ids.token().substring(0, 8)));
        assertThat(pushed.statusCode()).as(pushed.asString()).isEqualTo(200);
        return pushed.path("invoice.invoice_id");
    }

    private static void awaitState(NewMerchant merchant, String id, String state) {
        Response response = Api.awaitState(merchant.testSecretKey(), id, state, Duration.ofSeconds(10));
        assertThat(response.<String>path("invoice.state")).as(response.asString()).isEqualTo(state);
    }

    private void awaitTimeline(String id, String kind) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (timeline.list(id).stream().noneMatch(entry -> entry.kind().equals(kind))
                && System.currentTimeMillis() < deadline) {
            Api.sleep(100);
        }
        assertThat(timeline.list(id)).extracting(TimelineRepository.Entry::kind).contains(kind);
    }

    private Duration holdWindow() {
        return config.push().phoneHoldWindow();
    }

    /** Push bodies the simulator received for the phone since the app started. */
    private int pushesTo(String phone) {
        return (int) simulator.receivedPushes().stream()
                .filter(body -> phone.equals(body.path("PhoneNumber").asText()))
                .count();
    }

    /** Invoice ids of the last {@code count} pushes the simulator received for the phone, oldest first. */
    private List<String> sentOrder(String phone, int count) {
        List<String> ids = new ArrayList<>();
        for (JsonNode body : simulator.receivedPushes()) {
            if (phone.equals(body.path("PhoneNumber").asText())) {
                String url = body.path("CallBackURL").asText();
                String token = url.substring(url.lastIndexOf('/') + 1);
                ids.add(invoices.findByCallbackToken(token).orElseThrow().id());
            }
        }
        return ids.subList(ids.size() - count, ids.size());
    }

    private List<TimelineRepository.Entry> heldEntries(String id) {
        return timeline.list(id).stream().filter(entry -> entry.kind().equals("PUSH_HELD")).toList();
    }

    private int settledCount(List<String> ids) {
        return (int) ids.stream().filter(id -> !invoices.find(id).orElseThrow().state().isOpen()).count();
    }

    private Instant acceptedAt(String id) {
        return invoices.find(id).orElseThrow().acceptedAt();
    }

    private Instant finishedAt(String id) {
        return db.one("SELECT finished_at FROM invoices WHERE id = ?", row -> Db.instant(row, "finished_at"), id)
                .orElseThrow();
    }

    private int sendTries(String id) {
        return db.one("SELECT send_tries FROM push_jobs WHERE invoice_id = ?", row -> row.getInt(1), id).orElseThrow();
    }

    private Instant firstTryAt(String id) {
        return db.list("SELECT first_try_at FROM push_jobs WHERE invoice_id = ?",
                row -> Db.instant(row, "first_try_at"), id).get(0);
    }

    private String jobStatus(String id) {
        return db.one("SELECT status FROM push_jobs WHERE invoice_id = ?", row -> row.getString(1), id).orElseThrow();
    }

    private String phoneHolder(String phone) {
        return db.one("SELECT invoice_id FROM phone_prompts WHERE environment = 'TEST' AND phone = ?",
                row -> row.getString(1), phone).orElseThrow();
    }

    /** Inserts a PENDING test invoice directly, without queueing its push or waking the worker. */
    private String insertInvoice(NewMerchant merchant, String phone, String amount) {
        String id = Ids.invoiceId();
        String walletId = merchantRepository.findSettlementWallet(merchant.merchantId(), Environment.TEST)
                .orElseThrow().id();
        String customerId = invoices.customerId(merchant.merchantId(), phone);
        BigDecimal value = new BigDecimal(amount);
        db.update("""
                INSERT INTO invoices (id, session_id, merchant_id, environment, wallet_id, customer_id, channel, state,
                    phone, api_ref, amount, value, charges, net_amount, mobile_tarrif, account_reference,
                    transaction_desc, daraja_account, callback_token, host, created_at, updated_at)
                VALUES (?, ?, ?, 'TEST', ?, ?, 'API', 'PENDING', ?, ?, ?, ?, 0, ?, 'BUSINESS-PAYS', 'claimtest',
                    'claim test', 'simulator', ?, 'http://127.0.0.1:8081', now(), now())
                """, id, UUID.randomUUID(), merchant.merchantId(), walletId, customerId, phone, "claim " + amount,
                value, value, value, Ids.token());
        return id;
    }

    private static Response postCallback(Invoice invoice, String body) {
        return given().contentType("application/json").body(body).when()
                .post("/daraja/callback/" + invoice.callbackToken());
    }

    private static String successBody(String checkoutRequestId, String amount) {
        return "{\"Body\": {\"stkCallback\": {\"MerchantRequestID\": \"29115-34620561-1\", \"CheckoutRequestID\": \""
                + checkoutRequestId + "\", \"ResultCode\": 0, \"ResultDesc\": \"The service request is processed"
                + " successfully.\", \"CallbackMetadata\": {\"Item\": [{\"Name\": \"Amount\", \"Value\": " + amount
                + "}, {\"Name\": \"MpesaReceiptNumber\", \"Value\": \"" + Ids.receipt() + "\"},"
                + " {\"Name\": \"TransactionDate\", \"Value\": 20240302013000},"
                + " {\"Name\": \"PhoneNumber\", \"Value\": " + SILENT_PHONE + "}]}}}}";
    }
}
