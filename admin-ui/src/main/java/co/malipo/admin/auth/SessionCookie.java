package co.malipo.admin.auth;

import java.time.Duration;

import jakarta.ws.rs.core.NewCookie;

/** The session cookie: HttpOnly, SameSite=Strict, path {@code /}, and Secure unless configured off. */
public final class SessionCookie {

    public static final String NAME = "malipo_admin_session";

    private SessionCookie() {
    }

    public static NewCookie create(String token, boolean secure, Duration maxAge) {
        return new NewCookie.Builder(NAME).value(token).httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).path("/").maxAge((int) maxAge.toSeconds()).build();
    }

    /** Returns a cookie that makes the browser forget the session. */
    public static NewCookie expired(boolean secure) {
        return create("", secure, Duration.ZERO);
    }
}
