package co.malipo.api.webhook;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Calls to the webhook management API with a secret key. */
final class Webhooks {

    static final String BASE = "/api/v1/webhooks/";
    static final String EVENTS = BASE + "events/";

    private Webhooks() {
    }

    static RequestSpecification as(String secretKey) {
        return given().redirects().follow(false).header("Authorization", "Bearer " + secretKey);
    }

    static Response create(String secretKey, Object body) {
        return as(secretKey).contentType(ContentType.JSON).body(body).when().post(BASE);
    }

    static Response createRaw(String secretKey, String body) {
        return as(secretKey).contentType(ContentType.JSON).body(body).when().post(BASE);
    }

    static Response get(String secretKey, String id) {
        return as(secretKey).when().get(BASE + id + "/");
    }

    static Response patch(String secretKey, String id, Object body) {
        return as(secretKey).contentType(ContentType.JSON).body(body).when().patch(BASE + id + "/");
    }

    static Response delete(String secretKey, String id) {
        return as(secretKey).when().delete(BASE + id + "/");
    }

    static Response rotate(String secretKey, String id) {
        return as(secretKey).when().post(BASE + id + "/rotate-secret/");
    }

    static Response replay(String secretKey, String id) {
        return as(secretKey).when().post(EVENTS + id + "/replay/");
    }
}
