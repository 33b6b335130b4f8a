package co.malipo.api.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.api.error.ApiException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the request body parser, run by the jqwik engine: whatever the bytes, the parser
 * returns a JSON object or raises a 4xx {@link ApiException}, never another exception.
 */
class JsonBodiesPropertyTest {

    @Property(tries = 2000)
    void anyBytesGiveObjectOr4xx(@ForAll @Size(max = 300) byte[] body) {
        assertObjectOr4xx(body);
    }

    @Property(tries = 2000)
    void anyTextGivesObjectOr4xx(@ForAll @Size(max = 300) String body) {
        assertObjectOr4xx(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 3000)
    void jsonFragmentsGiveObjectOr4xx(@ForAll("jsonFragments") String body) {
        assertObjectOr4xx(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 200)
    void deepNestingGives400(@ForAll("depths") int depth) {
        String body = "{\"a\": " + "[".repeat(depth) + "]".repeat(depth) + "}";

        ApiException error = parseError(body.getBytes(StandardCharsets.UTF_8));

        assertThat(error.status()).isEqualTo(400);
        assertThat(String.valueOf(error.body().get("detail"))).contains("nested deeper");
    }

    @Property(tries = 200)
    void longNumbersGive400(@ForAll("numberLengths") int digits) {
        String body = "{\"amount\": " + "7".repeat(digits) + "}";

        ApiException error = parseError(body.getBytes(StandardCharsets.UTF_8));

        assertThat(error.status()).isEqualTo(400);
    }

    /** Strings stitched from JSON tokens, field names of the push and values that often break parsers. */
    @Provide
    Arbitrary<String> jsonFragments() {
        Arbitrary<String> token = Arbitraries.of(List.of("{", "}", "[", "]", ":", ",", "\"", "\"amount\"",
                "\"phone_number\"", "\"api_ref\"", "\"wallet_id\"", "\"mobile_tarrif\"", "\"invoice_id\"", "null",
                "true", "false", "0", "-1", "1e309", "0.1", "100", "9".repeat(45), "\"10\"", "\"0712345678\"",
                "\\u0000", "\\ud800", "\\", "\uFEFF", " ", "\n", "\u2028", "/*", "//", "'", "NaN", "Infinity",
                "\"\\u0000\"", "\"\\ud83d\\ude00\"", "{}", "[]", "\"a\":1,\"a\":2"));
        return token.list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.integers().between(JsonBodies.MAX_NESTING, 30_000);
    }

    @Provide
    Arbitrary<Integer> numberLengths() {
        return Arbitraries.integers().between(JsonBodies.MAX_NUMBER_LENGTH + 1, 20_000);
    }

    private static void assertObjectOr4xx(byte[] body) {
        try {
            ObjectNode parsed = JsonBodies.object(body);
            assertThat(parsed).isNotNull();
        } catch (ApiException e) {
            assertThat(e.status()).as(e.body().toString()).isBetween(400, 499);
            assertThat(e.body()).isNotEmpty();
        }
    }

    private static ApiException parseError(byte[] body) {
        try {
            JsonBodies.object(body);
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("parsed without an error");
    }
}
