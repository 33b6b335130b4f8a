import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a Malipo webhook with the JDK only (Standard Webhooks scheme).
 *
 * <p>Usage: {@code java VerifyWebhook.java SECRET WEBHOOK_ID WEBHOOK_TIMESTAMP WEBHOOK_SIGNATURE BODY_FILE [NOW_SECONDS]}.
 * Prints {@code valid} and exits 0, or prints {@code invalid} and exits 1.
 */
public class VerifyWebhook {

    static final long TOLERANCE_SECONDS = 5 * 60;

    /**
     * Checks that the timestamp is within 5 minutes of {@code nowSeconds} and that one of the
     * {@code v1,} signatures in the header is the HMAC-SHA256 of {@code id.timestamp.body}.
     */
    public static boolean verify(String secret, String id, String timestamp, String signatureHeader, byte[] body,
            long nowSeconds) throws GeneralSecurityException {
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - sentAt) > TOLERANCE_SECONDS) {
            return false;
        }
        String encodedKey = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(encodedKey), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);

        // During a secret rotation the header carries several space-separated signatures.
        for (String signature : signatureHeader.split(" ")) {
            if (!signature.startsWith("v1,")) {
                continue;
            }
            byte[] received;
            try {
                received = Base64.getDecoder().decode(signature.substring("v1,".length()));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, received)) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) throws Exception {
        byte[] body = Files.readAllBytes(Path.of(args[4]));
        long now = args.length > 5 ? Long.parseLong(args[5]) : System.currentTimeMillis() / 1000;
        boolean valid = verify(args[0], args[1], args[2], args[3], body, now);
        System.out.println(valid ? "valid" : "invalid");
        System.exit(valid ? 0 : 1);
    }
}
