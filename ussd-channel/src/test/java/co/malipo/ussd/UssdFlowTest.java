package co.malipo.ussd;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import co.malipo.core.channel.ChannelBusinessRepository;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantRepository;
import co.malipo.core.merchant.MerchantService;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.simulator.AfricasTalkingSimulator;
import co.malipo.core.simulator.DarajaSimulator;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Walks the USSD menu over real HTTP, with invoices in PostgreSQL and pushes sent to the built-in
 * Daraja simulator. Each test uses its own phones and business numbers.
 */
@QuarkusTest
class UssdFlowTest {

    static final String MAIN_MENU = "CON Malipo\n1. Pay a business\n2. My last payment\n3. Kiswahili";
    static final String MAIN_MENU_SW = "CON Malipo\n1. Lipa biashara\n2. Malipo yangu ya mwisho\n3. English";
    static final String BUSINESS_PROMPT = "CON Enter business number:\n0 Back";
    /** The USSD callback path with the test profile's token. */
    static final String USSD_PATH = "/ussd/test-ussd-token-not-a-secret";

    @Inject
    MerchantService merchantService;
    @Inject
    MerchantRepository merchants;
    @Inject
    ChannelBusinessRepository businesses;
    @Inject
    DarajaSimulator simulator;
    @Inject
    AfricasTalkingSimulator smsSimulator;
    @Inject
    Db db;

    record StoredInvoice(String id, String channel, String apiRef, BigDecimal amount, String walletId,
            String environment, String state, Instant createdAt) {
    }

    @Test
    void walkWithBackSendsOnePushAfterEnd() {
        NewMerchant merchant = merchantService.createMerchant("Mama Mboga Ltd", "default");
        addBusiness("5001", merchant.merchantId(), "Mama Mboga", false, null);
        String session = "ATUid_test_0020";
        String phone = "+254700000020";

        assertThat(post(session, phone, "")).isEqualTo(MAIN_MENU);
        assertThat(post(session, phone, "1")).isEqualTo(BUSINESS_PROMPT);
        assertThat(post(session, phone, "1*0")).isEqualTo(MAIN_MENU);
        assertThat(post(session, phone, "1*0*1")).isEqualTo(BUSINESS_PROMPT);
        assertThat(post(session, phone, "1*0*1*5001"))
                .isEqualTo("CON Pay Mama Mboga\nEnter amount (KES 10 to 150,000):\n0 Back");
        assertThat(post(session, phone, "1*0*1*5001*500"))
                .isEqualTo("CON Pay KES 500 to Mama Mboga\n1. Confirm\n2. Cancel\n0 Back");

        String end = post(session, phone, "1*0*1*5001*500*1");
        Instant repliedAt = Instant.now();

        assertThat(end).isEqualTo("END You will get an M-Pesa prompt to pay KES 500 to Mama Mboga."
                + " Enter your M-Pesa PIN to complete.");
        assertThat(simulator.lastPushTo("254700000020")).as("no push while the USSD session may be open").isEmpty();
        List<StoredInvoice> stored = invoicesTo("254700000020");
        assertThat(stored).hasSize(1);
        StoredInvoice invoice = stored.get(0);
        assertThat(invoice.channel()).isEqualTo("USSD");
        assertThat(invoice.apiRef()).isEqualTo("USSD 5001");
        assertThat(invoice.amount()).isEqualByComparingTo("500");
        assertThat(invoice.environment()).isEqualTo("TEST");
        assertThat(invoice.walletId()).isEqualTo(settlementWalletId(merchant.merchantId()));
        assertThat(availableAt(invoice.id())).as("push job due after malipo.ussd.push-delay")
                .isEqualTo(invoice.createdAt().plus(Duration.ofSeconds(2)));

        assertThat(post(session, phone, "1*0*1*5001*500*1")).as("repeated confirmation").isEqualTo(end);
        assertThat(invoicesTo("254700000020")).as("invoices after the repeated confirmation").hasSize(1);
        assertThat(confirmedInvoice(session)).contains(invoice.id());

        JsonNode push = awaitPush("254700000020");
        assertThat(push.path("Amount").asInt()).isEqualTo(500);
        assertThat(pushCount("254700000020")).isEqualTo(1);
        assertThat(firstTryAt(invoice.id())).as("push sent after the END reply").isAfter(repliedAt);

        awaitState(invoice.id(), "COMPLETE");
        String last = post("ATUid_test_0020b", phone, "2");
        assertThat(last).startsWith("END Last payment: KES 500 to Mama Mboga Ltd\n");
        assertThat(last).contains("State: paid");
        assertThat(last).doesNotContain("Receipt: none");
        assertThat(pushCount("254700000020")).as("pushes after settling").isEqualTo(1);

        String receipt = awaitReceipt("+254700000020", "Paid ");
        String mpesaReceipt = db.one("SELECT mpesa_reference FROM invoices WHERE id = ?", row -> row.getString(1),
                invoice.id()).orElseThrow();
        assertThat(receipt).isEqualTo("Paid KES 500 to Mama Mboga Ltd. M-Pesa receipt " + mpesaReceipt
                + ". Malipo ref " + invoice.id() + ".");
    }

    @Test
    void referenceCarriedToApiRef() {
        NewMerchant merchant = merchantService.createMerchant("Kenya Power Agent", "default");
        addBusiness("5002", merchant.merchantId(), "Power Tokens", true, "Meter number");
        String session = "ATUid_test_0021";
        String phone = "+254700000021";

        assertThat(post(session, phone, "1*5002*250")).isEqualTo("CON Pay Power Tokens\nEnter Meter number:\n0 Back");
        assertThat(post(session, phone, "1*5002*250*ACC42"))
                .isEqualTo("CON Pay KES 250 to Power Tokens\nRef: ACC42\n1. Confirm\n2. Cancel\n0 Back");
        assertThat(post(session, phone, "1*5002*250*ACC42*1")).startsWith("END You will get an M-Pesa prompt");
        assertThat(post(session, phone, "1*5002*250*ACC42*1")).startsWith("END You will get an M-Pesa prompt");

        List<StoredInvoice> stored = invoicesTo("254700000021");
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).apiRef()).isEqualTo("ACC42");
        assertThat(stored.get(0).amount()).isEqualByComparingTo("250");
        assertThat(awaitPush("254700000021").path("Amount").asInt()).isEqualTo(250);
    }

    @Test
    void prefilledInputLandsOnConfirmation() {
        NewMerchant merchant = merchantService.createMerchant("Prefill Shop", "default");
        addBusiness("5011", merchant.merchantId(), "Prefill Shop", false, null);
        String session = "ATUid_test_0023";
        String phone = "+254700000023";

        assertThat(post(session, phone, "1*5011*500"))
                .isEqualTo("CON Pay KES 500 to Prefill Shop\n1. Confirm\n2. Cancel\n0 Back");
        assertThat(post(session, phone, "1*5011*abc")).isEqualTo("CON Invalid amount. Enter 10 to 150,000.\n"
                + "Pay Prefill Shop\nEnter amount (KES 10 to 150,000):\n0 Back");
        assertThat(post(session, phone, "1*5011*5")).startsWith("CON Amount out of range. Enter 10 to 150,000.\n");
        assertThat(post(session, phone, "1*5011*150001")).startsWith("CON Amount out of range.");
        assertThat(post(session, phone, "1*5011*abc*500")).as("valid amount after an invalid one")
                .startsWith("CON Pay KES 500 to Prefill Shop");
        assertThat(post(session, phone, "1*9999999")).isEqualTo("CON Business number 9999999 not found.\n"
                + "Enter business number:\n0 Back");
        assertThat(post(session, phone, "7")).isEqualTo("CON Invalid choice.\n" + MAIN_MENU.substring(4));
        assertThat(post(session, phone, "1*5011*500*9")).startsWith("CON Invalid choice.\nPay KES 500");
        assertThat(post(session, phone, "1*5011*500*00")).isEqualTo(MAIN_MENU);
        assertThat(post(session, phone, "1*5011*500*2")).isEqualTo("END Payment cancelled. Nothing was charged.");
        assertThat(invoicesTo("254700000023")).isEmpty();
    }

    @Test
    void longNamesFitOneScreen() {
        NewMerchant merchant = merchantService.createMerchant("Long Name Shop", "default");
        String longName = "The Very Long Named Hardware And General Supplies Shop Of Nairobi";
        addBusiness("5012", merchant.merchantId(), longName, true, "Customer account number at the hardware shop");
        String session = "ATUid_test_0024";
        String phone = "+254700000024";

        // post() checks every reply against the 160-character limit.
        assertThat(post(session, phone, "1*5012")).contains("The Very Long Named Hardware.");
        post(session, phone, "1*5012*abc");
        post(session, phone, "1*5012*150000");
        post(session, phone, "1*5012*150000*x");
        assertThat(post(session, phone, "1*5012*150000*ABCDEFGHIJ0123456789")).contains("KES 150,000");
    }

    @Test
    void spaceBeforePhoneReadAsPlus() {
        NewMerchant merchant = merchantService.createMerchant("Space Shop", "default");
        addBusiness("5021", merchant.merchantId(), "Space Shop", false, null);

        assertThat(post("ATUid_test_0022", " 254700000022", "1*5021*300*1")).startsWith("END You will get");

        List<StoredInvoice> stored = invoicesTo("254700000022");
        assertThat(stored).hasSize(1);
        assertThat(post("ATUid_test_0022b", "+254700000022", "2")).startsWith("END Last payment: KES 300 to Space Shop");
    }

    @Test
    void failedStepEndsWithUnavailable() {
        // A merchant without a settlement wallet makes the invoice's validation throw.
        QuarkusTransaction.requiringNew().run(() -> merchants.insertMerchant("MRC_USSD_NO_WALLET", "No Wallet", "default"));
        addBusiness("5031", "MRC_USSD_NO_WALLET", "No Wallet Shop", false, null);
        String session = "ATUid_test_0025";

        Response response = given().contentType("application/x-www-form-urlencoded")
                .formParam("sessionId", session).formParam("serviceCode", "*384*5#")
                .formParam("phoneNumber", "+254700000025").formParam("text", "1*5031*100*1")
                .formParam("networkCode", "63902")
                .when().post(USSD_PATH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        assertThat(response.asString()).isEqualTo("END Service temporarily unavailable. Please try again later.");
        assertThat(invoicesTo("254700000025")).isEmpty();
        assertThat(confirmedInvoice(session)).isEmpty();
    }

    @Test
    void kiswahiliWalkGetsKiswahiliReceipt() {
        NewMerchant merchant = merchantService.createMerchant("Duka la Mama", "default");
        addBusiness("5041", merchant.merchantId(), "Duka la Mama", false, null);
        String session = "ATUid_test_0041";
        String phone = "+254700000041";

        assertThat(post(session, phone, "3")).isEqualTo(MAIN_MENU_SW);
        assertThat(post(session, phone, "3*3")).as("second switch goes back to English").isEqualTo(MAIN_MENU);
        assertThat(post(session, phone, "3*1")).isEqualTo("CON Weka nambari ya biashara:\n0 Rudi");
        assertThat(post(session, phone, "3*1*0")).isEqualTo(MAIN_MENU_SW);
        assertThat(post(session, phone, "3*1*9999999"))
                .isEqualTo("CON Nambari ya biashara 9999999 haipatikani.\nWeka nambari ya biashara:\n0 Rudi");
        assertThat(post(session, phone, "3*1*5041"))
                .isEqualTo("CON Lipa Duka la Mama\nWeka kiasi (KES 10 hadi 150,000):\n0 Rudi");
        assertThat(post(session, phone, "3*1*5041*abc")).startsWith("CON Kiasi si sahihi. Weka 10 hadi 150,000.\n");
        assertThat(post(session, phone, "3*1*5041*5")).startsWith("CON Kiasi hakiruhusiwi.");
        assertThat(post(session, phone, "3*1*5041*500"))
                .isEqualTo("CON Lipa KES 500 kwa Duka la Mama\n1. Thibitisha\n2. Ghairi\n0 Rudi");
        assertThat(post(session, phone, "3*1*5041*500*9")).startsWith("CON Chaguo si sahihi.\nLipa KES 500");
        assertThat(post(session, phone, "3*1*5041*500*2")).isEqualTo("END Malipo yameghairiwa. Hujatozwa chochote.");
        assertThat(post(session, phone, "3*7")).isEqualTo("CON Chaguo si sahihi.\n" + MAIN_MENU_SW.substring(4));

        assertThat(post(session, phone, "3*1*5041*500*1")).isEqualTo("END Utapokea ombi la M-Pesa la kulipa KES 500"
                + " kwa Duka la Mama. Weka PIN yako ya M-Pesa ili kukamilisha.");
        List<StoredInvoice> stored = invoicesTo("254700000041");
        assertThat(stored).hasSize(1);
        String invoiceId = stored.get(0).id();
        assertThat(db.one("SELECT language FROM invoice_languages WHERE invoice_id = ?", row -> row.getString(1),
                invoiceId)).contains("sw");

        awaitState(invoiceId, "COMPLETE");
        String receipt = awaitReceipt("+254700000041", "Umelipa ");
        String mpesaReceipt = db.one("SELECT mpesa_reference FROM invoices WHERE id = ?", row -> row.getString(1),
                invoiceId).orElseThrow();
        assertThat(receipt).isEqualTo("Umelipa KES 500 kwa Duka la Mama. Risiti ya M-Pesa " + mpesaReceipt
                + ". Kumbukumbu ya Malipo " + invoiceId + ".");
        assertThat(receipt.length()).isLessThanOrEqualTo(160);
        String last = post("ATUid_test_0041b", phone, "3*2");
        assertThat(last).startsWith("END Malipo ya mwisho: KES 500 kwa Duka la Mama\n");
        assertThat(last).contains("Hali: yamelipwa");
    }

    @Test
    void businessDefaultLanguageUsedWithoutChoice() {
        NewMerchant merchant = merchantService.createMerchant("Swahili Default Shop", "default");
        QuarkusTransaction.requiringNew().run(() -> businesses.insert("5042", merchant.merchantId(), Environment.TEST,
                "Swahili Default", false, null, "sw"));

        assertThat(post("ATUid_test_0042", "+254700000042", "1*5042*300*1")).startsWith("END You will get");

        String invoiceId = invoicesTo("254700000042").get(0).id();
        assertThat(db.one("SELECT language FROM invoice_languages WHERE invoice_id = ?", row -> row.getString(1),
                invoiceId)).as("receipt language without a choice").contains("sw");
        assertThat(post("ATUid_test_0042b", "+254700000042", "3*3*1*5042*300*1")).as("chosen English")
                .startsWith("END You already have an open payment");
    }

    @Test
    void longNamesFitOneScreenInKiswahili() {
        NewMerchant merchant = merchantService.createMerchant("Long Name Duka", "default");
        String longName = "Duka Kubwa Sana la Vifaa vya Ujenzi na Bidhaa Nyingine za Nairobi";
        addBusiness("5043", merchant.merchantId(), longName, true, "Nambari ya akaunti ya mteja katika duka la vifaa");
        String session = "ATUid_test_0043";
        String phone = "+254700000043";

        // post() checks every reply against the 160-character limit.
        for (String text : List.of("3", "3*9", "3*1", "3*1*12345678901", "3*1*5043", "3*1*5043*abc", "3*1*5043*5",
                "3*1*5043*150000", "3*1*5043*150000*x", "3*1*5043*150000*ABCDEFGHIJ0123456789",
                "3*1*5043*150000*ABCDEFGHIJ0123456789*9", "3*1*5043*150000*ABCDEFGHIJ0123456789*2", "3*2")) {
            assertThat(post(session, phone, text)).as(text).doesNotContain("Enter");
        }
        assertThat(post(session, phone, "3*1*5043*150000*ABCDEFGHIJ0123456789")).contains("KES 150,000");
        assertThat(UssdTexts.KISWAHILI.unavailable().length() + 4).isLessThanOrEqualTo(160);
        assertThat(UssdTexts.KISWAHILI.openPayment("KES 150,000", "x".repeat(UssdText.MAX_NAME_LENGTH)).length() + 4)
                .isLessThanOrEqualTo(160);
        assertThat(UssdTexts.KISWAHILI.lastPayment("KES 150,000", "x".repeat(UssdText.MAX_NAME_LENGTH),
                "14 Dec 23:59", "hayakufaulu", "ABCDEFGHIJ").length() + 4).isLessThanOrEqualTo(160);
    }

    @Test
    void invalidPhoneEndsSession() {
        assertThat(post("ATUid_test_0026", "12345", "")).isEqualTo("END This service needs a Kenyan mobile number."
                + " Huduma hii inahitaji nambari ya simu ya Kenya.");
    }

    @Test
    void reusedSessionForAnotherPhoneIsRefused() {
        NewMerchant merchant = merchantService.createMerchant("Reuse Shop", "default");
        addBusiness("5070", merchant.merchantId(), "Reuse Shop", false, null);

        assertThat(post("ATUid_test_0070", "+254700000070", "1*5070*100*1")).startsWith("END You will get");
        String reused = post("ATUid_test_0070", "+254700000071", "1*5070*200*1");
        String repeated = post("ATUid_test_0070", "+254700000070", "1*5070*100*1");

        assertThat(reused).isEqualTo("END This session already made another payment. Please dial again.");
        assertThat(repeated).startsWith("END You will get");
        assertThat(invoicesTo("254700000070")).hasSize(1);
        assertThat(invoicesTo("254700000071")).isEmpty();
    }

    @Test
    void controlCharacterInSessionIdEndsSession() {
        assertThat(post("ATUid_\u0000_0072", "+254700000072", "")).isEqualTo(UssdResource.UNAVAILABLE);
        assertThat(invoicesTo("254700000072")).isEmpty();
    }

    private String post(String session, String phone, String text) {
        Response response = given().contentType("application/x-www-form-urlencoded")
                .formParam("sessionId", session).formParam("serviceCode", "*384*5#")
                .formParam("phoneNumber", phone).formParam("text", text).formParam("networkCode", "63902")
                .when().post(USSD_PATH);
        assertThat(response.statusCode()).as(text).isEqualTo(200);
        String body = response.asString();
        assertThat(body.length()).as("screen length for %s: %s", text, body).isLessThanOrEqualTo(160);
        return body;
    }

    private void addBusiness(String number, String merchantId, String name, boolean needsReference, String label) {
        QuarkusTransaction.requiringNew().run(
                () -> businesses.insert(number, merchantId, Environment.TEST, name, needsReference, label, "en"));
    }

    private List<StoredInvoice> invoicesTo(String phone) {
        return db.list("SELECT id, channel, api_ref, amount, wallet_id, environment, state, created_at FROM invoices"
                + " WHERE phone = ? ORDER BY created_at", row -> new StoredInvoice(row.getString(1), row.getString(2),
                        row.getString(3), row.getBigDecimal(4), row.getString(5), row.getString(6), row.getString(7),
                        Db.instant(row, "created_at")), phone);
    }

    private String settlementWalletId(String merchantId) {
        return merchants.findSettlementWallet(merchantId, Environment.TEST).orElseThrow().id();
    }

    private Instant availableAt(String invoiceId) {
        return db.one("SELECT available_at FROM push_jobs WHERE invoice_id = ?", row -> Db.instant(row, "available_at"),
                invoiceId).orElseThrow();
    }

    private Instant firstTryAt(String invoiceId) {
        return db.one("SELECT first_try_at FROM push_jobs WHERE invoice_id = ?", row -> Db.instant(row, "first_try_at"),
                invoiceId).orElseThrow();
    }

    private Optional<String> confirmedInvoice(String session) {
        return db.one("SELECT invoice_id FROM ussd_confirmations WHERE session_id = ?", row -> row.getString(1), session);
    }

    private int pushCount(String phone) {
        return (int) simulator.receivedPushes().stream()
                .filter(body -> phone.equals(body.path("PhoneNumber").asText()))
                .count();
    }

    private JsonNode awaitPush(String phone) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (simulator.lastPushTo(phone).isEmpty() && System.currentTimeMillis() < deadline) {
            sleep(100);
        }
        return simulator.lastPushTo(phone).orElseThrow(() -> new AssertionError("no push to " + phone + " in 15 s"));
    }

    private String awaitReceipt(String phone, String prefix) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            Optional<String> receipt = smsSimulator.receivedMessages().stream()
                    .filter(message -> message.to().equals(phone) && message.message().startsWith(prefix))
                    .map(AfricasTalkingSimulator.ReceivedMessage::message).findFirst();
            if (receipt.isPresent()) {
                return receipt.get();
            }
            sleep(100);
        }
        throw new AssertionError("no receipt SMS to " + phone + " in 15 s");
    }

    private void awaitState(String invoiceId, String state) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!state.equals(currentState(invoiceId)) && System.currentTimeMillis() < deadline) {
            sleep(100);
        }
        assertThat(currentState(invoiceId)).as("state of " + invoiceId).isEqualTo(state);
    }

    private String currentState(String invoiceId) {
        return db.one("SELECT state FROM invoices WHERE id = ?", row -> row.getString(1), invoiceId).orElseThrow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
