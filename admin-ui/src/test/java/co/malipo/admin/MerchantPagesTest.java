package co.malipo.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import co.malipo.admin.auth.Role;
import co.malipo.admin.auth.UserService;
import co.malipo.core.invoice.Channel;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.ledger.LedgerRepository;
import co.malipo.core.merchant.ApiKeys;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class MerchantPagesTest {

    private static final Pattern MERCHANT_LOCATION = Pattern.compile("/merchants/(MRC_[0-9A-Z]+)\\?");
    private static final Pattern TEST_SECRET_KEY = Pattern.compile("ISSecretKey_test_[0-9A-Za-z]{32}");
    private static final Pattern LIVE_PUBLIC_KEY = Pattern.compile("ISPubKey_live_[0-9A-Za-z]{32}");
    private static final Pattern SIGNING_SECRET = Pattern.compile("whsec_[0-9A-Za-z+/=_-]{16,}");

    @Inject
    UserService users;
    @Inject
    TestInvoices data;
    @Inject
    LedgerRepository ledger;
    @Inject
    Db db;

    @Test
    void createShowsKeysOnce() {
        String admin = TestUsers.create(users, Role.ADMIN, "mcreate");
        StaffSession session = StaffSession.signIn(admin, TestUsers.PASSWORD);
        session.get("/merchants").then().statusCode(200);
        Response created = session.post("/merchants", Map.of("name", "Kibanda Fresh", "sms_receipts_for_api", "on"));
        assertThat(created.statusCode()).isEqualTo(303);
        String location = created.header("Location");
        String merchantId = merchantId(location);

        String firstLoad = session.get(location).asString();
        Matcher secret = TEST_SECRET_KEY.matcher(firstLoad);
        assertThat(secret.find()).as("the new test secret key is shown").isTrue();
        String key = secret.group();
        assertThat(storedKeyOwner(ApiKeys.hash(key))).contains(merchantId);

        String secondLoad = session.get(location).asString();
        assertThat(secondLoad).doesNotContain(key);
        assertThat(TEST_SECRET_KEY.matcher(secondLoad).find()).isFalse();

        assertThat(db.one("SELECT sms_receipts_for_api FROM merchants WHERE id = ?", row -> row.getBoolean(1),
                merchantId)).contains(true);
        assertThat(db.one("SELECT count(*) FROM api_keys WHERE merchant_id = ?", row -> row.getInt(1), merchantId))
                .contains(4);
        assertThat(auditActions(merchantId, admin)).containsExactly("MERCHANT_CREATED");
    }

    @Test
    void secretTicketIsOnlyForItsCreator() {
        String admin = TestUsers.create(users, Role.ADMIN, "mticket");
        StaffSession session = StaffSession.signIn(admin, TestUsers.PASSWORD);
        session.get("/merchants");
        String location = session.post("/merchants", Map.of("name", "Ticket Traders")).header("Location");

        StaffSession other = StaffSession.signIn(TestUsers.create(users, Role.ADMIN, "mticket"), TestUsers.PASSWORD);
        assertThat(TEST_SECRET_KEY.matcher(other.get(location).asString()).find()).isFalse();
        assertThat(TEST_SECRET_KEY.matcher(session.get(location).asString()).find())
                .as("the creator still sees the keys once").isTrue();
    }

    @Test
    void nameWithMarkupIsEscaped() {
        String name = "Duka \"Bora\" & <script>alert(1)</script>";
        NewMerchant merchant = data.merchant(name);
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.ADMIN, "mescape"), TestUsers.PASSWORD);

        String page = session.get("/merchants/" + merchant.merchantId()).asString();
        assertThat(page).doesNotContain("<script>alert(1)</script>");
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(page).contains("value=\"Duka &quot;Bora&quot; &amp; &lt;script&gt;");

        String list = session.get("/merchants?q=Bora").asString();
        assertThat(list).doesNotContain("<script>alert(1)</script>");
        assertThat(list).contains(merchant.merchantId());
    }

    @Test
    void searchMatchesNamePartAndId() {
        NewMerchant merchant = data.merchant("Searchable Hardware 50%_off");
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "msearch"),
                TestUsers.PASSWORD);
        assertThat(session.get("/merchants?q=HARDWARE").asString()).contains(merchant.merchantId());
        assertThat(session.get("/merchants?q=50%_off").asString()).contains(merchant.merchantId());
        assertThat(session.get("/merchants?q=" + merchant.merchantId()).asString()).contains("Searchable Hardware");
        assertThat(session.get("/merchants?q=50%off").asString()).as("% matches itself, not any text")
                .doesNotContain(merchant.merchantId());
    }

    @Test
    void editWritesBeforeAndAfter() {
        NewMerchant merchant = data.merchant("Old Name Grocers");
        String admin = TestUsers.create(users, Role.ADMIN, "medit");
        StaffSession session = StaffSession.signIn(admin, TestUsers.PASSWORD);
        session.get("/merchants/" + merchant.merchantId());
        Response edited = session.post("/merchants/" + merchant.merchantId(),
                Map.of("name", "New Name Grocers", "sms_receipts_for_api", "on"));
        assertThat(edited.statusCode()).isEqualTo(303);

        assertThat(db.one("SELECT name FROM merchants WHERE id = ?", row -> row.getString(1), merchant.merchantId()))
                .contains("New Name Grocers");
        String before = auditColumn(merchant.merchantId(), "MERCHANT_EDITED", "before_state");
        String after = auditColumn(merchant.merchantId(), "MERCHANT_EDITED", "after_state");
        assertThat(before).contains("\"Old Name Grocers\"").contains("\"sms_receipts_for_api\": false");
        assertThat(after).contains("\"New Name Grocers\"").contains("\"sms_receipts_for_api\": true");
    }

    @Test
    void blankNameIsRejected() {
        NewMerchant merchant = data.merchant("Kept Name Stores");
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.ADMIN, "mblank"), TestUsers.PASSWORD);
        session.get("/merchants/" + merchant.merchantId());
        Response response = session.post("/merchants/" + merchant.merchantId(), Map.of("name", "   "));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.asString()).contains("name: Enter the merchant");
        assertThat(db.one("SELECT name FROM merchants WHERE id = ?", row -> row.getString(1), merchant.merchantId()))
                .contains("Kept Name Stores");
    }

    @Test
    void financeAndSupportCannotChange() {
        NewMerchant merchant = data.merchant("Read Only Ventures");
        String path = "/merchants/" + merchant.merchantId();
        StaffSession finance = StaffSession.signIn(TestUsers.create(users, Role.FINANCE, "mro"), TestUsers.PASSWORD);
        String page = finance.get(path).asString();
        assertThat(page).contains("Read Only Ventures");
        assertThat(page).doesNotContain("id=\"create-key\"").doesNotContain("id=\"edit-merchant\"")
                .doesNotContain("name=\"key\"");
        assertThat(finance.post(path + "/keys", Map.of("environment", "TEST", "kind", "SECRET")).statusCode())
                .isEqualTo(403);
        assertThat(finance.post(path + "/keys/revoke", Map.of("key", ApiKeys.hash(merchant.testSecretKey())))
                .statusCode()).isEqualTo(403);

        StaffSession support = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "mro"), TestUsers.PASSWORD);
        support.get(path).then().statusCode(200);
        assertThat(support.post(path, Map.of("name", "Hijacked")).statusCode()).isEqualTo(403);
        assertThat(support.post("/merchants", Map.of("name", "Support Made This")).statusCode()).isEqualTo(403);
        assertThat(support.post(path + "/businesses", Map.of("business_number", "77109", "environment", "TEST",
                "display_name", "Nope", "default_language", "en")).statusCode()).isEqualTo(403);

        assertThat(db.one("SELECT name FROM merchants WHERE id = ?", row -> row.getString(1), merchant.merchantId()))
                .contains("Read Only Ventures");
        assertThat(db.one("SELECT count(*) FROM api_keys WHERE merchant_id = ? AND revoked_at IS NULL",
                row -> row.getInt(1), merchant.merchantId())).contains(4);
        assertThat(db.one("SELECT count(*) FROM merchants WHERE name = 'Support Made This'", row -> row.getInt(1)))
                .contains(0);
    }

    @Test
    void postWithoutCsrfTokenIsRejected() {
        NewMerchant merchant = data.merchant("Csrf Checked Shop");
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.ADMIN, "mcsrf"), TestUsers.PASSWORD);
        String path = "/merchants/" + merchant.merchantId();
        session.get(path);
        assertThat(session.postWithoutToken(path, Map.of("name", "Forged")).statusCode()).isEqualTo(400);
        assertThat(session.postWithoutToken(path + "/keys/revoke", Map.of("key",
                ApiKeys.hash(merchant.testSecretKey()))).statusCode()).isEqualTo(400);
        assertThat(db.one("SELECT name FROM merchants WHERE id = ?", row -> row.getString(1), merchant.merchantId()))
                .contains("Csrf Checked Shop");
        assertThat(db.one("SELECT revoked_at IS NULL FROM api_keys WHERE key_hash = ?", row -> row.getBoolean(1),
                ApiKeys.hash(merchant.testSecretKey()))).contains(true);
    }

    @Test
    void rotateRevokesOldKeyAndShowsNewOnce() {
        NewMerchant merchant = data.merchant("Rotating Keys Ltd");
        String admin = TestUsers.create(users, Role.ADMIN, "mrotate");
        StaffSession session = StaffSession.signIn(admin, TestUsers.PASSWORD);
        String path = "/merchants/" + merchant.merchantId();
        String oldHash = ApiKeys.hash(merchant.testSecretKey());
        session.get(path);

        Response rotated = session.post(path + "/keys/rotate", Map.of("key", oldHash));
        assertThat(rotated.statusCode()).isEqualTo(303);
        String location = rotated.header("Location");
        Matcher shown = TEST_SECRET_KEY.matcher(session.get(location).asString());
        assertThat(shown.find()).isTrue();
        String newKey = shown.group();
        assertThat(newKey).isNotEqualTo(merchant.testSecretKey());
        assertThat(TEST_SECRET_KEY.matcher(session.get(location).asString()).find()).as("second load").isFalse();

        assertThat(db.one("SELECT revoked_at IS NOT NULL FROM api_keys WHERE key_hash = ?", row -> row.getBoolean(1),
                oldHash)).contains(true);
        assertThat(db.one("SELECT revoked_at IS NULL FROM api_keys WHERE key_hash = ? AND merchant_id = ?",
                row -> row.getBoolean(1), ApiKeys.hash(newKey), merchant.merchantId())).contains(true);

        Response again = session.post(path + "/keys/rotate", Map.of("key", oldHash));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.asString()).contains("already revoked");

        session.post(path + "/keys/revoke", Map.of("key", ApiKeys.hash(newKey))).then().statusCode(303);
        assertThat(db.one("SELECT revoked_at IS NOT NULL FROM api_keys WHERE key_hash = ?", row -> row.getBoolean(1),
                ApiKeys.hash(newKey))).contains(true);
        assertThat(auditActions(merchant.merchantId(), admin)).containsExactly("API_KEY_ROTATED", "API_KEY_REVOKED");
        assertThat(auditColumn(merchant.merchantId(), "API_KEY_ROTATED", "after_state")).doesNotContain(newKey)
                .contains(ApiKeys.displayPrefix(newKey));
    }

    @Test
    void createKeyShowsItOnce() {
        NewMerchant merchant = data.merchant("New Key Outlet");
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.ADMIN, "mnewkey"), TestUsers.PASSWORD);
        String path = "/merchants/" + merchant.merchantId();
        session.get(path);
        Response created = session.post(path + "/keys", Map.of("environment", "LIVE", "kind", "PUBLIC"));
        assertThat(created.statusCode()).isEqualTo(303);
        Matcher shown = LIVE_PUBLIC_KEY.matcher(session.get(created.header("Location")).asString());
        assertThat(shown.find()).isTrue();
        assertThat(db.one("SELECT kind || ' ' || environment FROM api_keys WHERE key_hash = ?",
                row -> row.getString(1), ApiKeys.hash(shown.group()))).contains("PUBLIC LIVE");

        Response invalid = session.post(path + "/keys", Map.of("environment", "STAGING", "kind", "SECRET"));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.asString()).contains("environment: Choose TEST or LIVE.");
    }

    @Test
    void businessNumbersAddEditRemove() {
        NewMerchant merchant = data.merchant("Numbers Kiosk");
        NewMerchant rival = data.merchant("Rival Kiosk");
        String admin = TestUsers.create(users, Role.ADMIN, "mbiz");
        StaffSession session = StaffSession.signIn(admin, TestUsers.PASSWORD);
        String path = "/merchants/" + merchant.merchantId();
        session.get(path);

        session.post(path + "/businesses", Map.of("business_number", "77101", "environment", "TEST",
                "display_name", "Numbers Kiosk", "needs_reference", "on", "reference_label", "Meter number",
                "default_language", "sw")).then().statusCode(303);
        assertThat(db.one("SELECT display_name || '|' || needs_reference || '|' || reference_label || '|'"
                + " || default_language FROM channel_businesses WHERE business_number = '77101'",
                row -> row.getString(1))).contains("Numbers Kiosk|true|Meter number|sw");

        Response taken = session.post("/merchants/" + rival.merchantId() + "/businesses", Map.of("business_number",
                "77101", "environment", "TEST", "display_name", "Rival", "default_language", "en"));
        assertThat(taken.statusCode()).isEqualTo(400);
        assertThat(taken.asString()).contains("Business number 77101 is taken by merchant " + merchant.merchantId());

        Response invalid = session.post(path + "/businesses", Map.of("business_number", "12", "environment", "TEST",
                "display_name", "", "default_language", "fr"));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.asString()).contains("business_number: Enter 3 to 7 digits")
                .contains("display_name: Enter the name").contains("default_language: Choose en");

        session.post(path + "/businesses/77101", Map.of("display_name", "Numbers Kiosk Ltd", "reference_label", "",
                "default_language", "en")).then().statusCode(303);
        assertThat(db.one("SELECT display_name || '|' || needs_reference || '|' || coalesce(reference_label, '-')"
                + " || '|' || default_language FROM channel_businesses WHERE business_number = '77101'",
                row -> row.getString(1))).contains("Numbers Kiosk Ltd|false|-|en");
        assertThat(auditColumn("77101", "BUSINESS_NUMBER_EDITED", "before_state")).contains("\"Meter number\"");

        session.post(path + "/businesses/77101/remove", Map.of()).then().statusCode(303);
        assertThat(db.one("SELECT count(*) FROM channel_businesses WHERE business_number = '77101'",
                row -> row.getInt(1))).contains(0);
        assertThat(auditActions("77101", admin)).containsExactly("BUSINESS_NUMBER_ADDED", "BUSINESS_NUMBER_EDITED",
                "BUSINESS_NUMBER_REMOVED");
    }

    @Test
    void usedBusinessNumberIsKept() {
        NewMerchant merchant = data.merchant("Busy Till Shop");
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.ADMIN, "mused"), TestUsers.PASSWORD);
        String path = "/merchants/" + merchant.merchantId();
        session.get(path);
        session.post(path + "/businesses", Map.of("business_number", "77102", "environment", "TEST",
                "display_name", "Busy Till", "default_language", "en")).then().statusCode(303);
        data.parked(merchant.merchantId(), Channel.USSD, "254744000001", "USSD 77102", 120);

        Response removed = session.post(path + "/businesses/77102/remove", Map.of());
        assertThat(removed.statusCode()).isEqualTo(400);
        assertThat(removed.asString()).contains("cannot be removed");
        assertThat(db.one("SELECT count(*) FROM channel_businesses WHERE business_number = '77102'",
                row -> row.getInt(1))).contains(1);
    }

    @Test
    void webhookEndpointLifecycle() {
        NewMerchant merchant = data.merchant("Hooked Merchant");
        String admin = TestUsers.create(users, Role.ADMIN, "mhook");
        StaffSession session = StaffSession.signIn(admin, TestUsers.PASSWORD);
        String path = "/merchants/" + merchant.merchantId();
        session.get(path);

        Response live = session.post(path + "/endpoints", Map.of("environment", "LIVE", "url",
                "http://127.0.0.1:9/hook"));
        assertThat(live.statusCode()).isEqualTo(400);
        assertThat(live.asString()).contains("endpoint: ");

        Response created = session.post(path + "/endpoints", Map.of("environment", "TEST", "url",
                "http://127.0.0.1:9/hook"));
        assertThat(created.statusCode()).isEqualTo(303);
        String location = created.header("Location");
        Matcher secret = SIGNING_SECRET.matcher(session.get(location).asString());
        assertThat(secret.find()).isTrue();
        assertThat(session.get(location).asString()).doesNotContain(secret.group());
        String endpointId = db.one("SELECT id FROM webhook_endpoints WHERE merchant_id = ?", row -> row.getString(1),
                merchant.merchantId()).orElseThrow();
        assertThat(db.one("SELECT signing_secret FROM webhook_endpoints WHERE id = ?", row -> row.getString(1),
                endpointId)).contains(secret.group());

        session.post(path + "/endpoints/" + endpointId + "/disable", Map.of()).then().statusCode(303);
        assertThat(endpointActive(endpointId)).isFalse();
        session.post(path + "/endpoints/" + endpointId + "/enable", Map.of()).then().statusCode(303);
        assertThat(endpointActive(endpointId)).isTrue();
        session.post(path + "/endpoints/" + endpointId + "/delete", Map.of()).then().statusCode(303);
        assertThat(db.one("SELECT deleted_at IS NOT NULL FROM webhook_endpoints WHERE id = ?",
                row -> row.getBoolean(1), endpointId)).contains(true);
        assertThat(auditActions(endpointId, admin)).containsExactly("WEBHOOK_ENDPOINT_CREATED",
                "WEBHOOK_ENDPOINT_DISABLED", "WEBHOOK_ENDPOINT_ENABLED", "WEBHOOK_ENDPOINT_DELETED");
        assertThat(auditColumn(endpointId, "WEBHOOK_ENDPOINT_CREATED", "after_state")).doesNotContain(secret.group());

        StaffSession finance = StaffSession.signIn(TestUsers.create(users, Role.FINANCE, "mhook"),
                TestUsers.PASSWORD);
        finance.get(path);
        assertThat(finance.post(path + "/endpoints", Map.of("environment", "TEST", "url", "http://127.0.0.1:9/x"))
                .statusCode()).isEqualTo(403);
    }

    @Test
    void walletsShowLedgerTotals() {
        NewMerchant merchant = data.merchant("Ledger Checked Store");
        Invoice invoice = data.parked(merchant.merchantId(), Channel.API, "254744000002", "wallet-check", 1000);
        QuarkusTransaction.requiringNew().run(() -> ledger.creditCollection(invoice, Instant.now()));
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "mwallet"),
                TestUsers.PASSWORD);
        String path = "/merchants/" + merchant.merchantId();

        String page = session.get(path).asString();
        String net = String.format(java.util.Locale.ROOT, "%,.2f", invoice.netAmount());
        assertThat(page).contains("KES " + net);
        assertThat(page).doesNotContain("differs from the balance");

        QuarkusTransaction.requiringNew().run(() -> db.update("UPDATE wallets SET balance = balance + 1 WHERE id = ?",
                invoice.walletId()));
        assertThat(session.get(path).asString()).contains("differs from the balance");
    }

    private static String merchantId(String location) {
        Matcher matcher = MERCHANT_LOCATION.matcher(location);
        assertThat(matcher.find()).as("redirect to the merchant page: " + location).isTrue();
        return matcher.group(1);
    }

    private java.util.Optional<String> storedKeyOwner(String hash) {
        return db.one("SELECT merchant_id FROM api_keys WHERE key_hash = ?", row -> row.getString(1), hash);
    }

    private boolean endpointActive(String endpointId) {
        return db.one("SELECT is_active FROM webhook_endpoints WHERE id = ?", row -> row.getBoolean(1), endpointId)
                .orElseThrow();
    }

    private List<String> auditActions(String subjectId, String actor) {
        return db.list("SELECT action FROM audit_log WHERE subject_id = ? AND actor = ? ORDER BY id",
                row -> row.getString(1), subjectId, actor);
    }

    private String auditColumn(String subjectId, String action, String column) {
        return db.one("SELECT " + column + "::text FROM audit_log WHERE subject_id = ? AND action = ? ORDER BY id"
                + " DESC LIMIT 1", row -> row.getString(1), subjectId, action).orElseThrow();
    }
}
