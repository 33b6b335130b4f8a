package co.malipo.core.observability;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.MDC;

/**
 * Gives every HTTP request an id, logged as the MDC field {@code requestId} on each line written
 * while the request is handled and echoed in the {@code X-Request-Id} response header. A caller's
 * {@code X-Request-Id} is kept when it is 1 to 64 letters, digits, dots, underscores or hyphens;
 * any other value is replaced by a random UUID, so a header cannot inject text into the logs.
 * Quarkus keeps the MDC in the request's Vert.x context, so the worker thread that runs a
 * blocking resource method logs the same id.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    void register(@Observes Router router) {
        // Before every other route, so even a 404 or a health probe carries the id.
        router.route().order(Integer.MIN_VALUE).handler(RequestIds::assign);
    }

    private static void assign(RoutingContext context) {
        String id = idFrom(context.request().getHeader(HEADER));
        MDC.put(MDC_KEY, id);
        context.response().putHeader(HEADER, id);
        context.addEndHandler(ignored -> MDC.remove(MDC_KEY));
        context.next();
    }

    /** Returns the caller's id when it matches the accepted pattern, otherwise a new random UUID. */
    static String idFrom(String header) {
        if (header != null && ACCEPTED.matcher(header).matches()) {
            return header;
        }
        return UUID.randomUUID().toString();
    }
}
