package co.malipo.admin.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/** The signed-in user of this request, for resources and, as {@code inject:me}, for templates. */
@Named("me")
@RequestScoped
public class CurrentUser {

    private final SecurityIdentity identity;
    private final HttpServerRequest request;

    public CurrentUser(SecurityIdentity identity, HttpServerRequest request) {
        this.identity = identity;
        this.request = request;
    }

    public boolean isSignedIn() {
        return !identity.isAnonymous();
    }

    /** Returns the user name, or {@code anonymous}. */
    public String username() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    public String role() {
        AdminUser user = identity.getAttribute(SessionIdentityProvider.USER_ATTRIBUTE);
        return user == null ? "" : user.role().name();
    }

    public boolean isAdmin() {
        return identity.hasRole(Role.ADMIN_NAME);
    }

    /** Returns whether the user may export, reconcile and retry: ADMIN or FINANCE. */
    public boolean canAct() {
        return identity.hasRole(Role.ADMIN_NAME) || identity.hasRole(Role.FINANCE_NAME);
    }

    /** Whether customers' phone numbers must be masked for this user: everyone who is not ADMIN or FINANCE. */
    public boolean masksPhones() {
        return !canAct();
    }

    /** Returns the peer address of the request: the proxy's, unless proxy address forwarding is configured. */
    public String clientIp() {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
