package co.malipo.ussd;

import java.util.UUID;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Exception mappers that return 400 for a form body that is not valid URL encoding (such as
 * {@code %ZZ}). The framework raises it while reading the form fields, before any resource or
 * token check runs.
 */
public class FormErrors {

    private static final Logger LOG = Logger.getLogger(FormErrors.class);

    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e) {
        if (isFormDecoding(e)) {
            LOG.debugf("Request rejected: %s", e.getMessage());
            return Response.status(400).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("Bad request: the form body is not valid URL encoding. Percent-encode it as UTF-8.").build();
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error, reference %s", reference);
        return Response.status(500).type(MediaType.TEXT_PLAIN_TYPE)
                .entity("Internal server error. Quote reference " + reference + " to support.").build();
    }

    /** Returns whether the exception is the framework's failure to decode a percent-encoded form value. */
    static boolean isFormDecoding(IllegalArgumentException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Failed to decode URL");
    }
}
