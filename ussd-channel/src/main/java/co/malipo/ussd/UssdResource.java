package co.malipo.ussd;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Africa's Talking USSD callback. NOTE: a placeholder that ends every session; the menus are not built yet. */
@Path("/ussd")
public class UssdResource {

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_PLAIN)
    public String session() {
        return "END Payments by USSD are not available yet.";
    }
}
