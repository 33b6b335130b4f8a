package co.malipo.ussd;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import co.malipo.core.channel.ChannelBusinessRepository;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantService;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.simulator.AfricasTalkingSimulator;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Posts inbound SMS over real HTTP, with invoices in PostgreSQL, pushes to the Daraja simulator and
 * replies to the Africa's Talking simulator. Each test uses its own phones and business numbers.
 */
@QuarkusTest
class SmsInboundTest {

    static final String TOKEN = "test-inbound-token-not-a-secret";

    @Inject
    MerchantService merchantService;
    @Inject
    ChannelBusinessRepository businesses;
    @Inject
    AfricasTalkingSimulator smsSimulator;
    @Inject
    Db db;

    @Test
    void payPostedTwiceCreatesOneInvoice() {
        addBusiness("6001", "Duka La SMS");
        String phone = "+254700000031";

        assertThat(post(TOKEN, "ATXid_pay_0031", phone, "  pay   6001  500 ")).isEqualTo(200);
        assertThat(post(TOKEN, "ATXid_pay_0031", phone, "  pay   6001  500 ")).isEqualTo(200);

        String prompt = awaitMessage(phone, "You will get an M-Pesa prompt");
        assertThat(prompt).isEqualTo("You will get an M-Pesa prompt to pay KES 500 to Duka La SMS."
                + " Enter your M-Pesa PIN to complete.");
        sleep(500);
        assertThat(invoiceCount("254700000031")).isEqualTo(1);
        assertThat(db.one("SELECT channel FROM invoices WHERE phone = ?", row -> row.getString(1), "254700000031"))
                .contains("SMS");
        assertThat(db.one("SELECT api_ref FROM invoices WHERE phone = ?", row -> row.getString(1), "254700000031"))
                .contains("SMS 6001");

        String receipt = awaitMessage(phone, "Paid ");
        String mpesaReceipt = db.one("SELECT mpesa_reference FROM invoices WHERE phone = ?", row -> row.getString(1),
                "254700000031").orElseThrow();
        assertThat(receipt).startsWith("Paid KES 500 to Duka La SMS Ltd. M-Pesa receipt " + mpesaReceipt + ".");
        assertThat(receipt.length()).isLessThanOrEqualTo(160);
        assertThat(messagesTo(phone)).as("messages to the payer").hasSize(2);
    }

    @Test
    void wrongTokenIsNotFound() {
        addBusiness("6002", "Token Shop");

        assertThat(post("wrong-token", "ATXid_token_0032", "+254700000032", "PAY 6002 500")).isEqualTo(404);

        sleep(1000);
        assertThat(invoiceCount("254700000032")).isZero();
        assertThat(db.one("SELECT count(*) FROM sms_inbound WHERE message_id = ?", row -> row.getInt(1),
                "ATXid_token_0032")).contains(0);
        assertThat(messagesTo("+254700000032")).isEmpty();
    }

    @Test
    void statusRepliesBySms() {
        String phone = "+254700000033";

        assertThat(post(TOKEN, "ATXid_status_0033", phone, "status")).isEqualTo(200);

        assertThat(awaitMessage(phone, "")).isEqualTo("You have no payments yet.");
    }

    @Test
    void badAmountGetsHelpAndNoInvoice() {
        addBusiness("6004", "Amount Shop");
        String phone = "+254700000034";

        assertThat(post(TOKEN, "ATXid_amount_0034", phone, "PAY 6004 abc")).isEqualTo(200);
        assertThat(awaitMessage(phone, "")).startsWith("Invalid amount abc. Enter 10 to 150,000. To pay send: PAY");

        assertThat(post(TOKEN, "ATXid_amount_0034b", phone, "PAY 6004 5")).isEqualTo(200);
        assertThat(awaitMessage(phone, "Amount out of range")).startsWith("Amount out of range. Enter 10 to 150,000.");

        assertThat(post(TOKEN, "ATXid_help_0034", phone, "hello")).isEqualTo(200);
        assertThat(awaitMessage(phone, "To pay send")).isEqualTo(SmsCommands.HELP);
        assertThat(invoiceCount("254700000034")).isZero();
    }

    @Test
    void cancelledPaymentGetsFailureReceipt() {
        addBusiness("6005", "Fail Shop");
        String phone = "+254700101032";

        assertThat(post(TOKEN, "ATXid_fail_0035", phone, "PAY 6005 200")).isEqualTo(200);

        String receipt = awaitMessage(phone, "Payment of");
        assertThat(receipt).startsWith("Payment of KES 200 to Fail Shop Ltd failed: ");
        assertThat(receipt).endsWith("You were not charged.");
        assertThat(receipt.length()).isLessThanOrEqualTo(160);
    }

    @Test
    void kiswahiliBusinessGetsKiswahiliReplies() {
        NewMerchant merchant = merchantService.createMerchant("Duka la SMS Sw Ltd", "default");
        QuarkusTransaction.requiringNew().run(() -> businesses.insert("6006", merchant.merchantId(), Environment.TEST,
                "Duka la SMS Sw", false, null, "sw"));
        String phone = "+254700000036";

        assertThat(post(TOKEN, "ATXid_sw_0036a", phone, "PAY 6006 abc")).isEqualTo(200);
        String invalid = awaitMessage(phone, "Kiasi");
        assertThat(invalid).startsWith("Kiasi abc si sahihi. Weka 10 hadi 150,000. Kulipa tuma: PAY");
        assertThat(invalid.length()).isLessThanOrEqualTo(160);

        assertThat(post(TOKEN, "ATXid_sw_0036", phone, "PAY 6006 400")).isEqualTo(200);
        assertThat(awaitMessage(phone, "Utapokea")).isEqualTo("Utapokea ombi la M-Pesa la kulipa KES 400 kwa Duka la SMS Sw."
                + " Weka PIN yako ya M-Pesa ili kukamilisha.");

        String receipt = awaitMessage(phone, "Umelipa ");
        String mpesaReceipt = db.one("SELECT mpesa_reference FROM invoices WHERE phone = ?", row -> row.getString(1),
                "254700000036").orElseThrow();
        assertThat(receipt).startsWith("Umelipa KES 400 kwa Duka la SMS Sw Ltd. Risiti ya M-Pesa " + mpesaReceipt + ".");
        assertThat(receipt.length()).isLessThanOrEqualTo(160);
    }

    private int post(String token, String id, String from, String text) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("from", from).formParam("to", "40404").formParam("text", text)
                .formParam("date", "2026-12-04 10:00:00").formParam("id", id).formParam("linkId", "link-" + id)
                .formParam("networkCode", "63902")
                .when().post("/sms/inbound/" + token).statusCode();
    }

    private void addBusiness(String number, String name) {
        NewMerchant merchant = merchantService.createMerchant(name + " Ltd", "default");
        QuarkusTransaction.requiringNew().run(
                () -> businesses.insert(number, merchant.merchantId(), Environment.TEST, name, false, null, "en"));
    }

    private int invoiceCount(String phone) {
        return db.one("SELECT count(*) FROM invoices WHERE phone = ?", row -> row.getInt(1), phone).orElseThrow();
    }

    private List<String> messagesTo(String phone) {
        return smsSimulator.receivedMessages().stream().filter(message -> message.to().equals(phone))
                .map(AfricasTalkingSimulator.ReceivedMessage::message).toList();
    }

    /** Waits up to 20 s for a message to the phone that starts with {@code prefix}. */
    private String awaitMessage(String phone, String prefix) {
        Supplier<List<String>> matching = () -> messagesTo(phone).stream().filter(text -> text.startsWith(prefix))
                .toList();
        long deadline = System.currentTimeMillis() + 20_000;
        while (matching.get().isEmpty() && System.currentTimeMillis() < deadline) {
            sleep(100);
        }
        List<String> found = matching.get();
        assertThat(found).as("messages to %s starting with '%s': %s", phone, prefix, messagesTo(phone)).isNotEmpty();
        return found.get(found.size() - 1);
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
