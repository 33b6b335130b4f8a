package co.malipo.api.abuse;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of hostile request bodies for the merchant API. */
public final class JsonArbitraries {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonArbitraries() {
    }

    /** Text that often breaks parsers and filters: SQL, CRLF, NUL-like escapes, long runs and odd Unicode. */
    public static Arbitrary<String> hostileText() {
        Arbitrary<String> known = Arbitraries.of(List.of("' OR '1'='1", "'; DROP TABLE invoices; --",
                "\" OR \"\"=\"", "1; SELECT pg_sleep(5)", "%27%20OR%201=1", "\r\nSet-Cookie: a=b", "a\r\n\r\nb",
                "\n", "\u0085", "\u2028", "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "<script>alert(1)</script>",
                "../../etc/passwd", "%00", "\\", "\"", "\uFFFF", "\uD83D\uDE00", "\u202Eevil", "0712345678",
                "+254712345678", "9".repeat(1000), "a".repeat(141), "", " ", "null", "NaN", "-0", "1e3"));
        Arbitrary<String> random = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(60);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, known),
                net.jqwik.api.Tuple.of(3, random),
                net.jqwik.api.Tuple.of(2, ascii));
    }

    /** Any JSON value: scalars of every type, hostile strings, huge numbers, and small arrays and objects. */
    public static Arbitrary<JsonNode> anyValue() {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                hostileText().map(NODES::textNode),
                Arbitraries.integers().map(n -> (JsonNode) NODES.numberNode(n)),
                Arbitraries.bigDecimals().ofScale(3).map(n -> (JsonNode) NODES.numberNode(n)),
                Arbitraries.bigIntegers().map(n -> (JsonNode) NODES.numberNode(n)),
                Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
                Arbitraries.just(NODES.nullNode()));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, scalar),
                net.jqwik.api.Tuple.of(1, scalar.list().ofMaxSize(3).map(items -> {
                    var array = NODES.arrayNode();
                    items.forEach(array::add);
                    return (JsonNode) array;
                })),
                net.jqwik.api.Tuple.of(1, Arbitraries.maps(hostileText(), scalar).ofMaxSize(3).map(JsonArbitraries::object)));
    }

    /**
     * A push body: half are random (each known field absent, plausible or hostile, plus hostile
     * unknown fields), half are valid pushes whose {@code api_ref} is hostile text.
     */
    public static Arbitrary<ObjectNode> pushBody() {
        return Arbitraries.oneOf(randomPushBody(), validPushWithHostileReference());
    }

    private static Arbitrary<ObjectNode> validPushWithHostileReference() {
        return Combinators.combine(Arbitraries.integers().between(0, 99), Arbitraries.integers().between(10, 150_000),
                hostileText()).as((phone, amount, reference) -> {
                    ObjectNode body = NODES.objectNode();
                    body.put("phone_number", String.format("07120015%02d", phone));
                    body.put("amount", amount.toString());
                    body.put("api_ref", reference);
                    return body;
                });
    }

    private static Arbitrary<ObjectNode> randomPushBody() {
        Arbitrary<JsonNode> phone = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, anyValue()),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 99)
                        .map(n -> (JsonNode) NODES.textNode(String.format("07120016%02d", n)))));
        Arbitrary<JsonNode> amount = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, anyValue()),
                net.jqwik.api.Tuple.of(3, Arbitraries.bigDecimals()
                        .between(new java.math.BigDecimal("-10"), new java.math.BigDecimal("160000"))
                        .ofScale(2).map(n -> (JsonNode) NODES.textNode(n.toPlainString()))));
        Arbitrary<JsonNode> tariff = Arbitraries.oneOf(anyValue(),
                Arbitraries.of("BUSINESS-PAYS", "CUSTOMER-PAYS").map(NODES::textNode));
        return Combinators.combine(optional(phone, 1), optional(amount, 1), optional(anyValue(), 2),
                optional(anyValue(), 6), optional(tariff, 2), Arbitraries.maps(hostileText(), anyValue()).ofMaxSize(2))
                .as((p, a, ref, wallet, t, extra) -> {
                    ObjectNode body = (ObjectNode) object(extra);
                    put(body, "phone_number", p);
                    put(body, "amount", a);
                    put(body, "api_ref", ref);
                    put(body, "wallet_id", wallet);
                    put(body, "mobile_tarrif", t);
                    return body;
                });
    }

    /** The value, or absent ({@code null}) with weight {@code absentWeight} against 5 for present. */
    private static Arbitrary<JsonNode> optional(Arbitrary<JsonNode> value, int absentWeight) {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(absentWeight, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(5, value));
    }

    private static void put(ObjectNode body, String field, JsonNode value) {
        if (value != null) {
            body.set(field, value);
        }
    }

    private static JsonNode object(Map<String, ? extends JsonNode> fields) {
        ObjectNode object = NODES.objectNode();
        fields.forEach(object::set);
        return object;
    }
}
