package co.malipo.admin.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.quarkus.qute.TemplateExtension;

/** Template helpers for money and time. Times are shown in East Africa Time, as finance staff read them. */
@TemplateExtension
public final class Formats {

    public static final ZoneId EAT = ZoneId.of("Africa/Nairobi");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(EAT);

    private Formats() {
    }

    /** Formats an amount with two decimals and thousands separators, for example {@code 1,250.00}. */
    public static String money(BigDecimal amount) {
        if (amount == null) {
            return "";
        }
        DecimalFormat format = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return format.format(amount.setScale(2, RoundingMode.UNNECESSARY));
    }

    /** Formats an instant as East Africa Time to the second, for example {@code 2026-12-04 22:51:42}. */
    public static String eat(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }
}
