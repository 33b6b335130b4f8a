package co.malipo.core.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * HTTP status and body that the simulator sends back for one request, and how the host must send them.
 *
 * @param transport {@code JSON} for the body as JSON, {@code HTML} for {@link #HTML_PAGE} instead of the body, and
 *     {@code DROP} for closing the connection without a reply
 */
public record SimulatorReply(int status, JsonNode body, Transport transport) {

    /** Transport of a reply: JSON, an HTML page, or a closed connection. */
    public enum Transport {
        JSON,
        HTML,
        DROP
    }

    /** The page sent for the HTML fault. */
    public static final String HTML_PAGE = "<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head>"
            + "<body><h1>Service Unavailable</h1><p>The upstream server is temporarily unable to service your"
            + " request.</p></body></html>\n";

    public SimulatorReply(int status, JsonNode body) {
        this(status, body, Transport.JSON);
    }

    static SimulatorReply ok(JsonNode body) {
        return new SimulatorReply(200, body);
    }

    /** Builds Daraja's error shape: {@code requestId}, {@code errorCode} and {@code errorMessage}. */
    static SimulatorReply error(int status, String requestId, String errorCode, String errorMessage) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("requestId", requestId);
        body.put("errorCode", errorCode);
        body.put("errorMessage", errorMessage);
        return new SimulatorReply(status, body);
    }

    /** Builds the reply to every simulator path while the simulator is disabled. */
    static SimulatorReply notFound() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("detail", "Not found");
        return new SimulatorReply(404, body);
    }

    /** Builds the reply of the HTML fault: HTTP 200 with {@link #HTML_PAGE}. */
    static SimulatorReply html() {
        return new SimulatorReply(200, null, Transport.HTML);
    }

    /** Builds the reply of the dropped-connection fault. */
    static SimulatorReply dropped() {
        return new SimulatorReply(0, null, Transport.DROP);
    }
}
