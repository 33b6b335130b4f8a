package co.malipo.ussd.packaged;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Runs the packaged ussd-channel jar in the prod profile against PostgreSQL: health, metrics and a USSD first screen. */
@QuarkusIntegrationTest
@WithTestResource(PackagedUssdSettings.class)
class PackagedUssdIT {

    @Test
    void readinessChecksOnlyDatabase() {
        JsonPath health = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();

        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getList("checks.name", String.class)).containsExactly("Database connections health check");
    }

    @Test
    void providersGroupListsBothProviders() {
        JsonPath providers = given().get("/q/health/group/providers").then().statusCode(200).extract().jsonPath();

        assertThat(providers.getList("checks.name", String.class)).containsExactlyInAnyOrder("daraja", "africas-talking");
    }

    @Test
    void firstScreenShowsMainMenu() {
        Response reply = given()
                .header("X-Request-Id", "packaged-ussd-1")
                .formParam("sessionId", "ATUid_packaged_it_1")
                .formParam("serviceCode", "*384*5#")
                .formParam("phoneNumber", "+254711000908")
                .formParam("text", "")
                .post("/ussd/" + PackagedUssdSettings.USSD_TOKEN);

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.header("X-Request-Id")).isEqualTo("packaged-ussd-1");
        assertThat(reply.asString()).isEqualTo("CON Malipo\n1. Pay a business\n2. My last payment\n3. Kiswahili");

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/ussd/\\{token}\"[^}]*} [1-9]");
        assertThat(metrics).contains("malipo_provider_up{provider=\"africas-talking\"} 1.0");
        assertThat(metrics).contains("malipo_sms_backlog");
    }
}
