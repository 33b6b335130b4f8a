package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.simulator.AfricasTalkingSimulator;
import co.malipo.core.sms.SmsRepository;
import co.malipo.core.sms.SmsRepository.SmsMessage;
import co.malipo.core.sms.SmsRepository.Status;
import co.malipo.core.sms.SmsSender;
import co.malipo.core.sms.SmsService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Stored SMS messages sent through the Africa's Talking simulator over HTTP on 127.0.0.1, with the
 * test profile's 1 s retry delays. The sender's schedule is off; queuing wakes it, and tests also
 * run it themselves.
 */
@QuarkusTest
class SmsSendTest {

    @Inject
    SmsService service;
    @Inject
    SmsSender sender;
    @Inject
    SmsRepository repository;
    @Inject
    AfricasTalkingSimulator simulator;
    @Inject
    AttentionRepository attention;
    @Inject
    MeterRegistry meters;
    @Inject
    TestClock clock;

    @BeforeEach
    void reset() {
        simulator.reset();
    }

    private SmsMessage awaitStatus(long id, Status status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            sender.sendDue();
            SmsMessage message = repository.find(id).orElseThrow();
            if (message.status() == status) {
                return message;
            }
            Thread.sleep(100);
        }
        return repository.find(id).orElseThrow();
    }

    @Test
    void successStoresMessageId() throws InterruptedException {
        long id = service.queue(null, "0711 000 111", "Payment of KES 100 received – thank you");

        SmsMessage message = awaitStatus(id, Status.SENT);

        assertThat(message.status()).isEqualTo(Status.SENT);
        assertThat(message.providerMessageId()).startsWith("ATPid_");
        assertThat(message.statusCode()).isEqualTo(101);
        assertThat(message.attempts()).isEqualTo(1);
        assertThat(message.phone()).isEqualTo("254711000111");
        List<AfricasTalkingSimulator.ReceivedMessage> received = simulator.receivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received.get(0).to()).isEqualTo("+254711000111");
        assertThat(received.get(0).message()).isEqualTo("Payment of KES 100 received - thank you");
        assertThat(received.get(0).username()).isEqualTo("sandbox");
    }

    @Test
    void blacklistFailsWithoutRetry() throws InterruptedException {
        long id = service.queue(null, AfricasTalkingSimulator.BLACKLISTED, "Paid");

        SmsMessage message = awaitStatus(id, Status.FAILED);
        clock.advance(Duration.ofMinutes(5));
        sender.sendDue();

        assertThat(message.status()).isEqualTo(Status.FAILED);
        assertThat(message.providerMessageId()).isNull();
        assertThat(message.statusCode()).isEqualTo(406);
        assertThat(message.failureReason()).isEqualTo("UserInBlacklist (406)");
        assertThat(repository.find(id).orElseThrow().attempts()).isEqualTo(1);
        assertThat(simulator.receivedMessages()).hasSize(1);
    }

    @Test
    void serverErrorIsRetriedThenSent() throws InterruptedException {
        long id = service.queue(null, AfricasTalkingSimulator.FAILS_ONCE, "Paid");

        Instant deadline = Instant.now().plusSeconds(10);
        while (repository.find(id).orElseThrow().attempts() == 0 && Instant.now().isBefore(deadline)) {
            sender.sendDue();
            Thread.sleep(50);
        }
        SmsMessage afterFirst = repository.find(id).orElseThrow();
        clock.advance(Duration.ofSeconds(2));
        SmsMessage message = awaitStatus(id, Status.SENT);

        assertThat(afterFirst.status()).isEqualTo(Status.QUEUED);
        assertThat(afterFirst.failureReason()).contains("HTTP 500");
        assertThat(message.status()).isEqualTo(Status.SENT);
        assertThat(message.attempts()).isEqualTo(2);
        assertThat(message.providerMessageId()).startsWith("ATPid_");
    }

    @Test
    void invalidSenderIdAlertsOperator() {
        given().contentType("application/x-www-form-urlencoded").header("apiKey", "k")
                .formParam("username", "sandbox").formParam("to", "+254711000111")
                .formParam("message", "Paid").formParam("from", "BADSENDER")
                .when().post("/simulator/africastalking/version1/messaging")
                .then().statusCode(201)
                .body("SMSMessageData.Message", org.hamcrest.Matchers.equalTo("InvalidSenderId"))
                .body("SMSMessageData.Recipients.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void insufficientBalanceAlertsOperator() throws InterruptedException {
        double before = meters.counter("malipo.sms.configuration.errors").count();
        long id = service.queue(null, AfricasTalkingSimulator.NO_BALANCE, "Paid");

        SmsMessage message = awaitStatus(id, Status.FAILED);

        assertThat(message.status()).isEqualTo(Status.FAILED);
        assertThat(message.statusCode()).isEqualTo(405);
        assertThat(message.providerMessageId()).isNull();
        assertThat(attention.listOpen("sms_provider", "africastalking"))
                .extracting(AttentionRepository.Item::kind)
                .contains(AttentionRepository.Kind.SMS_CONFIGURATION_ERROR.name());
        assertThat(meters.counter("malipo.sms.configuration.errors").count()).isGreaterThan(before);
    }

    @Test
    void simulatorRejectsMissingApiKey() {
        given().contentType("application/x-www-form-urlencoded")
                .formParam("username", "sandbox").formParam("to", "+254711000111").formParam("message", "Paid")
                .when().post("/simulator/africastalking/version1/messaging")
                .then().statusCode(401);
    }
}
