package co.malipo.ussd;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class UssdResourceTest {

    @Test
    void placeholderEndsSession() {
        given().contentType("application/x-www-form-urlencoded")
                .formParam("sessionId", "ATUid_1").formParam("phoneNumber", "+254712345678").formParam("text", "")
                .when().post("/ussd")
                .then().statusCode(200).body(startsWith("END "));
    }

    @Test
    void readinessIsUp() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
