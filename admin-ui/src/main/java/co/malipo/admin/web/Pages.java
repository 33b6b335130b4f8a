package co.malipo.admin.web;

import java.net.URI;

import jakarta.ws.rs.core.Response;

/** Small helpers for HTML form handlers. */
public final class Pages {

    private Pages() {
    }

    /** Redirects a form post to a page with GET (post/redirect/get), so reloading does not post again. */
    public static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }
}
