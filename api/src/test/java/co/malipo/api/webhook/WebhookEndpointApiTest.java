package co.malipo.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.api.TestMerchants;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Creating, reading, changing, deleting and rotating webhook endpoints over HTTP. */
@QuarkusTest
class WebhookEndpointApiTest {

    private static final String PUBLIC_URL = "https://203.0.113.10/hooks/malipo";
    private static final List<String> FLAGS = List.of("collection_event", "send_money_event", "reversal_event",
            "wallet_transfer_event", "subscription_event");

    @Inject
    TestMerchants testMerchants;
    @Inject
    Db db;

    NewMerchant merchant;
    NewMerchant other;

    @BeforeEach
    void createMerchants() {
        merchant = testMerchants.create("Webhook Shop");
        other = testMerchants.create("Other Webhook Shop");
    }

    @Test
    void crudRoundTrip() {
        Response created = Webhooks.create(merchant.testSecretKey(),
                Map.of("endpoint", "http://127.0.0.1:9/x", "challenge", "my-challenge", "reversal_event", true));

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        String id = created.path("id");
        assertThat(id).matches("whk_[0-9A-HJKMNP-TV-Z]{10}");
        assertThat(created.<String>path("endpoint")).isEqualTo("http://127.0.0.1:9/x");
        assertThat(created.<Boolean>path("is_active")).isTrue();
        assertThat(created.<Boolean>path("collection_event")).isTrue();
        assertThat(created.<Boolean>path("send_money_event")).isFalse();
        assertThat(created.<Boolean>path("reversal_event")).isTrue();
        assertThat(created.<Boolean>path("wallet_transfer_event")).isFalse();
        assertThat(created.<Boolean>path("subscription_event")).isFalse();
        assertThat(created.<Integer>path("failures_count")).isZero();
        assertThat(created.<String>path("disabled_at")).isNull();
        assertThat(created.<String>path("created_at")).isNotNull();
        assertThat(created.<String>path("updated_at")).isNotNull();
        assertThat(created.<String>path("challenge")).isEqualTo("my-challenge");
        assertThat(created.<String>path("signing_secret")).startsWith("whsec_");

        Response read = Webhooks.get(merchant.testSecretKey(), id);
        assertThat(read.statusCode()).as(read.asString()).isEqualTo(200);
        assertThat(read.<String>path("endpoint")).isEqualTo("http://127.0.0.1:9/x");
        assertThat(read.<Boolean>path("reversal_event")).isTrue();

        Response listed = Webhooks.as(merchant.testSecretKey()).when().get(Webhooks.BASE);
        assertThat(listed.statusCode()).as(listed.asString()).isEqualTo(200);
        assertThat(listed.<Integer>path("count")).isEqualTo(1);
        assertThat(listed.<String>path("next")).isNull();
        assertThat(listed.<String>path("previous")).isNull();
        assertThat(listed.<List<String>>path("results.id")).containsExactly(id);

        Response patched = Webhooks.patch(merchant.testSecretKey(), id,
                Map.of("endpoint", "http://127.0.0.1:9/changed", "collection_event", false, "subscription_event", true,
                        "challenge", "new-challenge"));
        assertThat(patched.statusCode()).as(patched.asString()).isEqualTo(200);
        assertThat(patched.<String>path("endpoint")).isEqualTo("http://127.0.0.1:9/changed");
        assertThat(patched.<Boolean>path("collection_event")).isFalse();
        assertThat(patched.<Boolean>path("subscription_event")).isTrue();
        assertThat(patched.<Boolean>path("reversal_event")).as("unchanged").isTrue();
        assertThat(patched.<String>path("challenge")).isNull();
        assertThat(db.one("SELECT challenge FROM webhook_endpoints WHERE id = ?", row -> row.getString(1), id))
                .contains("new-challenge");

        Response deleted = Webhooks.delete(merchant.testSecretKey(), id);
        assertThat(deleted.statusCode()).as(deleted.asString()).isEqualTo(200);
        assertThat(deleted.<String>path("detail")).contains(id);
        assertThat(Webhooks.get(merchant.testSecretKey(), id).statusCode()).isEqualTo(404);
        assertThat(Webhooks.delete(merchant.testSecretKey(), id).statusCode()).isEqualTo(404);
        Response afterDelete = Webhooks.as(merchant.testSecretKey()).when().get(Webhooks.BASE);
        assertThat(afterDelete.<Integer>path("count")).isZero();
        assertThat(db.one("SELECT deleted_at IS NOT NULL FROM webhook_endpoints WHERE id = ?",
                row -> row.getBoolean(1), id)).contains(true);
    }

    @Test
    void challengeGeneratedWhenMissing() {
        Response created = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", "http://127.0.0.1:9/gen"));

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.<String>path("challenge")).matches("[0-9A-Za-z]{32}");
    }

    @Test
    void secretShownOnlyOnce() {
        Response created = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", "http://127.0.0.1:9/once"));
        String id = created.path("id");
        String secret = created.path("signing_secret");

        for (Response response : List.of(Webhooks.get(merchant.testSecretKey(), id),
                Webhooks.as(merchant.testSecretKey()).when().get(Webhooks.BASE),
                Webhooks.patch(merchant.testSecretKey(), id, Map.of("send_money_event", true)))) {
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            assertThat(response.asString()).doesNotContain(secret);
            assertThat(response.asString()).doesNotContain("signing_secret");
            assertThat(response.asString()).doesNotContain("challenge");
        }
    }

    @Test
    void rotateKeepsPreviousSecret() {
        Response created = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", "http://127.0.0.1:9/rot"));
        String id = created.path("id");
        String first = created.path("signing_secret");

        Instant before = Instant.now();
        Response rotated = Webhooks.rotate(merchant.testSecretKey(), id);

        assertThat(rotated.statusCode()).as(rotated.asString()).isEqualTo(200);
        String second = rotated.path("signing_secret");
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);
        assertThat(rotated.<String>path("id")).isEqualTo(id);
        Map<String, Object> stored = db.one("SELECT signing_secret, previous_signing_secret, previous_secret_expires_at"
                + " FROM webhook_endpoints WHERE id = ?", row -> {
                    Map<String, Object> columns = new LinkedHashMap<>();
                    columns.put("current", row.getString(1));
                    columns.put("previous", row.getString(2));
                    columns.put("expires", Db.instant(row, "previous_secret_expires_at"));
                    return columns;
                }, id).orElseThrow();
        assertThat(stored.get("current")).isEqualTo(second);
        assertThat(stored.get("previous")).isEqualTo(first);
        // The test clock may run ahead of real time, so only a lower bound holds.
        assertThat((Instant) stored.get("expires")).isAfter(before.plus(Duration.ofHours(24)).minusSeconds(5));
        assertThat(Webhooks.get(merchant.testSecretKey(), id).asString()).doesNotContain(second);
    }

    @Test
    void otherMerchantGets404() {
        String id = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", "http://127.0.0.1:9/mine")).path("id");

        List<Response> responses = List.of(Webhooks.get(other.testSecretKey(), id),
                Webhooks.patch(other.testSecretKey(), id, Map.of("is_active", false)),
                Webhooks.rotate(other.testSecretKey(), id),
                Webhooks.delete(other.testSecretKey(), id),
                Webhooks.get(merchant.liveSecretKey(), id));
        for (Response response : responses) {
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(404);
            assertThat(response.<String>path("detail")).contains("Not found");
        }
        assertThat(Webhooks.as(other.testSecretKey()).when().get(Webhooks.BASE).<Integer>path("count")).isZero();
        assertThat(Webhooks.get(merchant.testSecretKey(), id).<Boolean>path("is_active")).isTrue();
    }

    @Test
    void secretKeyRequired() {
        Response none = io.restassured.RestAssured.given().when().get(Webhooks.BASE);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.<String>path("detail")).isNotBlank();

        Response publicKey = Webhooks.as(merchant.testPublicKey()).when().get(Webhooks.BASE);
        assertThat(publicKey.statusCode()).isEqualTo(401);

        Response events = io.restassured.RestAssured.given().when().get(Webhooks.EVENTS);
        assertThat(events.statusCode()).isEqualTo(401);
    }

    @Test
    void liveRejectsLocalUrls() {
        List<String> urls = List.of("http://203.0.113.10/hook", "https://127.0.0.1/x", "https://10.0.0.5/",
                "https://169.254.169.254/", "https://[::1]/", "https://localhost/", "https://[fd00::1]/",
                "https://192.168.0.10/", "https://0.0.0.0/");
        for (String url : urls) {
            Response response = Webhooks.create(merchant.liveSecretKey(), Map.of("endpoint", url));
            assertThat(response.statusCode()).as("%s: %s", url, response.asString()).isEqualTo(400);
            assertThat(response.<List<String>>path("endpoint")).as(url).hasSize(1);
        }
        assertThat(Webhooks.as(merchant.liveSecretKey()).when().get(Webhooks.BASE).<Integer>path("count")).isZero();
    }

    @Test
    void liveErrorNamesReason() {
        Response http = Webhooks.create(merchant.liveSecretKey(), Map.of("endpoint", "http://203.0.113.10/hook"));
        assertThat(http.<String>path("endpoint[0]")).contains("https");

        Response metadata = Webhooks.create(merchant.liveSecretKey(), Map.of("endpoint", "https://169.254.169.254/"));
        assertThat(metadata.<String>path("endpoint[0]")).contains("link-local");

        Response loopback = Webhooks.create(merchant.liveSecretKey(), Map.of("endpoint", "https://[::1]/"));
        assertThat(loopback.<String>path("endpoint[0]")).contains("loopback");
    }

    @Test
    void livePublicHttpsAccepted() {
        Response created = Webhooks.create(merchant.liveSecretKey(), Map.of("endpoint", PUBLIC_URL));

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        String id = created.path("id");
        assertThat(Webhooks.get(merchant.testSecretKey(), id).statusCode()).as("test key, live endpoint").isEqualTo(404);

        Response patched = Webhooks.patch(merchant.liveSecretKey(), id, Map.of("endpoint", "https://10.1.1.1/"));
        assertThat(patched.statusCode()).as(patched.asString()).isEqualTo(400);
        assertThat(patched.<List<String>>path("endpoint")).hasSize(1);
        assertThat(Webhooks.get(merchant.liveSecretKey(), id).<String>path("endpoint")).isEqualTo(PUBLIC_URL);
    }

    @Test
    void testAcceptsLoopbackHttp() {
        Response created = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", "http://127.0.0.1:9/x"));

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    }

    @Test
    void malformedUrlsRejected() {
        List<String> urls = List.of("", "not a url", "ftp://203.0.113.10/", "/relative", "https://user:pw@203.0.113.10/",
                "https://203.0.113.10/\t", "https://" + "a".repeat(2000) + ".example/");
        for (String url : urls) {
            Response response = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", url));
            assertThat(response.statusCode()).as("%s: %s", url, response.asString()).isEqualTo(400);
            assertThat(response.<List<String>>path("endpoint")).as(url).hasSize(1);
        }
    }

    @Test
    void allFieldErrorsAtOnce() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoint", 5);
        body.put("challenge", List.of("x"));
        body.put("collection_event", "yes");
        body.put("send_money_event", 1);
        body.put("is_active", "true");
        Response response = Webhooks.create(merchant.testSecretKey(), body);

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        for (String field : List.of("endpoint", "challenge", "collection_event", "send_money_event", "is_active")) {
            assertThat(response.<List<String>>path(field)).as(field).hasSize(1);
        }
    }

    @Test
    void missingEndpointRequired() {
        Response response = Webhooks.create(merchant.testSecretKey(), Map.of("collection_event", true));

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.<String>path("endpoint[0]")).contains("required");
    }

    @Test
    void patchRejectsNullsAndWrongTypes() {
        String id = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", "http://127.0.0.1:9/p")).path("id");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoint", null);
        body.put("challenge", "");
        body.put("reversal_event", null);
        Response response = Webhooks.patch(merchant.testSecretKey(), id, body);

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        for (String field : List.of("endpoint", "challenge", "reversal_event")) {
            assertThat(response.<List<String>>path(field)).as(field).hasSize(1);
        }
    }

    @Test
    void badJsonAnswers400() {
        List<String> bodies = List.of("{", "[]", "\"text\"", "{\"endpoint\": \"http://127.0.0.1:9/\"} trailing",
                "{\"endpoint\": \"a\", \"endpoint\": \"b\"}", "{\"endpoint\": \"http://127.0.0.1:9/\\u0000\"}",
                "{\"collection_event\": " + "[".repeat(50) + "]".repeat(50) + "}");
        for (String body : bodies) {
            Response response = Webhooks.createRaw(merchant.testSecretKey(), body);
            assertThat(response.statusCode()).as("%s: %s", body, response.asString()).isEqualTo(400);
            assertThat(response.contentType()).as(body).startsWith("application/json");
        }
    }

    @Test
    void oddRequestsNever5xx() {
        String id = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", "http://127.0.0.1:9/o")).path("id");
        List<Response> responses = List.of(
                Webhooks.get(merchant.testSecretKey(), "whk_%00"),
                Webhooks.get(merchant.testSecretKey(), "x".repeat(3000)),
                Webhooks.patch(merchant.testSecretKey(), "nope", Map.of()),
                Webhooks.as(merchant.testSecretKey()).contentType("text/plain").body("hello").when()
                        .patch(Webhooks.BASE + id + "/"),
                Webhooks.as(merchant.testSecretKey()).contentType("application/json").body(new byte[] {(byte) 0xff})
                        .when().post(Webhooks.BASE),
                Webhooks.as(merchant.testSecretKey()).when().get(Webhooks.BASE + "?page=0"),
                Webhooks.as(merchant.testSecretKey()).when().get(Webhooks.BASE + "?page=99999999999"),
                Webhooks.as(merchant.testSecretKey()).when().put(Webhooks.BASE + id + "/"),
                Webhooks.replay(merchant.testSecretKey(), "not-a-uuid"),
                Webhooks.replay(merchant.testSecretKey(), "00000000-0000-0000-0000-000000000000"));
        for (Response response : responses) {
            assertThat(response.statusCode()).as(response.asString()).isBetween(400, 499);
            assertThat(response.contentType()).startsWith("application/json");
        }
    }

    @Test
    void patchCanDisableAndReenable() {
        String id = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", "http://127.0.0.1:9/d")).path("id");
        db.update("UPDATE webhook_endpoints SET consecutive_failures = 7, warned_at = now() WHERE id = ?", id);

        Response disabled = Webhooks.patch(merchant.testSecretKey(), id, Map.of("is_active", false));
        assertThat(disabled.<Boolean>path("is_active")).isFalse();
        assertThat(disabled.<String>path("disabled_at")).isNotNull();
        assertThat(disabled.<Integer>path("failures_count")).isEqualTo(7);

        Response enabled = Webhooks.patch(merchant.testSecretKey(), id, Map.of("is_active", true));
        assertThat(enabled.statusCode()).as(enabled.asString()).isEqualTo(200);
        assertThat(enabled.<Boolean>path("is_active")).isTrue();
        assertThat(enabled.<String>path("disabled_at")).isNull();
        assertThat(enabled.<Integer>path("failures_count")).isZero();
        assertThat(db.one("SELECT warned_at IS NULL FROM webhook_endpoints WHERE id = ?", row -> row.getBoolean(1), id))
                .contains(true);
    }

    @Test
    void listPaginates() {
        for (int i = 0; i < 51; i++) {
            Response created = Webhooks.create(other.testSecretKey(), Map.of("endpoint", "http://127.0.0.1:9/n" + i));
            assertThat(created.statusCode()).isEqualTo(201);
        }

        Response first = Webhooks.as(other.testSecretKey()).when().get(Webhooks.BASE);
        assertThat(first.<Integer>path("count")).isEqualTo(51);
        assertThat(first.<List<Object>>path("results")).hasSize(50);
        assertThat(first.<String>path("next")).startsWith("http://").endsWith("page=2");

        Response second = Webhooks.as(other.testSecretKey()).when().get(first.<String>path("next"));
        assertThat(second.<List<Object>>path("results")).hasSize(1);
        assertThat(second.<String>path("next")).isNull();
        assertThat(second.<String>path("previous")).doesNotContain("page=");
    }
}
