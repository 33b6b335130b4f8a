package co.malipo.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantRepository;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Input rules of the push: every invalid field gets a 400 naming it, and no invoice is written. */
@QuarkusTest
class PushValidationTest {

    @Inject
    TestMerchants testMerchants;
    @Inject
    Db db;
    @Inject
    MerchantRepository merchants;

    NewMerchant merchant;

    @BeforeEach
    void createMerchant() {
        merchant = testMerchants.create("Validation Shop");
    }

    @Test
    void phoneFormsNormalised() {
        Map<Object, String> accepted = new java.util.LinkedHashMap<>();
        accepted.put("0700000010", "254700000010");
        accepted.put("+254700000011", "254700000011");
        accepted.put("254 700 000 012", "254700000012");
        accepted.put("0110000010", "254110000010");
        accepted.put("+254110000011", "254110000011");
        accepted.put(254700000013L, "254700000013");
        for (Map.Entry<Object, String> form : accepted.entrySet()) {
            Response pushed = Api.push(merchant.testSecretKey(),
                    Map.of("phone_number", form.getKey(), "amount", "10", "api_ref", "phone " + form.getKey()));
            assertThat(pushed.statusCode()).as("%s: %s", form.getKey(), pushed.asString()).isEqualTo(200);
            assertThat(pushed.<String>path("invoice.account")).as("%s", form.getKey()).isEqualTo(form.getValue());
        }
    }

    @Test
    void badPhonesRejected() {
        List<Object> rejected = new java.util.ArrayList<>(List.of("25470000001", "+255700000010", "07000000101", "abc", ""));
        rejected.add(null);
        for (Object phone : rejected) {
            Map<String, Object> body = new HashMap<>();
            body.put("phone_number", phone);
            body.put("amount", "10");
            Response pushed = Api.push(merchant.testSecretKey(), body);
            assertThat(pushed.statusCode()).as("%s", phone).isEqualTo(400);
            assertThat(pushed.<List<String>>path("phone_number")).as("%s", phone).isNotEmpty();
        }
        assertThat(invoiceCount()).isZero();
    }

    @Test
    void amountsRoundedUpOnce() {
        Response whole = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000001", "amount", "100.00"));
        assertThat(whole.<String>path("invoice.value")).isEqualTo("100.00");

        Response cents = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000002", "amount", "10.01"));
        assertThat(cents.<String>path("invoice.value")).isEqualTo("11.00");

        Response max = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000003", "amount", "150000"));
        assertThat(max.statusCode()).as(max.asString()).isEqualTo(200);
    }

    @Test
    void badAmountsRejected() {
        List<Object> rejected = new java.util.ArrayList<>(List.of(9, "0", "-5", "abc", "150001", "1e3", "10.001"));
        rejected.add(null);
        for (Object amount : rejected) {
            Map<String, Object> body = new HashMap<>();
            body.put("phone_number", "0712000004");
            body.put("amount", amount);
            Response pushed = Api.push(merchant.testSecretKey(), body);
            assertThat(pushed.statusCode()).as("%s", amount).isEqualTo(400);
            assertThat(pushed.<List<String>>path("amount")).as("%s", amount).isNotEmpty();
        }
        assertThat(invoiceCount()).isZero();
    }

    @Test
    void hugeAmountsOutOfRange() {
        for (Object amount : List.of("12345678901234567890123456789012", new java.math.BigInteger("9".repeat(32)),
                "1234567890123456.50")) {
            Map<String, Object> body = new HashMap<>();
            body.put("phone_number", "0712000009");
            body.put("amount", amount);
            Response pushed = Api.push(merchant.testSecretKey(), body);

            assertThat(pushed.statusCode()).as("%s", amount).isEqualTo(400);
            assertThat(pushed.<List<String>>path("amount")).as("%s", amount).singleElement().asString()
                    .contains("outside the allowed range").doesNotContain("decimal places");
        }
        assertThat(invoiceCount()).isZero();
    }

    @Test
    void currencyOtherThanKesRejected() {
        for (Object currency : List.of("USD", "kes", 404, "X".repeat(300))) {
            Map<String, Object> body = new HashMap<>();
            body.put("phone_number", "0712000010");
            body.put("amount", "10");
            body.put("currency", currency);
            Response pushed = Api.push(merchant.testSecretKey(), body);

            assertThat(pushed.statusCode()).as("%s", currency).isEqualTo(400);
            assertThat(pushed.<List<String>>path("currency")).as("%s", currency).singleElement().asString()
                    .contains("KES only").doesNotContain("XXXXXXXXX");
        }
        assertThat(Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000010", "amount", "10",
                "currency", "USD")).<List<String>>path("currency")).singleElement().asString().contains("\"USD\"");
        assertThat(invoiceCount()).isZero();
    }

    @Test
    void customerPaysAddsFee() {
        Response pushed = Api.push(merchant.testSecretKey(),
                Map.of("phone_number", "0712000005", "amount", "100", "mobile_tarrif", "CUSTOMER-PAYS"));

        assertThat(pushed.<String>path("invoice.value")).isEqualTo("102.00");
        assertThat(pushed.<String>path("invoice.charges")).isEqualTo("2.00");
        assertThat(pushed.<String>path("invoice.net_amount")).isEqualTo("100.00");
    }

    @Test
    void nullAndEmptyOptionalsUseDefaults() {
        Map<String, Object> body = new HashMap<>();
        body.put("phone_number", "0712000006");
        body.put("amount", "20");
        body.put("api_ref", null);
        body.put("wallet_id", "");
        body.put("mobile_tarrif", null);
        body.put("public_key", null);
        body.put("currency", "KES");
        body.put("method", "MPESA_STK_PUSH");
        body.put("narrative", null);
        body.put("unknown_field", Map.of("nested", true));
        Response pushed = Api.push(merchant.testSecretKey(), body);

        assertThat(pushed.statusCode()).as(pushed.asString()).isEqualTo(200);
        assertThat(pushed.<String>path("invoice.api_ref")).isEqualTo("MPesa Express");
        assertThat(pushed.<String>path("invoice.mobile_tarrif")).isEqualTo("BUSINESS-PAYS");
        assertThat(pushed.<String>path("invoice.wallet_id")).startsWith("wlt_");
    }

    @Test
    void allInvalidFieldsReportedTogether() {
        Map<String, Object> body = new HashMap<>();
        body.put("phone_number", "abc");
        body.put("amount", "-1");
        body.put("api_ref", "x".repeat(141));
        body.put("wallet_id", "wlt_NOTMINE000");
        body.put("mobile_tarrif", "NOBODY-PAYS");
        Response pushed = Api.push(merchant.testSecretKey(), body);

        assertThat(pushed.statusCode()).isEqualTo(400);
        Map<String, List<String>> errors = pushed.as(Map.class);
        assertThat(errors).containsOnlyKeys("phone_number", "amount", "api_ref", "wallet_id", "mobile_tarrif");
        assertThat(invoiceCount()).isZero();
    }

    @Test
    void otherMerchantsWalletRejected() {
        NewMerchant other = testMerchants.create("Wallet Owner");
        String othersWallet = merchants.findSettlementWallet(other.merchantId(), Environment.TEST).orElseThrow().id();
        String ownLiveWallet = merchants.findSettlementWallet(merchant.merchantId(), Environment.LIVE).orElseThrow().id();

        for (String walletId : List.of(othersWallet, ownLiveWallet)) {
            Response pushed = Api.push(merchant.testSecretKey(),
                    Map.of("phone_number", "0712000008", "amount", "30", "wallet_id", walletId));
            assertThat(pushed.statusCode()).as(walletId).isEqualTo(400);
            assertThat(pushed.<List<String>>path("wallet_id")).as(walletId).isNotEmpty();
        }
        assertThat(invoiceCount()).isZero();
    }

    @Test
    void apiRefStoredExactly() {
        String reference = "Order #42 / école & café";
        Response pushed = Api.push(merchant.testSecretKey(),
                Map.of("phone_number", "0712000007", "amount", "30", "api_ref", reference));

        assertThat(pushed.<String>path("invoice.api_ref")).isEqualTo(reference);
    }

    @Test
    void malformedJsonGetsDetail() {
        Response pushed = io.restassured.RestAssured.given().contentType("application/json")
                .header("Authorization", "Bearer " + merchant.testSecretKey())
                .body("{\"phone_number\": ").when().post(Api.PUSH);

        assertThat(pushed.statusCode()).isEqualTo(400);
        assertThat(pushed.<String>path("detail")).startsWith("Malformed JSON at line 1, column 18.");
    }

    private int invoiceCount() {
        return db.one("SELECT count(*) FROM invoices WHERE merchant_id = ?", row -> row.getInt(1), merchant.merchantId())
                .orElseThrow();
    }
}
