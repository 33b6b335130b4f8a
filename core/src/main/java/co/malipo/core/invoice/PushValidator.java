package co.malipo.core.invoice;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantRepository;
import co.malipo.core.merchant.Wallet;

/**
 * Checks an STK push request field by field and collects every error before failing, so the
 * response lists all invalid fields at once. Unknown fields are ignored.
 */
@ApplicationScoped
public class PushValidator {

    static final int MAX_API_REF_LENGTH = 140;
    /** A decimal string: digits, optionally a point and one or two digits; no sign, exponent or spaces. */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,15}(\\.[0-9]{1,2})?");
    /** A well-formed decimal with more whole digits than {@link #DECIMAL} takes, so too large for any limit. */
    private static final Pattern LONG_DECIMAL = Pattern.compile("[0-9]{16,}(\\.[0-9]{1,2})?");
    /** Control and invisible format characters, line separators and unpaired surrogates: they only hide content. */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}]");

    private final GatewayConfig.Payments payments;
    private final MerchantRepository merchants;

    public PushValidator(GatewayConfig config, MerchantRepository merchants) {
        this.payments = config.payments();
        this.merchants = merchants;
    }

    /** Validates a push body for a merchant and environment; throws {@link ValidationException} listing every bad field. */
    public ValidPush validate(String merchantId, Environment environment, Channel channel, JsonNode body) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String phone = phone(body.get("phone_number"), errors);
        BigDecimal amount = amount(body.get("amount"), errors);
        currency(body.get("currency"), errors);
        String apiRef = apiRef(body.get("api_ref"), errors);
        Wallet wallet = wallet(merchantId, environment, body.get("wallet_id"), errors);
        Tariff tariff = tariff(body.get("mobile_tarrif"), errors);

        Quote quote = null;
        if (amount != null && tariff != null) {
            quote = Quote.of(amount, tariff, payments);
            if (quote.value().compareTo(payments.maxPromptAmount()) > 0) {
                add(errors, "amount", "With the fee added the customer would be asked for " + Money.format(quote.value())
                        + " KES, above the M-Pesa maximum of " + Money.format(payments.maxPromptAmount())
                        + " KES. Lower the amount or use BUSINESS-PAYS.");
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new ValidPush(merchantId, environment, channel, phone, apiRef, wallet, tariff, quote);
    }

    private static String phone(JsonNode node, Map<String, List<String>> errors) {
        if (isAbsent(node)) {
            add(errors, "phone_number", "This field is required. Send the customer's M-Pesa number, e.g. 0712345678.");
            return null;
        }
        String text = node.isIntegralNumber() ? node.bigIntegerValue().toString() : node.isTextual() ? node.textValue() : null;
        if (text == null) {
            add(errors, "phone_number", "Must be a string or a number, such as \"0712345678\".");
            return null;
        }
        Optional<String> normalised = PhoneNumbers.normalise(text);
        if (normalised.isEmpty()) {
            add(errors, "phone_number", "Invalid Kenyan mobile number. Use a form such as 0712345678, 712345678,"
                    + " 254712345678 or +254712345678.");
            return null;
        }
        return normalised.get();
    }

    private BigDecimal amount(JsonNode node, Map<String, List<String>> errors) {
        if (isAbsent(node)) {
            add(errors, "amount", "This field is required. Send the amount in KES, e.g. \"100\" or 100.");
            return null;
        }
        if (!node.isTextual() && !node.isNumber()) {
            add(errors, "amount", "Must be a decimal string or a number, such as \"100\" or 100.");
            return null;
        }
        BigDecimal parsed = parseAmount(node);
        if (parsed == null && hasTooManyDigits(node)) {
            add(errors, "amount", "Amount has more than 15 digits before the decimal point, outside the allowed range."
                    + " Send between " + Money.format(payments.minAmount()) + " and "
                    + Money.format(payments.maxAmount()) + " KES.");
            return null;
        }
        if (parsed == null) {
            add(errors, "amount", "Invalid amount. Send a positive number of KES with at most 2 decimal places,"
                    + " e.g. \"100\" or \"99.50\", without signs, exponents or spaces.");
            return null;
        }
        BigDecimal rounded = Money.ceilShilling(parsed);
        if (rounded.compareTo(payments.minAmount()) < 0 || rounded.compareTo(payments.maxAmount()) > 0) {
            String asSent = parsed.compareTo(rounded) == 0 ? Money.format(rounded) + " KES"
                    : parsed.toPlainString() + " KES (rounded up to " + Money.format(rounded) + ")";
            add(errors, "amount", "Amount " + asSent + " is outside the allowed range. Send between "
                    + Money.format(payments.minAmount()) + " and " + Money.format(payments.maxAmount()) + " KES.");
            return null;
        }
        return rounded;
    }

    /**
     * Reads a JSON number or decimal string as a positive amount, or null when it is not one. The
     * node must come from a mapper that keeps trailing zeros of decimals, as the API's does.
     */
    static BigDecimal parseAmount(JsonNode node) {
        String text;
        if (node.isTextual()) {
            text = node.textValue();
        } else if (node.isNumber()) {
            BigDecimal number = node.decimalValue();
            // Parsed with trailing zeros kept (JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES off),
            // a negative scale can only come from an exponent such as 1e3 or 1e400: rejected.
            if (number.scale() < 0 || number.precision() - number.scale() > 15) {
                return null;
            }
            text = number.stripTrailingZeros().toPlainString();
        } else {
            return null;
        }
        if (!DECIMAL.matcher(text).matches()) {
            return null;
        }
        BigDecimal value = new BigDecimal(text);
        return value.signum() > 0 ? value : null;
    }

    /** Tells whether a positive decimal, written without sign or exponent, has over 15 whole digits. */
    private static boolean hasTooManyDigits(JsonNode node) {
        if (node.isTextual()) {
            return LONG_DECIMAL.matcher(node.textValue()).matches();
        }
        BigDecimal number = node.decimalValue();
        return number.signum() > 0 && number.scale() >= 0 && number.scale() <= 2
                && number.precision() - number.scale() > 15;
    }

    /** Validates that the currency is absent, null or "KES", because M-Pesa collects shillings only. */
    private static void currency(JsonNode node, Map<String, List<String>> errors) {
        if (isAbsent(node) || (node.isTextual() && "KES".equals(node.textValue()))) {
            return;
        }
        // Only a short code is echoed, so a long or nested value never comes back in the error.
        String echoedValue = node.isTextual() && node.textValue().length() <= 8
                && !INVISIBLE.matcher(node.textValue()).find() ? " \"" + node.textValue() + "\"" : "";
        add(errors, "currency", "Unsupported currency" + echoedValue
                + ". M-Pesa STK Push collects KES only; send \"KES\" or leave the field out.");
    }

    private String apiRef(JsonNode node, Map<String, List<String>> errors) {
        if (isAbsent(node) || (node.isTextual() && node.textValue().isEmpty())) {
            return payments.defaultApiRef();
        }
        if (!node.isTextual()) {
            add(errors, "api_ref", "Must be a string of at most 140 characters.");
            return null;
        }
        String text = node.textValue();
        if (text.codePointCount(0, text.length()) > MAX_API_REF_LENGTH) {
            add(errors, "api_ref", "Ensure this field has no more than 140 characters; it has "
                    + text.codePointCount(0, text.length()) + ".");
            return null;
        }
        if (INVISIBLE.matcher(text).find()) {
            add(errors, "api_ref", "Invalid reference: it contains control or invisible characters. Send plain text.");
            return null;
        }
        if (text.isBlank()) {
            add(errors, "api_ref", "Invalid reference: it is only spaces. Send a reference, or omit api_ref for the default.");
            return null;
        }
        return text;
    }

    private Wallet wallet(String merchantId, Environment environment, JsonNode node, Map<String, List<String>> errors) {
        if (isAbsent(node) || (node.isTextual() && node.textValue().isEmpty())) {
            Optional<Wallet> settlement = merchants.findSettlementWallet(merchantId, environment);
            if (settlement.isEmpty()) {
                add(errors, "wallet_id", "Your account has no KES settlement wallet in this environment."
                        + " Ask the operator to create one, or send the id of one of your KES wallets.");
            }
            return settlement.orElse(null);
        }
        if (!node.isTextual()) {
            add(errors, "wallet_id", "Must be a string, such as \"wlt_8D2K4Q7M1B\". Omit it to use your settlement wallet.");
            return null;
        }
        Optional<Wallet> wallet = node.textValue().length() <= 64
                ? merchants.findWallet(merchantId, environment, node.textValue()).filter(w -> "KES".equals(w.currency()))
                : Optional.empty();
        if (wallet.isEmpty()) {
            add(errors, "wallet_id", "No KES wallet with this id belongs to your account in this environment."
                    + " Omit wallet_id to use your settlement wallet.");
        }
        return wallet.orElse(null);
    }

    private static Tariff tariff(JsonNode node, Map<String, List<String>> errors) {
        if (isAbsent(node) || (node.isTextual() && node.textValue().isEmpty())) {
            return Tariff.BUSINESS_PAYS;
        }
        Optional<Tariff> tariff = node.isTextual() ? Tariff.fromWire(node.textValue()) : Optional.empty();
        if (tariff.isEmpty()) {
            String shown = node.isTextual() ? node.textValue() : node.toString();
            if (shown.length() > 40) {
                shown = shown.substring(0, 40) + "...";
            }
            add(errors, "mobile_tarrif", "\"" + shown + "\" is not a valid choice. Use BUSINESS-PAYS or CUSTOMER-PAYS.");
        }
        return tariff.orElse(null);
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static void add(Map<String, List<String>> errors, String field, String message) {
        errors.computeIfAbsent(field, key -> new ArrayList<>()).add(message);
    }
}
