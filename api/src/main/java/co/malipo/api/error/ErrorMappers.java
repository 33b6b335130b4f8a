package co.malipo.api.error;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.api.ratelimit.RateLimitedException;
import co.malipo.core.invoice.DuplicatePushException;
import co.malipo.core.invoice.ValidationException;
import co.malipo.core.support.DatabaseErrors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into a JSON body: field errors as {@code {"field": ["message"]}}, anything
 * else as {@code {"detail": "message"}}. Client errors are logged at DEBUG in one line; server
 * errors at ERROR with the stack trace and a reference the merchant can quote. An unreachable
 * database gives 503 with {@code Retry-After} instead of 500.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    /** Seconds a client should wait before retrying while the database is down. */
    static final String DATABASE_RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response api(ApiException e) {
        LOG.debugf("Client error %d: %s", e.status(), e.body().keySet());
        return json(e.status(), e.body());
    }

    @ServerExceptionMapper
    public Response validation(ValidationException e) {
        LOG.debugf("Invalid fields %s", e.errors().keySet());
        return json(400, e.errors());
    }

    @ServerExceptionMapper
    public Response duplicate(DuplicatePushException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", "An open push with the same phone_number, api_ref and amount exists. Wait for it to finish,"
                + " or check its state with the status endpoint.");
        body.put("invoice_id", e.openInvoiceId());
        return json(409, body);
    }

    @ServerExceptionMapper
    public Response rateLimited(RateLimitedException e) {
        return Response.fromResponse(json(429, Map.of("detail", e.getMessage())))
                .header("Retry-After", Long.toString(e.retryAfterSeconds())).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        String message = switch (status) {
            case 404 -> "Not found. Check the path, e.g. /api/v1/payment/mpesa-stk-push/.";
            case 405 -> "Method not allowed on this path. Use " + allowed(e) + ".";
            case 406 -> "This API only produces application/json.";
            case 413 -> "Request body too large; the limit is 64 KiB.";
            case 415 -> "Unsupported content type. Send application/json.";
            default -> "Bad request.";
        };
        Response response = json(status, Map.of("detail", message));
        if (status == 405) {
            return Response.fromResponse(response).header("Allow", allowed(e)).build();
        }
        return response;
    }

    /** The methods the path allows; every merchant API path takes only POST when the framework does not list them. */
    private static String allowed(WebApplicationException e) {
        String allow = e.getResponse().getHeaderString("Allow");
        return allow == null || allow.isBlank() ? "POST" : allow;
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (DatabaseErrors.isUnavailable(e)) {
            return databaseUnavailable(e);
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error, reference %s", reference);
        return json(500, Map.of("detail", "Internal server error. Quote reference " + reference + " to support."));
    }

    /**
     * Returns 503 with {@code Retry-After} while the database cannot be reached, so that the client retries once it is
     * back. A commit cut off by the outage may still have been applied, so the detail recommends retrying with the same
     * Idempotency-Key. Logged at WARN without the stack trace.
     */
    private static Response databaseUnavailable(Throwable e) {
        LOG.warnf("Database unavailable, answered 503: %s", rootMessage(e));
        Response response = json(503, Map.of("detail", "The service is temporarily unavailable because its database"
                + " cannot be reached. Try again in a few seconds, with the same Idempotency-Key if you sent one."));
        return Response.fromResponse(response).header("Retry-After", DATABASE_RETRY_AFTER_SECONDS).build();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
