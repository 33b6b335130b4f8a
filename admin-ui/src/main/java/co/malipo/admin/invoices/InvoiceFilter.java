package co.malipo.admin.invoices;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import co.malipo.admin.web.Formats;
import co.malipo.core.invoice.Channel;
import co.malipo.core.invoice.InvoiceState;
import co.malipo.core.merchant.Environment;

/**
 * The invoice list's filters, parsed from query parameters. Empty parameters mean "any". Dates
 * are East Africa Time days, both ends included. {@code phone} and {@code api_ref} match by
 * prefix; {@code receipt} and {@code invoice} match exactly. Invalid values are collected in
 * {@link #errors()}, one message per field.
 */
public final class InvoiceFilter {

    /** The query parameters that carry filters, in the order the form shows them. */
    static final List<String> PARAMETERS = List.of("state", "merchant", "environment", "channel", "from", "to",
            "phone", "api_ref", "receipt", "invoice");

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();

    private InvoiceState state;
    private String merchantId;
    private Environment environment;
    private Channel channel;
    private LocalDate from;
    private LocalDate to;
    private String phonePrefix;
    private String apiRefPrefix;
    private String receipt;
    private String invoiceId;

    private InvoiceFilter() {
    }

    public static InvoiceFilter parse(MultivaluedMap<String, String> query) {
        InvoiceFilter filter = new InvoiceFilter();
        for (String name : PARAMETERS) {
            String value = query.getFirst(name);
            filter.values.put(name, value == null ? "" : value.trim());
        }
        filter.validate();
        return filter;
    }

    private void validate() {
        state = parseEnum("state", InvoiceState.class);
        environment = parseEnum("environment", Environment.class);
        channel = parseEnum("channel", Channel.class);
        merchantId = blankToNull(values.get("merchant"));
        from = parseDate("from");
        to = parseDate("to");
        if (from != null && to != null && to.isBefore(from)) {
            errors.put("to", "The end date " + to + " is before the start date " + from + ". Swap them.");
        }
        String phone = values.get("phone").replaceAll("[\\s-]", "");
        if (!phone.isEmpty()) {
            if (phone.startsWith("+")) {
                phone = phone.substring(1);
            }
            if (!phone.matches("[0-9]{1,12}")) {
                errors.put("phone", "Enter up to 12 digits of the phone number, for example 2547123 or 07123.");
            } else {
                phonePrefix = normalisePhonePrefix(phone);
            }
        }
        String apiRef = values.get("api_ref");
        if (apiRef.length() > 140) {
            errors.put("api_ref", "An api_ref has at most 140 characters; enter its start.");
        } else {
            apiRefPrefix = blankToNull(apiRef);
        }
        receipt = blankToNull(values.get("receipt").toUpperCase(Locale.ROOT));
        invoiceId = blankToNull(values.get("invoice").toUpperCase(Locale.ROOT));
    }

    /** Turns the local forms {@code 07...}, {@code 01...}, {@code 7...} and {@code 1...} into the stored {@code 254...} form. */
    static String normalisePhonePrefix(String digits) {
        if (digits.startsWith("0")) {
            return "254" + digits.substring(1);
        }
        if (digits.startsWith("7") || digits.startsWith("1")) {
            return "254" + digits;
        }
        return digits;
    }

    private <E extends Enum<E>> E parseEnum(String name, Class<E> type) {
        String value = values.get(name);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name());
            }
            errors.put(name, "Unknown " + name + " '" + value + "'. Choose one of " + String.join(", ", allowed) + ".");
            return null;
        }
    }

    private LocalDate parseDate(String name) {
        String value = values.get(name);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.put(name, "Invalid date '" + value + "'. Use the form YYYY-MM-DD, for example 2026-03-31.");
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    public Map<String, String> errors() {
        return errors;
    }

    /** Returns the raw parameter values, for refilling the form. */
    public Map<String, String> values() {
        return values;
    }

    /** Returns the filters as a query string without the page cursor, for links and the export. */
    public String query() {
        StringBuilder query = new StringBuilder();
        values.forEach((name, value) -> {
            if (!value.isEmpty()) {
                query.append(query.length() == 0 ? "" : "&").append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    /** Returns the filters that are set, as a map for the audit log. */
    public Map<String, String> setValues() {
        Map<String, String> set = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (!value.isEmpty()) {
                set.put(name, value);
            }
        });
        return set;
    }

    InvoiceState state() {
        return state;
    }

    String merchantId() {
        return merchantId;
    }

    Environment environment() {
        return environment;
    }

    Channel channel() {
        return channel;
    }

    /** Start of the first EAT day, or null. */
    Instant createdFrom() {
        return from == null ? null : from.atStartOfDay(Formats.EAT).toInstant();
    }

    /** Start of the EAT day after the last one, or null. */
    Instant createdBefore() {
        return to == null ? null : to.plusDays(1).atStartOfDay(Formats.EAT).toInstant();
    }

    String phonePrefix() {
        return phonePrefix;
    }

    String apiRefPrefix() {
        return apiRefPrefix;
    }

    String receipt() {
        return receipt;
    }

    String invoiceId() {
        return invoiceId;
    }
}
