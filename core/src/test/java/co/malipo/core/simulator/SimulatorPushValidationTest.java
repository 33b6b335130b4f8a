package co.malipo.core.simulator;

import static co.malipo.core.simulator.SimulatorFixture.CALLBACK_URL;
import static co.malipo.core.simulator.SimulatorFixture.PASSKEY;
import static co.malipo.core.simulator.SimulatorFixture.PHONE;
import static co.malipo.core.simulator.SimulatorFixture.SHORTCODE;
import static co.malipo.core.simulator.SimulatorTokenTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.core.daraja.DarajaTime;

class SimulatorPushValidationTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final SimulatorFixture fixture = new SimulatorFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                arguments("BusinessShortCode", JSON.textNode("600000"), "BusinessShortCode"),
                arguments("BusinessShortCode", null, "BusinessShortCode"),
                arguments("Amount", JSON.numberNode(new BigDecimal("10.5")), "Amount"),
                arguments("Amount", JSON.textNode("10.5"), "Amount"),
                arguments("Amount", JSON.numberNode(new BigDecimal("100.0")), "Amount"),
                arguments("Amount", JSON.numberNode(0), "Amount"),
                arguments("Amount", JSON.textNode("-5"), "Amount"),
                arguments("Amount", JSON.textNode("ten"), "Amount"),
                arguments("Amount", null, "Amount"),
                arguments("PhoneNumber", JSON.textNode("0708374149"), "PhoneNumber"),
                arguments("PhoneNumber", JSON.textNode("+254708374149"), "PhoneNumber"),
                arguments("PhoneNumber", JSON.textNode("254808374149"), "PhoneNumber"),
                arguments("PhoneNumber", JSON.numberNode(25470837414L), "PhoneNumber"),
                arguments("PartyA", JSON.textNode("2547083741490"), "PartyA"),
                arguments("PartyA", null, "PartyA"),
                arguments("CallBackURL", JSON.textNode("/callback"), "CallBackURL"),
                arguments("CallBackURL", JSON.textNode("ftp://127.0.0.1/callback"), "CallBackURL"),
                arguments("CallBackURL", JSON.textNode("http://"), "CallBackURL"),
                arguments("CallBackURL", JSON.textNode("not a url"), "CallBackURL"),
                arguments("AccountReference", JSON.textNode(""), "AccountReference"),
                arguments("AccountReference", JSON.textNode("ABCDEFGHIJKLM"), "AccountReference"),
                arguments("AccountReference", null, "AccountReference"),
                arguments("TransactionDesc", JSON.textNode(" "), "Remarks"),
                arguments("TransactionDesc", JSON.textNode("ABCDEFGHIJKLMN"), "Remarks"),
                arguments("TransactionType", JSON.textNode("CustomerPayBill"), "TransactionType"),
                arguments("TransactionType", null, "TransactionType"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidFields")
    void pushRejectsInvalidField(String field, Object value, String reportedAs) {
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
        if (value == null) {
            body.remove(field);
        } else {
            body.set(field, (JsonNode) value);
        }

        assertError(fixture.push(body), 400, "400.002.02", "Bad Request - Invalid " + reportedAs);
    }

    static Stream<Arguments> validFieldVariants() {
        return Stream.of(
                arguments("BusinessShortCode", JSON.textNode(SHORTCODE)),
                arguments("Amount", JSON.textNode("100")),
                arguments("Amount", JSON.numberNode(1)),
                arguments("Amount", JSON.numberNode(250000)),
                arguments("PhoneNumber", JSON.textNode("254112345678")),
                arguments("PartyA", JSON.textNode(PHONE)),
                arguments("CallBackURL", JSON.textNode("https://pay.example.co.ke/daraja/callback?id=7")),
                arguments("AccountReference", JSON.textNode("ABCDEFGHIJKL")),
                arguments("AccountReference", JSON.numberNode(12345)),
                arguments("TransactionDesc", JSON.textNode("ABCDEFGHIJKLM")),
                arguments("TransactionType", JSON.textNode("CustomerBuyGoodsOnline")));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("validFieldVariants")
    void pushAcceptsValidVariant(String field, JsonNode value) {
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
        body.set(field, value);

        SimulatorReply reply = fixture.push(body);

        assertThat(reply.status()).as("reply %s", reply.body()).isEqualTo(200);
    }

    @Test
    void pushChecksFieldsInDarajaOrder() {
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
        body.put("Amount", "10.5");
        body.put("TransactionDesc", "");

        assertError(fixture.push(body), 400, "400.002.02", "Bad Request - Invalid Amount");
    }

    @Test
    void pushRejectsBodyThatIsNotJsonObject() {
        SimulatorReply reply = fixture.simulator.processRequest(fixture.bearer(), "[1, 2]");

        assertError(reply, 400, "400.002.02", "Bad Request - Invalid JSON");
    }

    @Test
    void pushRejectsTimestampMadeInUtc() {
        String utcTimestamp = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                .withZone(ZoneOffset.UTC)
                .format(fixture.clock.instant());
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
        body.put("Timestamp", utcTimestamp);
        body.put("Password", DarajaTime.password(SHORTCODE, PASSKEY, utcTimestamp));

        assertThat(utcTimestamp).isEqualTo("20250314093000");
        assertError(fixture.push(body), 400, "400.002.02", "Bad Request - Invalid Timestamp");
    }

    @Test
    void pushAcceptsTimestampInNairobiTime() {
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);

        assertThat(body.get("Timestamp").asText()).isEqualTo("20250314123000");
        assertThat(fixture.push(body).status()).isEqualTo(200);
    }

    @Test
    void pushAcceptsTimestampTenMinutesOld() {
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
        fixture.clock.advance(Duration.ofMinutes(10));

        assertThat(fixture.push(body).status()).isEqualTo(200);
    }

    @Test
    void pushRejectsTimestampElevenMinutesOld() {
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
        fixture.clock.advance(Duration.ofMinutes(11));

        assertError(fixture.push(body), 400, "400.002.02", "Bad Request - Invalid Timestamp");
    }

    @Test
    void pushRejectsTimestampElevenMinutesAhead() {
        String ahead = DarajaTime.timestamp(fixture.clock.instant().plus(Duration.ofMinutes(11)));
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
        body.put("Timestamp", ahead);
        body.put("Password", DarajaTime.password(SHORTCODE, PASSKEY, ahead));

        assertError(fixture.push(body), 400, "400.002.02", "Bad Request - Invalid Timestamp");
    }

    @Test
    void pushRejectsMalformedTimestamp() {
        for (String timestamp : new String[] {"2025031412300", "20251314123000", "2025-03-14T12:3", ""}) {
            ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
            body.put("Timestamp", timestamp);

            assertError(fixture.push(body), 400, "400.002.02", "Bad Request - Invalid Timestamp");
        }
    }

    @Test
    void pushAcceptsTimestampAsJsonNumber() {
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
        body.put("Timestamp", Long.parseLong(fixture.timestamp()));

        assertThat(fixture.push(body).status()).isEqualTo(200);
    }

    @Test
    void pushRejectsPasswordWithWrongPasskey() {
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
        body.put("Password", DarajaTime.password(SHORTCODE, "another-passkey", fixture.timestamp()));

        assertError(fixture.push(body), 500, "500.001.1001", "[MerchantValidate] - Wrong credentials");
    }

    @Test
    void pushRejectsPasswordForAnotherTimestamp() {
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
        String earlier = DarajaTime.timestamp(Instant.parse("2025-03-14T09:29:00Z"));
        body.put("Password", DarajaTime.password(SHORTCODE, PASSKEY, earlier));

        assertError(fixture.push(body), 500, "500.001.1001", "[MerchantValidate] - Wrong credentials");
    }

    @Test
    void pushRejectsMissingPassword() {
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
        body.remove("Password");

        assertError(fixture.push(body), 500, "500.001.1001", "[MerchantValidate] - Wrong credentials");
    }

    @Test
    void rejectedPushIsStillRecorded() {
        ObjectNode body = fixture.pushBody(PHONE, CALLBACK_URL);
        body.put("Amount", "10.5");
        fixture.push(body);

        assertThat(fixture.simulator.lastPushTo(PHONE)).isPresent();
        assertThat(fixture.simulator.lastPushTo(PHONE).get().get("Amount").asText()).isEqualTo("10.5");
    }
}
