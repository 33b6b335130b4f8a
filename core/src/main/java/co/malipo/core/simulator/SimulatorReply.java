package co.malipo.core.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** HTTP status and JSON body that the simulator sends back for one request. */
public record SimulatorReply(int status, JsonNode body) {

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
}
