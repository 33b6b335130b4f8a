package co.malipo.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.invoice.InvoiceService;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Definite rejections of the push by Daraja fail the invoice once, without a retry loop. */
@QuarkusTest
class PushRejectionTest {

    @Inject
    TestMerchants testMerchants;
    @Inject
    AttentionRepository attention;
    @Inject
    MeterRegistry meters;
    @Inject
    Db db;

    NewMerchant merchant;

    @BeforeEach
    void createMerchant() {
        merchant = testMerchants.create("Rejection Shop");
    }

    @Test
    void lockedSubscriberFailsWithDarajaMessage() {
        String invoiceId = Api.push(merchant.testSecretKey(), Map.of("phone_number", "254700300001", "amount", "10"))
                .path("invoice.invoice_id");

        Response failed = Api.awaitState(merchant.testSecretKey(), invoiceId, "FAILED", Duration.ofSeconds(10));

        assertThat(failed.<String>path("invoice.state")).as(failed.asString()).isEqualTo("FAILED");
        assertThat(failed.<String>path("invoice.failed_code")).isEqualTo("500.001.1001");
        assertThat(failed.<String>path("invoice.failed_reason"))
                .isEqualTo("Unable to lock subscriber, a transaction is already in process for the current subscriber");
        assertThat(pushTries(invoiceId)).as("sent once, never retried").isEqualTo(1);
    }

    @Test
    void wrongCredentialsFailAsConfigurationError() {
        double before = meters.counter("malipo.daraja.configuration.errors", "account", InvoiceService.SIMULATOR_ACCOUNT)
                .count();
        String invoiceId = Api.push(merchant.testSecretKey(), Map.of("phone_number", "254700300002", "amount", "10"))
                .path("invoice.invoice_id");

        Response failed = Api.awaitState(merchant.testSecretKey(), invoiceId, "FAILED", Duration.ofSeconds(10));

        assertThat(failed.<String>path("invoice.state")).as(failed.asString()).isEqualTo("FAILED");
        assertThat(failed.<String>path("invoice.failed_code")).isEqualTo("500.001.1001");
        assertThat(failed.<String>path("invoice.failed_reason")).doesNotContainIgnoringCase("credentials")
                .contains("operator has been alerted");
        assertThat(meters.counter("malipo.daraja.configuration.errors", "account", InvoiceService.SIMULATOR_ACCOUNT)
                .count()).isGreaterThan(before);
        assertThat(attention.listOpen("daraja_account", InvoiceService.SIMULATOR_ACCOUNT))
                .extracting(AttentionRepository.Item::kind).contains("CONFIGURATION_ERROR");
        assertThat(pushTries(invoiceId)).isEqualTo(1);
    }

    private int pushTries(String invoiceId) {
        return db.one("SELECT send_tries FROM push_jobs WHERE invoice_id = ?", row -> row.getInt(1), invoiceId)
                .orElseThrow();
    }
}
