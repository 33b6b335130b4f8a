package co.malipo.admin.auth;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.admin.web.Pages;
import co.malipo.core.invoice.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Dashboard users, for admins: list, create with a role, unlock. */
@Path("/users")
@RolesAllowed(Role.ADMIN_NAME)
public class UsersResource {

    static final Map<String, String> NOTICES = Map.of("created", "The user is created.", "unlocked",
            "The user is unlocked.");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance users(List<AdminUser> users, List<String> roles, Map<String, List<String>> errors,
                String notice);
    }

    private final UserService users;
    private final CurrentUser me;

    public UsersResource(UserService users, CurrentUser me) {
        this.users = users;
        this.me = me;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list(@QueryParam("done") String done) {
        return render(Map.of(), done == null ? null : NOTICES.get(done));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response create(@FormParam("username") String username, @FormParam("role") String role,
            @FormParam("password") String password) {
        try {
            users.create(username, role, password, me.username(), me.clientIp());
        } catch (ValidationException e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(render(e.errors(), null)).build();
        }
        return Pages.seeOther("/users?done=created");
    }

    @POST
    @Path("{id}/unlock")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response unlock(@PathParam("id") long id) {
        if (!users.unlock(id, me.username(), me.clientIp())) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                    .entity("User " + id + " was not found.").build();
        }
        return Pages.seeOther("/users?done=unlocked");
    }

    private TemplateInstance render(Map<String, List<String>> errors, String notice) {
        return Templates.users(users.list(), List.of("ADMIN", "FINANCE", "SUPPORT"), errors, notice);
    }
}
