package co.malipo.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import co.malipo.admin.auth.Role;
import co.malipo.admin.auth.UserService;
import co.malipo.core.merchant.ApiKeys;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class MerchantsPageTest {

    private static final Pattern SECRET_KEY = Pattern.compile("ISSecretKey_test_[0-9A-Za-z]{32}");

    @Inject
    UserService users;
    @Inject
    Db db;

    @Test
    void adminCreatesMerchantAndSeesKeysOnce() {
        String admin = TestUsers.create(users, Role.ADMIN, "merchantadmin");
        StaffSession session = StaffSession.signIn(admin, TestUsers.PASSWORD);
        session.get("/merchants");

        Response created = session.post("/merchants", Map.of("name", "O'Neil \"Duka\" <i>", "daraja_account",
                "default"));

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.getHeader("Cache-Control")).isEqualTo("no-store");
        String html = created.asString();
        assertThat(html).contains("O&#39;Neil &quot;Duka&quot; &lt;i&gt;").doesNotContain("<i>");
        Matcher secret = SECRET_KEY.matcher(html);
        assertThat(secret.find()).as("the test secret key is shown").isTrue();
        String merchantId = db.one("SELECT merchant_id FROM api_keys WHERE key_hash = ?", row -> row.getString(1),
                ApiKeys.hash(secret.group())).orElseThrow();
        assertThat(db.one("SELECT count(*) FROM api_keys WHERE merchant_id = ?", row -> row.getLong(1), merchantId))
                .contains(4L);

        String page = session.get("/merchants/" + merchantId).asString();
        assertThat(SECRET_KEY.matcher(page).find()).as("the secret is not shown again").isFalse();
        assertThat(page).contains("Settlement");
        assertThat(auditActions(admin)).contains("MERCHANT_CREATED");
    }

    @Test
    void keysCreateAndRevoke() {
        String admin = TestUsers.create(users, Role.ADMIN, "keyadmin");
        StaffSession session = StaffSession.signIn(admin, TestUsers.PASSWORD);
        String merchantId = createMerchant(session, "Key Rotation Shop");

        Response keys = session.post("/merchants/" + merchantId + "/keys", Map.of("environment", "TEST"));
        assertThat(keys.statusCode()).isEqualTo(200);
        Matcher secret = SECRET_KEY.matcher(keys.asString());
        assertThat(secret.find()).isTrue();
        String hash = ApiKeys.hash(secret.group());

        session.post("/merchants/" + merchantId + "/keys/" + hash + "/revoke", Map.of()).then().statusCode(303);

        assertThat(db.one("SELECT revoked_at IS NOT NULL FROM api_keys WHERE key_hash = ?", row -> row.getBoolean(1),
                hash)).contains(true);
        assertThat(auditActions(admin)).contains("KEYS_CREATED", "KEY_REVOKED");
    }

    @Test
    void businessNumbersWalletsAndEndpoints() {
        String admin = TestUsers.create(users, Role.ADMIN, "bizadmin");
        StaffSession session = StaffSession.signIn(admin, TestUsers.PASSWORD);
        String merchantId = createMerchant(session, "Business Number Shop");
        String base = "/merchants/" + merchantId;

        session.post(base + "/businesses", Map.of("business_number", "60417", "environment", "TEST",
                "display_name", "Biz Shop")).then().statusCode(303);
        session.get(base);
        Response duplicate = session.post(base + "/businesses", Map.of("business_number", "60417", "environment",
                "TEST", "display_name", "Other"));
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(duplicate.asString()).contains("already registered");

        session.post(base + "/wallets", Map.of("environment", "LIVE", "label", "Rent")).then().statusCode(303);
        session.get(base);
        Response endpoint = session.post(base + "/endpoints", Map.of("environment", "TEST", "url",
                "http://127.0.0.1:9/hook"));
        assertThat(endpoint.statusCode()).isEqualTo(200);
        assertThat(endpoint.asString()).contains("Signing secret of whk_");
        Response badUrl = session.post(base + "/endpoints", Map.of("environment", "LIVE", "url", "ftp://x"));
        assertThat(badUrl.statusCode()).isEqualTo(400);

        String page = session.get(base).asString();
        assertThat(page).contains("60417", "Rent", "http://127.0.0.1:9/hook");
        assertThat(auditActions(admin)).contains("BUSINESS_NUMBER_ADDED", "WALLET_CREATED",
                "WEBHOOK_ENDPOINT_CREATED");
    }

    @Test
    void financeReadsButCannotChange() {
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.FINANCE, "merchantfinance"),
                TestUsers.PASSWORD);
        String html = session.get("/merchants").then().statusCode(200).extract().asString();
        assertThat(html).doesNotContain("id=\"create-merchant\"");
        assertThat(session.post("/merchants", Map.of("name", "Not Allowed")).statusCode()).isEqualTo(403);
    }

    private String createMerchant(StaffSession session, String name) {
        session.get("/merchants");
        String html = session.post("/merchants", Map.of("name", name)).asString();
        Matcher id = Pattern.compile("Merchant id: <span class=\"secret\">(MRC_[0-9A-Z]+)</span>").matcher(html);
        assertThat(id.find()).as("merchant id in the response").isTrue();
        session.get("/merchants/" + id.group(1));
        return id.group(1);
    }

    private List<String> auditActions(String actor) {
        return db.list("SELECT action FROM audit_log WHERE actor = ? ORDER BY id", row -> row.getString(1), actor);
    }
}
