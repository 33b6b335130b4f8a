package co.malipo.core.daraja;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/** Daraja's {@code Timestamp} and {@code Password}, always in East Africa Time whatever the host's zone. */
public final class DarajaTime {

    /** Daraja checks timestamps against Nairobi time; a host in UTC would be three hours off. */
    public static final ZoneId NAIROBI = ZoneId.of("Africa/Nairobi");

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(NAIROBI);

    private DarajaTime() {
    }

    /** Formats an instant as Daraja's {@code yyyyMMddHHmmss} in East Africa Time. */
    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** Parses a Daraja timestamp, read as East Africa Time. */
    public static Instant parseTimestamp(String timestamp) {
        return TIMESTAMP.parse(timestamp, Instant::from);
    }

    /** Builds the {@code Password}: Base64 of shortcode, passkey and timestamp concatenated. */
    public static String password(String shortcode, String passkey, String timestamp) {
        String plain = shortcode + passkey + timestamp;
        return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
