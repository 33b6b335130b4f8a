package co.malipo.admin.web;

import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.core.support.Db;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Exception mappers that return 400 instead of 500 for two kinds of bad input that reach the
 * framework or the database before any page can check them: a form body that is not valid URL
 * encoding (such as {@code %ZZ}), and a value that PostgreSQL cannot store or compare, such as a
 * NUL ({@code %00}).
 */
public class RequestErrors {

    private static final Logger LOG = Logger.getLogger(RequestErrors.class);
    /** SQL states of text that PostgreSQL rejects: NUL and bytes that are not valid in the encoding. */
    private static final Set<String> UNSTORABLE_TEXT = Set.of("22021", "22P05");

    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("Failed to decode URL")) {
            LOG.debugf("Request rejected: %s", e.getMessage());
            return badRequest("the form body or query is not valid URL encoding. Percent-encode it as UTF-8.");
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response dataAccess(Db.DataAccessException e) {
        if (e.getCause() instanceof SQLException sql && UNSTORABLE_TEXT.contains(sql.getSQLState())) {
            LOG.debugf("Request rejected: a value contains a character that PostgreSQL rejects (%s)", sql.getSQLState());
            return badRequest("a value contains a character that cannot be stored, such as NUL (%00). Remove it.");
        }
        return unexpected(e);
    }

    private static Response badRequest(String reason) {
        return Response.status(400).type(MediaType.TEXT_PLAIN_TYPE).entity("Bad request: " + reason).build();
    }

    private static Response unexpected(Exception e) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error, reference %s", reference);
        return Response.status(500).type(MediaType.TEXT_PLAIN_TYPE)
                .entity("Internal server error. Quote reference " + reference + " to support.").build();
    }
}
