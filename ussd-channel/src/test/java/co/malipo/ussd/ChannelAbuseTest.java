package co.malipo.ussd;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import co.malipo.core.channel.ChannelBusinessRepository;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantService;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.simulator.AfricasTalkingSimulator;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Tuple;
import net.jqwik.api.sessions.JqwikSession;

/**
 * Hostile USSD and SMS input over real HTTP: fuzzed {@code text} fields from jqwik arbitraries
 * under fixed seeds, the per-phone limits, and a scan of the app's log for phone numbers and
 * secrets. The log scan runs last and reads everything the other tests of this class logged.
 */
@QuarkusTest
@TestProfile(ChannelAbuseTest.FileLog.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChannelAbuseTest {

    static final Path LOG_FILE = Path.of("target", "log-scan", "ussd-channel.log");
    static final String TOKEN = "test-inbound-token-not-a-secret";
    static final int USSD_TEXTS = 500;
    static final int SMS_TEXTS = 150;

    public static class FileLog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG_FILE.toString(),
                    "quarkus.log.file.level", "ALL",
                    "quarkus.log.category.\"co.malipo\".level", "DEBUG");
        }
    }

    @Inject
    MerchantService merchantService;
    @Inject
    ChannelBusinessRepository businesses;
    @Inject
    AfricasTalkingSimulator smsSimulator;
    @Inject
    Db db;

    @Test
    @Order(1)
    void fuzzedUssdTextGetsScreen() {
        addBusiness("7301", "Fuzz Duka", false);
        addBusiness("7302", "Fuzz Meter", true);
        Arbitrary<String> input = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("1", "2", "3", "0", "00", "7301", "7302", "100", "150000", "150001", "9", "")),
                Tuple.of(2, Arbitraries.strings().numeric().ofMaxLength(12)),
                Tuple.of(2, hostileText()));
        Arbitrary<String> texts = input.list().ofMaxSize(12).map(inputs -> String.join("*", inputs));
        int index = 0;
        for (String text : draw(texts, USSD_TEXTS, 7001L)) {
            String phone = String.format("+2547120030%02d", index % 100);
            String reply = ussd("ATUid_fuzz_" + index, phone, text);
            assertThat(reply).as("reply to %s", text).matches("(?s)(CON|END) .+");
            assertThat(reply).as("no failure hidden behind the reply to %s", text).isNotEqualTo(UssdResource.UNAVAILABLE);
            assertThat(reply.length()).as("screen length for %s", text).isLessThanOrEqualTo(160);
            index++;
        }
        System.out.printf("ChannelAbuseTest USSD: %d texts tried%n", USSD_TEXTS);
    }

    @Test
    @Order(2)
    void fuzzedSmsTextGetsOneReply() {
        addBusiness("7303", "Fuzz SMS Duka", false);
        Arbitrary<String> pay = Arbitraries.strings().numeric().ofMaxLength(8)
                .map(amount -> "PAY 7303 " + amount);
        Arbitrary<String> texts = Arbitraries.frequencyOf(Tuple.of(3, hostileText()), Tuple.of(1, pay),
                Tuple.of(1, Arbitraries.of("STATUS", "status ", "PAY", "PAY 7303", "PAY 9999 100", "pay 7303 100 ref")));
        List<String> ids = new ArrayList<>();
        int index = 0;
        for (String text : draw(texts, SMS_TEXTS, 7002L)) {
            String id = "ATXid_fuzz_" + index;
            String phone = String.format("+2547120031%02d", index % 50);
            assertThat(sms(id, phone, text)).as("status for %s", text).isEqualTo(200);
            ids.add(id);
            index++;
        }

        long deadline = System.currentTimeMillis() + 30_000;
        while (handled(ids) < ids.size() && System.currentTimeMillis() < deadline) {
            sleep(200);
        }
        assertThat(handled(ids)).as("every message stored once").isEqualTo(ids.size());
        // A message gets a plain reply, or creates an invoice whose first SMS announces the M-Pesa prompt.
        int replies = db.one("SELECT count(*) FROM sms_messages WHERE phone LIKE '2547120031%' AND invoice_id IS NULL",
                row -> row.getInt(1)).orElseThrow();
        int invoices = db.one("SELECT count(*) FROM invoices WHERE phone LIKE '2547120031%' AND channel = 'SMS'",
                row -> row.getInt(1)).orElseThrow();
        assertThat(replies + invoices).as("one reply or one invoice per message").isEqualTo(ids.size());
        System.out.printf("ChannelAbuseTest SMS: %d texts tried%n", SMS_TEXTS);
    }

    @Test
    @Order(3)
    void tooManyInputsEndsSession() {
        String reply = ussd("ATUid_long_1", "+254712003200", "1*".repeat(UssdResource.MAX_INPUTS) + "1");
        int huge = given().contentType("application/x-www-form-urlencoded")
                .formParam("sessionId", "ATUid_long_2").formParam("phoneNumber", "+254712003200")
                .formParam("text", "1*".repeat(50_000)).when().post(UssdFlowTest.USSD_PATH).statusCode();

        assertThat(reply).isEqualTo(UssdResource.TOO_MANY_INPUTS);
        assertThat(huge).as("a form field over the server's limit").isBetween(400, 499);
    }

    @Test
    @Order(4)
    void ussdLimitedPerPhone() {
        String phone = "+254712003201";
        for (int i = 0; i < 60; i++) {
            assertThat(ussd("ATUid_limit_" + i, phone, "")).startsWith("CON ");
        }

        String limited = ussd("ATUid_limit_60", phone, "");

        assertThat(limited).startsWith("END Too many requests. Please try again in 1 min.");
        assertThat(ussd("ATUid_limit_other", "+254712003202", "")).as("another phone").startsWith("CON ");
    }

    @Test
    @Order(5)
    void smsLimitedPerPhone() {
        String phone = "+254712003203";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            ids.add("ATXid_limit_" + i);
            assertThat(sms(ids.get(i), phone, "STATUS")).isEqualTo(200);
        }

        long deadline = System.currentTimeMillis() + 10_000;
        while (handled(ids) < 10 && System.currentTimeMillis() < deadline) {
            sleep(200);
        }
        sleep(500);

        assertThat(handled(ids)).as("messages handled; the 11th is dropped").isEqualTo(10);
    }

    @Test
    @Order(6)
    void payFlowLogsNoPhoneOrSecret() throws Exception {
        addBusiness("7304", "Log Scan Duka", false);
        String ussdPhone = "+254712003301";
        String smsPhone = "+254712003302";
        ussd("ATUid_scan_1", ussdPhone, "1*7304*100");
        ussd("ATUid_scan_1", ussdPhone, "1*7304*100*1");
        sms("ATXid_scan_1", smsPhone, "PAY 7304 120");
        sms("ATXid_scan_2", smsPhone, "STATUS");
        ussd("ATUid_scan_2", "0712003303", "");
        ussd("ATUid_scan_3", "not-a-phone-0712003304", "");
        sms("ATXid_scan_3", "0712003305", "PAY 9999 100 0712003306");
        awaitSmsStartingWith("+254712003301", "Paid ");
        awaitSmsStartingWith("+254712003302", "Paid ");

        String log = Files.readString(LOG_FILE, StandardCharsets.UTF_8);
        assertThat(log).as("the flow was logged").contains("Inbound SMS ATXid_scan_1");
        for (String subscriber : List.of("712003301", "712003302", "712003303", "712003304", "712003305",
                "712003306", "712003201", "712003203")) {
            assertThat(log).as("phone %s in any form", subscriber).doesNotContain(subscriber);
        }
        for (String secret : List.of(TOKEN, "simulator-at-api-key-not-a-secret")) {
            assertThat(log).as("a secret").doesNotContain(secret);
        }
        assertThat(log).doesNotContainPattern("2547\\d{8}").doesNotContain("Bearer ").doesNotContain("Basic ");
    }

    /** Strings that often break parsers: SQL, CRLF, separators of the USSD text, long runs and odd Unicode. */
    private static Arbitrary<String> hostileText() {
        return Arbitraries.oneOf(
                Arbitraries.of("' OR '1'='1", "'; DROP TABLE invoices; --", "\r\nEND hacked", "*", "**", "#", "*#",
                        "\u0000", "\uFFFF", "\uD83D\uDE00", "\u202E", "9".repeat(1000), "%2A", "+", "-1", "1e3",
                        "PAY 7303 100\r\nSTATUS", "PAY 7303 ' OR 1=1 --", "0712345678"),
                Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().ascii().ofMaxLength(40));
    }

    private static <T> List<T> draw(Arbitrary<T> arbitrary, int count, long seed) {
        // Arbitraries need a jqwik session outside the jqwik engine; the values come from our own Random.
        JqwikSession.start();
        try {
            Random random = new Random(seed);
            RandomGenerator<T> generator = arbitrary.generator(1000, true);
            List<T> values = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                values.add(generator.next(random).value());
            }
            return values;
        } finally {
            JqwikSession.finish();
        }
    }

    private String ussd(String session, String phone, String text) {
        Response response = given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("sessionId", session).formParam("serviceCode", "*384*5#")
                .formParam("phoneNumber", phone).formParam("text", text).formParam("networkCode", "63902")
                .when().post(UssdFlowTest.USSD_PATH);
        assertThat(response.statusCode()).as("status for %s", text).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        return response.asString();
    }

    private int sms(String id, String from, String text) {
        return given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("from", from).formParam("to", "40404").formParam("text", text)
                .formParam("date", "2026-12-04 10:00:00").formParam("id", id).formParam("linkId", "link-" + id)
                .formParam("networkCode", "63902")
                .when().post("/sms/inbound/" + TOKEN).statusCode();
    }

    private int handled(List<String> ids) {
        return db.one("SELECT count(*) FROM sms_inbound WHERE message_id = ANY (string_to_array(?, ','))",
                row -> row.getInt(1), String.join(",", ids)).orElseThrow();
    }

    private void addBusiness(String number, String name, boolean needsReference) {
        NewMerchant merchant = merchantService.createMerchant(name + " Ltd", "default");
        QuarkusTransaction.requiringNew().run(() -> businesses.insert(number, merchant.merchantId(), Environment.TEST,
                name, needsReference, needsReference ? "Meter number" : null, "en"));
    }

    private void awaitSmsStartingWith(String phone, String prefix) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            boolean found = smsSimulator.receivedMessages().stream()
                    .anyMatch(message -> message.to().equals(phone) && message.message().startsWith(prefix));
            if (found) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError("no SMS to " + phone + " starting with " + prefix + " in 20 s");
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
