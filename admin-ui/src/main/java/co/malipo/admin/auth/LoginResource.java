package co.malipo.admin.auth;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.admin.AdminConfig;
import co.malipo.admin.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The sign-in form, sign-in and sign-out. */
@Path("/")
@PermitAll
public class LoginResource {

    /** Shown for every failed sign-in, so it does not reveal whether the user exists or is locked. */
    static final String FAILED_MESSAGE = "Sign-in failed: the user name or password is wrong, or the user is locked"
            + " after too many failed attempts. Try again, or ask an admin to unlock the user.";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String error, String username);
    }

    private final UserService users;
    private final CurrentUser me;
    private final AdminConfig config;

    public LoginResource(UserService users, CurrentUser me, AdminConfig config) {
        this.users = users;
        this.me = me;
        this.config = config;
    }

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance form() {
        return Templates.login(null, "");
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@FormParam("username") String username, @FormParam("password") String password) {
        UserService.SignIn result = users.signIn(username, password, me.clientIp());
        if (result.sessionToken().isEmpty()) {
            return Response.status(Response.Status.UNAUTHORIZED)
                    .entity(Templates.login(FAILED_MESSAGE, username == null ? "" : username)).build();
        }
        return Response.seeOther(java.net.URI.create("/"))
                .cookie(SessionCookie.create(result.sessionToken().get(), config.secureCookie(), config.maxSessionAge()))
                .build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("logout")
    public Response signOut(@CookieParam(SessionCookie.NAME) String token) {
        if (token != null && !token.isBlank() && me.isSignedIn()) {
            users.signOut(token, me.username(), me.clientIp());
        }
        Response redirect = Pages.seeOther("/login");
        return Response.fromResponse(redirect).cookie(SessionCookie.expired(config.secureCookie())).build();
    }
}
