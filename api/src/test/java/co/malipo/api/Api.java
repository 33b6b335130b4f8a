package co.malipo.api;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Calls to the merchant API as a merchant's code makes them. */
public final class Api {

    public static final String PUSH = "/api/v1/payment/mpesa-stk-push/";
    public static final String STATUS = "/api/v1/payment/status/";

    private Api() {
    }

    public static Response push(String secretKey, Object body) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + secretKey).body(body)
                .when().post(PUSH);
    }

    public static Response status(String secretKey, String invoiceId) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + secretKey)
                .body(Map.of("invoice_id", invoiceId)).when().post(STATUS);
    }

    /** Polls the status endpoint until the invoice reaches the state or the time runs out; returns the last reply. */
    public static Response awaitState(String secretKey, String invoiceId, String state, Duration within) {
        Instant deadline = Instant.now().plus(within);
        Response last = status(secretKey, invoiceId);
        while (!state.equals(last.path("invoice.state")) && Instant.now().isBefore(deadline)) {
            sleep(200);
            last = status(secretKey, invoiceId);
        }
        return last;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
