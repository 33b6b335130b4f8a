package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Malformed and hostile bodies get a 4xx with a JSON message, never a 5xx, and write nothing. */
@QuarkusTest
class HostileInputTest {

    @Inject
    TestMerchants testMerchants;
    @Inject
    Db db;

    NewMerchant merchant;

    @BeforeEach
    void createMerchant() {
        merchant = testMerchants.create("Hostile Input Shop");
    }

    @Test
    void nulCharacterNamesField() {
        Response response = push("{\"phone_number\": \"0712000601\", \"amount\": 20, \"wallet_id\": \"wlt\\u0000x\"}");

        assertClientError(response, 400);
        assertThat(response.<List<String>>path("wallet_id")).isNotEmpty();
    }

    @Test
    void nulInStatusInvoiceId() {
        Response response = given().contentType("application/json").header("Authorization", "Bearer " + merchant.testSecretKey())
                .body("{\"invoice_id\": \"DTT\\u0000JQH306M\"}").when().post(Api.STATUS);

        assertClientError(response, 400);
        assertThat(response.<List<String>>path("invoice_id")).isNotEmpty();
    }

    @Test
    void trailingContentRejected() {
        assertClientError(push("{\"phone_number\": \"0712000602\", \"amount\": \"100\"} trailing"), 400);
        assertClientError(push("{\"phone_number\": \"0712000602\", \"amount\": \"100\"}{\"a\": 1}"), 400);
    }

    @Test
    void duplicateKeysRejected() {
        Response response = push("{\"phone_number\": \"0712000603\", \"amount\": \"10\", \"amount\": \"1000\"}");

        assertClientError(response, 400);
        assertThat(response.<String>path("detail")).contains("Duplicate field \"amount\"");
    }

    @Test
    void exponentNumbersRejected() {
        for (String amount : List.of("1e3", "12345e-2", "1.00e2", "100.000")) {
            Response response = push("{\"phone_number\": \"0712000604\", \"amount\": " + amount + "}");
            assertClientError(response, 400);
            assertThat(response.<List<String>>path("amount")).as(amount).isNotEmpty();
        }
    }

    @Test
    void invalidUtf8Rejected() {
        byte[] head = "{\"phone_number\": \"0712000605\", \"amount\": \"10\", \"api_ref\": \"ab".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "cd\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xC3;
        body[head.length + 1] = (byte) 0x28;
        System.arraycopy(tail, 0, body, head.length + 2, tail.length);

        Response response = given().contentType("application/json").header("Authorization", "Bearer " + merchant.testSecretKey())
                .body(body).when().post(Api.PUSH);

        assertClientError(response, 400);
        assertThat(response.<String>path("detail")).contains("UTF-8");
    }

    @Test
    void invisibleCharactersRejected() {
        List<String> bodies = List.of(
                "{\"phone_number\": \"0712000606\", \"amount\": \"10\", \"api_ref\": \"x\\ud800y\"}",
                "{\"phone_number\": \"0712000606\", \"amount\": \"10\", \"api_ref\": \"pay\\u200bment\"}",
                "{\"phone_number\": \"0712000606\", \"amount\": \"10\", \"api_ref\": \"a\\u2028b\"}",
                "{\"phone_number\": \"0712000606\", \"amount\": \"10\", \"api_ref\": \"   \"}",
                "{\"phone_number\": \"\\u001b\\u00070712000606\\u001f\", \"amount\": \"10\"}");
        for (String body : bodies) {
            assertClientError(push(body), 400);
        }
    }

    @Test
    void wrongTypesNamed() {
        Response response = push("{\"phone_number\": [1], \"amount\": true, \"api_ref\": {}, \"wallet_id\": 5,"
                + " \"mobile_tarrif\": false}");

        assertClientError(response, 400);
        assertThat(response.<List<String>>path("phone_number").get(0)).startsWith("Must be a string");
        assertThat(response.<List<String>>path("amount").get(0)).startsWith("Must be a decimal string");
        assertThat(response.<List<String>>path("api_ref").get(0)).startsWith("Must be a string");
        assertThat(response.<List<String>>path("wallet_id")).isNotEmpty();
        assertThat(response.<List<String>>path("mobile_tarrif")).isNotEmpty();
    }

    @Test
    void deepNestingAndLongNumbers() {
        String nested = "{\"x\": " + "[".repeat(30) + "]".repeat(30) + ", \"phone_number\": \"0712000607\", \"amount\": 10}";
        String longNumber = "{\"phone_number\": \"0712000607\", \"amount\": " + "9".repeat(1000) + "}";

        assertClientError(push(nested), 400);
        assertClientError(push(longNumber), 400);
    }

    @Test
    void oversizedBodyIs413Json() {
        String body = "{\"phone_number\": \"0712000608\", \"amount\": \"10\", \"pad\": \"" + "x".repeat(100_000) + "\"}";

        assertClientError(push(body), 413);
    }

    @Test
    void nonJsonContentTypesRejected() {
        Response form = given().contentType("application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + merchant.testSecretKey())
                .body("phone_number=0712000609&amount=10").when().post(Api.PUSH);
        Response latin1 = given().header("Content-Type", "application/json; charset=ISO-8859-1")
                .header("Authorization", "Bearer " + merchant.testSecretKey())
                .body("{\"phone_number\": \"0712000609\", \"amount\": \"10\"}".getBytes(StandardCharsets.UTF_8))
                .when().post(Api.PUSH);

        assertClientError(form, 415);
        assertClientError(latin1, 415);
    }

    @Test
    void getOnPushIs405WithAllow() {
        Response response = given().header("Authorization", "Bearer " + merchant.testSecretKey()).when().get(Api.PUSH);

        assertClientError(response, 405);
        assertThat(response.header("Allow")).contains("POST");
    }

    @Test
    void secretKeyRejectedInPublicHeader() {
        Response response = given().contentType("application/json").header("X-KULMI-PUBLIC-API-KEY", merchant.testSecretKey())
                .body(Map.of("invoice_id", "GQ7KZ2XPNM")).when().post(Api.STATUS);

        assertClientError(response, 401);
        assertThat(response.<String>path("detail")).contains("secret key");
    }

    private Response push(String body) {
        return given().contentType("application/json").header("Authorization", "Bearer " + merchant.testSecretKey())
                .body(body.getBytes(StandardCharsets.UTF_8)).when().post(Api.PUSH);
    }

    private void assertClientError(Response response, int status) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.asString()).doesNotContain("com.fasterxml").doesNotContain("Exception")
                .doesNotContain("StreamRead").doesNotContain("co.malipo");
        int invoices = db.one("SELECT count(*) FROM invoices WHERE merchant_id = ?", row -> row.getInt(1),
                merchant.merchantId()).orElseThrow();
        assertThat(invoices).as("nothing written").isZero();
    }
}
