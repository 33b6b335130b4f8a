package co.malipo.admin;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** A merchant's webhook endpoint for the tests: {@code /test-hooks/ok} returns 200, any other name 500. */
@Path("/test-hooks/{name}")
public class TestWebhookReceiver {

    static final AtomicInteger RECEIVED = new AtomicInteger();

    @POST
    public Response receive(@PathParam("name") String name, String body) {
        RECEIVED.incrementAndGet();
        return Response.status("ok".equals(name) ? 200 : 500).build();
    }
}
