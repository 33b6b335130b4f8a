package co.malipo.admin.auth;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Turns a session token into the signed-in user's identity, with the user's role. Looks the session up off the event loop. */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionAuthenticationRequest> {

    /** Identity attribute holding the {@link AdminUser}. */
    public static final String USER_ATTRIBUTE = "malipo.admin.user";

    private final UserService users;

    public SessionIdentityProvider(UserService users) {
        this.users = users;
    }

    @Override
    public Class<SessionAuthenticationRequest> getRequestType() {
        return SessionAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> users.resolveSession(request.token())
                .map(user -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(user.username()))
                        .addRole(user.role().name())
                        .addAttribute(USER_ATTRIBUTE, user)
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("session expired or unknown")));
    }
}
