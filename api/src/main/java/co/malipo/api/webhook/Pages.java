package co.malipo.api.webhook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import co.malipo.api.error.ApiException;

/**
 * Page-number pagination in the Django REST framework format: {@code count}, {@code next},
 * {@code previous} and {@code results}, with the page chosen by {@code ?page=} (from 1).
 */
final class Pages {

    static final int PAGE_SIZE = 50;

    private Pages() {
    }

    /** Reads {@code ?page=}. A missing value is page 1, and anything but a positive integer is a 404, as in DRF. */
    static int number(String page) {
        if (page == null || page.isEmpty()) {
            return 1;
        }
        if (!page.matches("[0-9]{1,9}") || Integer.parseInt(page) < 1) {
            throw invalidPage();
        }
        return Integer.parseInt(page);
    }

    static long offset(int page) {
        return (long) (page - 1) * PAGE_SIZE;
    }

    /** Builds the response body. A page after the last one is a 404, except page 1 of an empty list. */
    static Map<String, Object> body(UriInfo uri, int page, long count, List<?> results) {
        if (page > 1 && offset(page) >= count) {
            throw invalidPage();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", count);
        body.put("next", offset(page) + PAGE_SIZE < count ? link(uri, page + 1) : null);
        body.put("previous", page > 1 ? link(uri, page - 1) : null);
        body.put("results", results);
        return body;
    }

    /** Builds the absolute URL of another page, keeping the other query parameters. Page 1 has no page parameter. */
    private static String link(UriInfo uri, int page) {
        UriBuilder builder = uri.getRequestUriBuilder();
        if (page == 1) {
            builder.replaceQueryParam("page");
        } else {
            builder.replaceQueryParam("page", page);
        }
        return builder.build().toString();
    }

    private static ApiException invalidPage() {
        return ApiException.detail(404, "Invalid page. Pages are numbered from 1 and each contains " + PAGE_SIZE
                + " results.");
    }
}
