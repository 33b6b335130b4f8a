package co.malipo.api.payment;

import java.util.Locale;

import co.malipo.api.error.ApiException;

/** The merchant API reads only JSON in UTF-8; a missing Content-Type is read as JSON, as many clients omit it. */
public final class ContentTypes {

    private ContentTypes() {
    }

    public static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        String type = parts[0].trim();
        boolean json = type.equals("application/json") || type.endsWith("+json");
        if (!json) {
            throw ApiException.detail(415, "Unsupported Content-Type \"" + shorten(type)
                    + "\". Send the body as JSON with Content-Type: application/json.");
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "").trim();
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    throw ApiException.detail(415, "Unsupported charset \"" + shorten(charset)
                            + "\". Send JSON encoded as UTF-8.");
                }
            }
        }
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
