package co.malipo.admin.packaged;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Runs the packaged admin-ui jar in the prod profile against PostgreSQL: health, metrics and its
 * first page. A redirect, for example to a sign-in page, is followed.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAdminSettings.class)
class PackagedAdminIT {

    @Test
    void readinessChecksOnlyDatabase() {
        JsonPath health = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();

        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getList("checks.name", String.class)).containsExactly("Database connections health check");
    }

    @Test
    void signInPageIsHtml() {
        Response page = given().header("X-Request-Id", "packaged-admin-1").get("/login");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.asString()).contains("Malipo");
    }

    @Test
    void metricsCountSignInPage() {
        given().get("/login").then().statusCode(200);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"200\"[^}]*} [1-9]");
        assertThat(metrics).contains("malipo_invoices_open{state=\"PENDING\"}");
        assertThat(metrics).contains("agroal_active_count");
    }
}
