package co.malipo.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import co.malipo.core.simulator.DarajaSimulator;
import co.malipo.core.simulator.SimulatorReply;
import co.malipo.core.simulator.SimulatorSettings;

/**
 * The gateway's Daraja simulator served from the test JVM on a loopback port, so that it outlives the api processes a
 * test kills and keeps every push in one place. It uses the credentials of the api app's {@code simulator} account
 * from {@code application.properties}, and the dropped-connection fault closes the connection without a reply.
 */
final class DarajaSimulatorHost implements AutoCloseable {

    static final String SHORTCODE = "174379";
    static final String PASSKEY = "simulator-passkey-not-a-secret";
    static final String CONSUMER_KEY = "simulator-consumer-key";
    static final String CONSUMER_SECRET = "simulator-consumer-secret";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DarajaSimulator simulator;
    private final HttpServer server;
    private final ExecutorService threads;

    private DarajaSimulatorHost(DarajaSimulator simulator, HttpServer server, ExecutorService threads) {
        this.simulator = simulator;
        this.server = server;
        this.threads = threads;
    }

    /**
     * Starts the simulator on a free loopback port. It posts each callback {@code callbackDelay} after accepting the
     * push, and its slow fault delays a reply by {@code slowReplyDelay}.
     */
    static DarajaSimulatorHost start(Duration callbackDelay, Duration slowReplyDelay) throws IOException {
        SimulatorSettings settings = new SimulatorSettings(true, SHORTCODE, PASSKEY, CONSUMER_KEY, CONSUMER_SECRET,
                callbackDelay, slowReplyDelay, Duration.ofSeconds(3));
        DarajaSimulator simulator = new DarajaSimulator(settings, Clock.systemUTC());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        // Slow replies sleep on their thread, so every request gets its own.
        ExecutorService threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        DarajaSimulatorHost host = new DarajaSimulatorHost(simulator, server, threads);
        server.createContext("/simulator/daraja", host::handle);
        server.start();
        return host;
    }

    DarajaSimulator simulator() {
        return simulator;
    }

    /** Returns the base URL that an api app's {@code simulator} Daraja account uses. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/simulator/daraja";
    }

    /**
     * Counts the pushes received per callback token, the last path segment of their CallBackURL. A token counted twice
     * is an invoice pushed twice.
     */
    Map<String, Integer> pushesPerToken() {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode push : simulator.receivedPushes()) {
            String path = URI.create(push.path("CallBackURL").asText()).getPath();
            counts.merge(path.substring(path.lastIndexOf('/') + 1), 1, Integer::sum);
        }
        return counts;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/simulator/daraja".length());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            SimulatorReply reply;
            if (path.equals("/oauth/v1/generate") && exchange.getRequestMethod().equals("GET")) {
                reply = simulator.generateToken(queryParameter(exchange.getRequestURI(), "grant_type"), authorization);
            } else if (path.equals("/mpesa/stkpush/v1/processrequest") && exchange.getRequestMethod().equals("POST")) {
                reply = simulator.processRequest(authorization, body);
            } else if (path.equals("/mpesa/stkpushquery/v1/query") && exchange.getRequestMethod().equals("POST")) {
                reply = simulator.query(authorization, body);
            } else {
                reply = simulator.unknownPath();
            }
            send(exchange, reply);
        }
    }

    /** Writes the reply. For a dropped connection it returns without a reply, and closing the exchange closes it. */
    private static void send(HttpExchange exchange, SimulatorReply reply) throws IOException {
        byte[] bytes;
        String type;
        switch (reply.transport()) {
            case DROP -> {
                return;
            }
            case HTML -> {
                bytes = SimulatorReply.HTML_PAGE.getBytes(StandardCharsets.UTF_8);
                type = "text/html; charset=UTF-8";
            }
            default -> {
                bytes = JSON.writeValueAsBytes(reply.body());
                type = "application/json";
            }
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String queryParameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            String[] parts = pair.split("=", 2);
            if (parts[0].equals(name)) {
                return parts.length == 2 ? parts[1] : "";
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        simulator.close();
    }

    /** Returns the simulator's recorded pushes; a helper for test failure messages. */
    List<JsonNode> receivedPushes() {
        return simulator.receivedPushes();
    }
}
