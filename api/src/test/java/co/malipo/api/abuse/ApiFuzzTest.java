package co.malipo.api.abuse;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.api.Api;
import co.malipo.api.OpenPrompts;
import co.malipo.api.TestMerchants;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Property-based fuzzing of the merchant API over HTTP, with inputs drawn from jqwik arbitraries
 * under fixed seeds: every body gets a 4xx with a JSON message or a valid reply, never a 5xx, and
 * only a 200 writes an invoice.
 */
@QuarkusTest
class ApiFuzzTest {

    static final int PUSH_BODIES = 400;
    static final int MUTATED_BODIES = 300;
    static final int STATUS_BODIES = 300;
    static final int WEBHOOK_BODIES = 200;
    static final int FILTER_VALUES = 100;

    @Inject
    TestMerchants testMerchants;
    @Inject
    OpenPrompts openPrompts;
    @Inject
    Db db;

    private NewMerchant merchant;

    @AfterEach
    void cancelOpenPrompts() {
        if (merchant != null) {
            openPrompts.cancelAll(merchant.merchantId());
        }
    }

    @Test
    void pushBodiesNever5xx() {
        merchant = testMerchants.create("Fuzz Push Shop");
        Map<Integer, Integer> statuses = new TreeMap<>();
        int accepted = 0;
        for (ObjectNode body : Samples.draw(JsonArbitraries.pushBody(), PUSH_BODIES, 9001L)) {
            Response response = postJson(Api.PUSH, body.toString());
            assertClientErrorOrValid(response, body.toString());
            statuses.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() == 200) {
                accepted++;
                assertValidPush(response);
                if (body.path("api_ref").isTextual()) {
                    // Encoding to UTF-8 turns an unpaired surrogate into "?", so compare with what went out.
                    String sent = new String(body.get("api_ref").textValue().getBytes(StandardCharsets.UTF_8),
                            StandardCharsets.UTF_8);
                    assertThat(response.<String>path("invoice.api_ref")).as("stored verbatim, or the default for \"\"")
                            .isEqualTo(sent.isEmpty() ? "MPesa Express" : sent);
                }
            }
        }

        System.out.printf("ApiFuzzTest push bodies: %d tried, statuses %s%n", PUSH_BODIES, statuses);
        assertThat(invoiceCount()).as("an invoice for each 200 and none for a 4xx").isEqualTo(accepted);
        assertThat(statuses.keySet()).as("the generator reaches both valid and invalid bodies").contains(200, 400);
    }

    @Test
    void mutatedBytesNever5xx() {
        merchant = testMerchants.create("Fuzz Bytes Shop");
        Arbitrary<byte[]> mutated = Arbitraries.integers().between(0, 99).flatMap(n -> {
            byte[] base = ("{\"phone_number\": \"07120017" + String.format("%02d", n)
                    + "\", \"amount\": \"" + (10 + n) + "\", \"api_ref\": \"fuzz\"}").getBytes(StandardCharsets.UTF_8);
            return Arbitraries.integers().between(0, base.length - 1).list().ofMinSize(1).ofMaxSize(4)
                    .flatMap(positions -> Arbitraries.oneOf(Arbitraries.bytes(), Arbitraries.bytes().between((byte) 32, (byte) 126))
                            .list().ofSize(positions.size()).map(values -> {
                        byte[] copy = base.clone();
                        for (int i = 0; i < positions.size(); i++) {
                            copy[positions.get(i)] = values.get(i);
                        }
                        return copy;
                    }));
        });
        Map<Integer, Integer> statuses = new TreeMap<>();
        int accepted = 0;
        for (byte[] body : Samples.draw(mutated, MUTATED_BODIES, 9002L)) {
            Response response = given().contentType("application/json")
                    .header("Authorization", "Bearer " + merchant.testSecretKey()).body(body).when().post(Api.PUSH);
            assertClientErrorOrValid(response, new String(body, StandardCharsets.ISO_8859_1));
            statuses.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() == 200) {
                accepted++;
            }
        }

        System.out.printf("ApiFuzzTest mutated bodies: %d tried, statuses %s%n", MUTATED_BODIES, statuses);
        assertThat(invoiceCount()).isEqualTo(accepted);
    }

    @Test
    void statusBodiesNever5xx() {
        merchant = testMerchants.create("Fuzz Status Shop");
        String realId = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712001800", "amount", "10"))
                .path("invoice.invoice_id");
        Arbitrary<ObjectNode> bodies = JsonArbitraries.anyValue().map(id -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set("invoice_id", id);
            return body;
        });
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (ObjectNode body : Samples.draw(bodies, STATUS_BODIES, 9003L)) {
            Response response = postJson(Api.STATUS, body.toString());
            assertClientErrorOrValid(response, body.toString());
            statuses.merge(response.statusCode(), 1, Integer::sum);
        }

        System.out.printf("ApiFuzzTest status bodies: %d tried, statuses %s%n", STATUS_BODIES, statuses);
        assertThat(Api.status(merchant.testSecretKey(), realId).statusCode()).isEqualTo(200);
        assertThat(statuses).doesNotContainKey(200);
    }

    @Test
    void webhookBodiesNever5xx() {
        merchant = testMerchants.create("Fuzz Webhook Shop");
        // Port 9 on loopback refuses connections, and this merchant has no invoices, so nothing is delivered.
        Arbitrary<com.fasterxml.jackson.databind.JsonNode> endpoints = Arbitraries.oneOf(JsonArbitraries.anyValue(),
                JsonArbitraries.hostileText().map(path -> JsonNodeFactory.instance.textNode("http://127.0.0.1:9/" + path)));
        Arbitrary<ObjectNode> bodies = net.jqwik.api.Combinators.combine(endpoints,
                JsonArbitraries.anyValue(), JsonArbitraries.anyValue(), JsonArbitraries.anyValue())
                .as((endpoint, challenge, collection, active) -> {
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    body.set("endpoint", endpoint);
                    body.set("challenge", challenge);
                    body.set("collection_event", collection);
                    body.set("is_active", active);
                    return body;
                });
        Map<Integer, Integer> statuses = new TreeMap<>();
        String base = "/api/v1/webhooks/";
        for (ObjectNode body : Samples.draw(bodies, WEBHOOK_BODIES, 9004L)) {
            Response created = postJson(base, body.toString());
            assertClientErrorOrValid(created, body.toString());
            statuses.merge(created.statusCode(), 1, Integer::sum);
        }
        String id = given().contentType("application/json").header("Authorization", "Bearer " + merchant.testSecretKey())
                .body(Map.of("endpoint", "http://127.0.0.1:9/fuzz")).when().post(base).path("id");
        for (ObjectNode body : Samples.draw(bodies, WEBHOOK_BODIES, 9005L)) {
            Response patched = given().contentType("application/json")
                    .header("Authorization", "Bearer " + merchant.testSecretKey()).body(body.toString().getBytes(StandardCharsets.UTF_8))
                    .when().patch(base + id + "/");
            assertClientErrorOrValid(patched, body.toString());
        }

        System.out.printf("ApiFuzzTest webhook bodies: %d created, %d patched, create statuses %s%n", WEBHOOK_BODIES,
                WEBHOOK_BODIES, statuses);
        assertThat(statuses.keySet()).as("the generator reaches both valid and invalid bodies").contains(201, 400);
    }

    @Test
    void listFiltersNever5xx() {
        merchant = testMerchants.create("Fuzz Filter Shop");
        List<String> values = Samples.draw(JsonArbitraries.hostileText(), FILTER_VALUES, 9006L);
        for (String value : values) {
            for (String path : List.of("/api/v1/webhooks/", "/api/v1/webhooks/events/")) {
                for (String parameter : List.of("status", "page")) {
                    Response response = given().header("Authorization", "Bearer " + merchant.testSecretKey())
                            .queryParam(parameter, value).when().get(path);
                    assertClientErrorOrValid(response, path + "?" + parameter + "=" + value);
                }
            }
        }
        System.out.printf("ApiFuzzTest list filters: %d values on 2 lists and 2 parameters%n", values.size());
    }

    private Response postJson(String path, String body) {
        return given().contentType("application/json").header("Authorization", "Bearer " + merchant.testSecretKey())
                .body(body.getBytes(StandardCharsets.UTF_8)).when().post(path);
    }

    private void assertValidPush(Response response) {
        assertThat(response.<String>path("invoice.invoice_id")).matches("[0-9A-Z]{10}");
        assertThat(response.<String>path("invoice.state")).isEqualTo("PENDING");
        assertThat(response.<String>path("invoice.value")).matches("[0-9]+\\.[0-9]{2}");
        assertThat(response.<String>path("customer.phone_number")).matches("254[17][0-9]{8}");
    }

    static void assertClientErrorOrValid(Response response, String input) {
        int status = response.statusCode();
        assertThat(status).as("status for %s: %s", input, response.asString()).isLessThan(500);
        assertThat(response.contentType()).as("content type for %s", input).startsWith("application/json");
        String text = response.asString();
        assertThat(text).as("reply to %s", input).doesNotContain("Exception").doesNotContain("co.malipo.")
                .doesNotContain("com.fasterxml").doesNotContain("\tat ");
        if (status >= 400) {
            assertThat(text).as("a JSON message for %s", input).startsWith("{").hasSizeGreaterThan(2);
        }
    }

    private int invoiceCount() {
        return db.one("SELECT count(*) FROM invoices WHERE merchant_id = ?", row -> row.getInt(1), merchant.merchantId())
                .orElseThrow();
    }
}
