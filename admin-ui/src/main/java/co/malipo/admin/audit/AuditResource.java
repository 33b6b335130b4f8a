package co.malipo.admin.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.admin.AdminConfig;
import co.malipo.admin.auth.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The audit log, newest first, for admins. */
@Path("/audit")
@RolesAllowed(Role.ADMIN_NAME)
public class AuditResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(List<AuditLog.Entry> entries, String next);
    }

    private final AuditLog audit;
    private final AdminConfig config;

    public AuditResource(AuditLog audit, AdminConfig config) {
        this.audit = audit;
        this.config = config;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response list(@QueryParam("before") String before) {
        Instant beforeAt = null;
        Long beforeId = null;
        if (before != null && !before.isBlank()) {
            int separator = before.lastIndexOf('_');
            try {
                beforeAt = Instant.parse(before.substring(0, Math.max(separator, 0)));
                beforeId = Long.parseLong(before.substring(separator + 1));
            } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
                return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN)
                        .entity("The page link is invalid. Open /audit for the first page.").build();
            }
        }
        int size = config.pageSize();
        List<AuditLog.Entry> fetched = audit.list(beforeAt, beforeId, size + 1);
        List<AuditLog.Entry> entries = fetched.size() > size ? fetched.subList(0, size) : fetched;
        String next = fetched.size() > size ? entries.get(size - 1).at() + "_" + entries.get(size - 1).id() : null;
        return Response.ok(Templates.audit(entries, next)).build();
    }
}
