package co.malipo.ussd;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.channel.ChannelBusiness;
import co.malipo.core.channel.ChannelBusinessRepository;
import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.Money;
import co.malipo.core.invoice.PhoneNumbers;
import co.malipo.core.invoice.Quote;
import co.malipo.core.invoice.Tariff;
import org.jboss.logging.Logger;

/**
 * The USSD menu. Africa's Talking sends the whole input of the session on every request, so the
 * menu state is rebuilt by replaying each {@code *}-separated input from the main menu. Input
 * {@code 0} goes back one step and {@code 00} goes home. Valid input moves one step forward and
 * invalid input leaves the step unchanged. Only the last input's error is shown. Choice 3 of the
 * main menu switches between English and Kiswahili for the rest of the session.
 */
@ApplicationScoped
public class UssdMenu {

    private static final Logger LOG = Logger.getLogger(UssdMenu.class);
    private static final Pattern WHOLE_SHILLINGS = Pattern.compile("[0-9]{1,9}");
    /** Letters, digits, spaces and {@code - / .}: what a phone keypad can type into a reference. */
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ./-]{0,19}");
    static final String BACK = "0";
    static final String HOME = "00";

    private enum Step {
        MAIN,
        BUSINESS,
        AMOUNT,
        REFERENCE,
        CONFIRM
    }

    /** One step of the pay flow with what the customer has chosen so far. */
    private record Frame(Step step, ChannelBusiness business, BigDecimal amount, String reference) {

        Frame next(Step nextStep) {
            return new Frame(nextStep, business, amount, reference);
        }
    }

    private final ChannelBusinessRepository businesses;
    private final UssdPayments payments;
    private final GatewayConfig.Payments limits;

    public UssdMenu(ChannelBusinessRepository businesses, UssdPayments payments, GatewayConfig config) {
        this.businesses = businesses;
        this.payments = payments;
        this.limits = config.payments();
    }

    /**
     * Replays the session's input and returns the reply, starting with {@code CON} or {@code END}.
     * An exception in any step is logged and ends the session with the unavailable text in the
     * session's language.
     */
    public String reply(UssdRequest request) {
        Session session = new Session();
        try {
            return replay(request, session);
        } catch (RuntimeException e) {
            LOG.errorf(e, "USSD session %s failed for phone %s", request.sessionId(), PhoneNumbers.mask(request.phone()));
            return "END " + session.texts.unavailable();
        }
    }

    /** The language of the screens, and whether the customer chose it with choice 3 of the main menu. */
    private static final class Session {
        UssdTexts texts = UssdTexts.ENGLISH;
        boolean languageChosen;
    }

    private String replay(UssdRequest request, Session session) {
        Deque<Frame> frames = new ArrayDeque<>();
        frames.push(new Frame(Step.MAIN, null, null, null));
        String error = null;
        String text = request.text() == null ? "" : request.text();
        for (String input : text.isEmpty() ? new String[0] : text.split("\\*", -1)) {
            error = null;
            UssdTexts texts = session.texts;
            if (input.equals(HOME)) {
                while (frames.size() > 1) {
                    frames.pop();
                }
                continue;
            }
            if (input.equals(BACK)) {
                if (frames.size() > 1) {
                    frames.pop();
                }
                continue;
            }
            Frame current = frames.peek();
            switch (current.step()) {
                case MAIN -> {
                    if (input.equals("1")) {
                        frames.push(current.next(Step.BUSINESS));
                    } else if (input.equals("2")) {
                        return payments.lastPayment(request.phone(), texts);
                    } else if (input.equals("3")) {
                        session.texts = texts.other();
                        session.languageChosen = true;
                    } else {
                        error = texts.invalidChoice();
                    }
                }
                case BUSINESS -> {
                    Optional<ChannelBusiness> business = businesses.find(input);
                    if (business.isPresent()) {
                        frames.push(new Frame(Step.AMOUNT, business.get(), null, null));
                    } else {
                        error = texts.businessNotFound(UssdText.echo(input));
                    }
                }
                case AMOUNT -> {
                    error = amountError(input, texts);
                    if (error == null) {
                        Frame withAmount = new Frame(Step.AMOUNT, current.business(), new BigDecimal(input), null);
                        frames.push(withAmount.next(current.business().needsReference() ? Step.REFERENCE : Step.CONFIRM));
                    }
                }
                case REFERENCE -> {
                    // NOTE: a reference of 0 or 00 cannot be entered, since those inputs navigate.
                    String reference = input.trim();
                    if (REFERENCE.matcher(reference).matches()) {
                        frames.push(new Frame(Step.CONFIRM, current.business(), current.amount(), reference));
                    } else {
                        error = texts.invalidReference();
                    }
                }
                case CONFIRM -> {
                    if (input.equals("1")) {
                        String receiptLanguage = session.languageChosen ? texts.code()
                                : current.business().defaultLanguage();
                        return payments.confirm(request, current.business(), current.amount(), current.reference(),
                                texts, receiptLanguage);
                    } else if (input.equals("2")) {
                        return "END " + texts.cancelled();
                    } else {
                        error = texts.invalidChoice();
                    }
                }
                default -> throw new IllegalStateException("Unknown USSD step " + current.step());
            }
        }
        return screen(frames.peek(), error, session.texts);
    }

    private String amountError(String input, UssdTexts texts) {
        String min = UssdText.shillings(limits.minAmount());
        String max = UssdText.shillings(limits.maxAmount());
        if (!WHOLE_SHILLINGS.matcher(input).matches()) {
            return texts.invalidAmount(min, max);
        }
        BigDecimal amount = new BigDecimal(input);
        if (amount.compareTo(limits.minAmount()) < 0 || amount.compareTo(limits.maxAmount()) > 0) {
            return texts.amountOutOfRange(min, max);
        }
        return null;
    }

    private String screen(Frame frame, String error, UssdTexts texts) {
        String prefix = error == null ? "" : error + "\n";
        return "CON " + prefix + switch (frame.step()) {
            case MAIN -> texts.mainMenu();
            case BUSINESS -> texts.businessPrompt();
            case AMOUNT -> texts.amountPrompt(UssdText.shorten(frame.business().displayName()),
                    UssdText.kes(limits.minAmount()), UssdText.shillings(limits.maxAmount()));
            case REFERENCE -> texts.referencePrompt(UssdText.shorten(frame.business().displayName()),
                    UssdText.shorten(frame.business().referenceLabel().orElse(texts.defaultReferenceLabel())));
            case CONFIRM -> confirmation(frame, texts);
        };
    }

    /** Shows the amount the customer will be asked for, which includes no fee because the business pays it. */
    private String confirmation(Frame frame, UssdTexts texts) {
        Quote quote = Quote.of(Money.ceilShilling(frame.amount()), Tariff.BUSINESS_PAYS, limits);
        return texts.confirmation(UssdText.kes(quote.value()), UssdText.shorten(frame.business().displayName()),
                frame.reference());
    }
}
