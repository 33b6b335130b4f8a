package co.malipo.core.sms;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.PhoneNumbers;
import co.malipo.core.observability.ProviderStatus;
import co.malipo.core.support.JsonText;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * Sends queued text messages. A commit that queues one wakes the sender, and the schedule retries
 * transient failures when they fall due. Claims use {@code SKIP LOCKED} with a lease, so several
 * instances share the queue, and each request goes out with no transaction open.
 */
@ApplicationScoped
public class SmsSender {

    private static final Logger LOG = Logger.getLogger(SmsSender.class);

    /** Subject of the attention item that an account or settings error opens. */
    static final String ATTENTION_SUBJECT_TYPE = "sms_provider";
    static final String ATTENTION_SUBJECT_ID = "africastalking";

    private final SmsRepository repository;
    private final AfricasTalkingClient client;
    private final AttentionRepository attention;
    private final MeterRegistry meters;
    private final ProviderStatus providers;
    private final Clock clock;
    private final GatewayConfig.Sms config;
    private final Duration lease;
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "malipo-sms-send");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean wakeRequested = new AtomicBoolean();

    public SmsSender(SmsRepository repository, AfricasTalkingClient client, AttentionRepository attention,
            MeterRegistry meters, ProviderStatus providers, Clock clock, GatewayConfig config) {
        this.repository = repository;
        this.client = client;
        this.attention = attention;
        this.meters = meters;
        this.providers = providers;
        this.clock = clock;
        this.config = config.sms();
        // One claim is sent one message after another, each within the client's timeouts.
        this.lease = this.config.connectTimeout().plus(this.config.readTimeout())
                .multipliedBy(this.config.batchSize()).plus(Duration.ofMinutes(1));
    }

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) SmsService.SmsQueued queued) {
        wake();
    }

    @Scheduled(every = "${malipo.sms.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    /** Starts a round on the sender thread unless one is already waiting to start. */
    public void wake() {
        if (wakeRequested.compareAndSet(false, true)) {
            try {
                dispatcher.submit(() -> {
                    wakeRequested.set(false);
                    sendDue();
                });
            } catch (RejectedExecutionException e) {
                LOG.debug("SMS sender is shut down, so the wake-up was dropped");
            }
        }
    }

    /** Claims and sends due messages until none is due, and returns how many were sent or failed. */
    public int sendDue() {
        int handled = 0;
        try {
            while (true) {
                Instant now = clock.instant();
                List<SmsRepository.SmsMessage> claimed = QuarkusTransaction.requiringNew()
                        .call(() -> repository.claimDue(now, lease, config.batchSize()));
                if (claimed.isEmpty()) {
                    return handled;
                }
                for (SmsRepository.SmsMessage message : claimed) {
                    sendOne(message);
                    handled++;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("SMS send round failed; claimed messages are sent again when their lease ends", e);
            return handled;
        }
    }

    private void sendOne(SmsRepository.SmsMessage message) {
        SendResult result = client.send(List.of("+" + message.phone()), message.body());
        recordProviderStatus(result);
        Instant now = clock.instant();
        SmsDecision decision = SmsDecision.of(result, message.attempts(), config.retryDelays(), now);
        QuarkusTransaction.requiringNew().run(() -> apply(message, decision, now));
        meters.counter("malipo.sms.attempts", "outcome", decision.getClass().getSimpleName().toLowerCase()).increment();
    }

    private void recordProviderStatus(SendResult result) {
        if (result instanceof SendResult.Transient failed) {
            providers.recordFailure(ProviderStatus.Provider.AFRICAS_TALKING, failed.reason());
        } else if (result instanceof SendResult.ConfigurationError failed) {
            providers.recordFailure(ProviderStatus.Provider.AFRICAS_TALKING, failed.reason());
        } else {
            providers.recordReply(ProviderStatus.Provider.AFRICAS_TALKING);
        }
    }

    private void apply(SmsRepository.SmsMessage message, SmsDecision decision, Instant now) {
        String phone = PhoneNumbers.mask(message.phone());
        if (decision instanceof SmsDecision.Sent sent) {
            repository.markSent(message.id(), sent.providerMessageId(), sent.statusCode(), now);
            LOG.infof("SMS %d to %s sent, message id %s", message.id(), phone, sent.providerMessageId());
        } else if (decision instanceof SmsDecision.Retry retry) {
            repository.scheduleRetry(message.id(), retry.statusCode(), retry.reason(), retry.nextAttemptAt(), now);
            LOG.warnf("SMS %d to %s failed on attempt %d (%s); retrying at %s", message.id(), phone,
                    message.attempts(), retry.reason(), retry.nextAttemptAt());
        } else {
            SmsDecision.Fail fail = (SmsDecision.Fail) decision;
            repository.markFailed(message.id(), fail.statusCode(), fail.reason(), now);
            if (fail.alertOperator()) {
                alertOperator(message, fail, now);
            } else {
                LOG.warnf("SMS %d to %s failed for good: %s", message.id(), phone, fail.reason());
            }
        }
    }

    private void alertOperator(SmsRepository.SmsMessage message, SmsDecision.Fail fail, Instant now) {
        LOG.errorf("SMS %d failed because of the Africa's Talking account or settings: %s. Check malipo.sms.username,"
                + " api-key, sender-id and the account balance", message.id(), fail.reason());
        meters.counter("malipo.sms.configuration.errors").increment();
        attention.open(ATTENTION_SUBJECT_TYPE, ATTENTION_SUBJECT_ID, AttentionRepository.Kind.SMS_CONFIGURATION_ERROR,
                JsonText.of(Map.of("sms_id", message.id(), "reason", fail.reason())), now);
    }

    @PreDestroy
    void stop() {
        dispatcher.shutdownNow();
    }
}
