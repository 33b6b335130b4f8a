package co.malipo.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Landing page of the finance dashboard. NOTE: a placeholder; sign-in and the invoice pages are not built yet. */
@Path("/")
public class HomeResource {

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String home() {
        return "<!doctype html><title>Malipo admin</title><h1>Malipo admin</h1><p>The dashboard is not built yet.</p>";
    }
}
