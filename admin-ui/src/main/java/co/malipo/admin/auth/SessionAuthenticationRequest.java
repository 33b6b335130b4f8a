package co.malipo.admin.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A session token read from the session cookie. */
public class SessionAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;

    public SessionAuthenticationRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
