package co.malipo.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP server on 127.0.0.1 that plays merchants' webhook endpoints. It records every request
 * and replies as the responder registered for the request path decides.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One received request. {@code repliedAt} is set just before the reply is written. */
    static final class Request {
        final String path;
        final Map<String, List<String>> headers;
        final byte[] body;
        final JsonNode json;
        final Instant receivedAt;
        volatile Instant repliedAt;

        Request(String path, Map<String, List<String>> headers, byte[] body, JsonNode json, Instant receivedAt) {
            this.path = path;
            this.headers = headers;
            this.body = body;
            this.json = json;
            this.receivedAt = receivedAt;
        }

        /** Returns the first value of a header, or null. The name is matched ignoring case, as HTTP defines. */
        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }

        String state() {
            return json == null ? null : json.path("state").asText(null);
        }

        int sequence() {
            return json.path("sequence").asInt(-1);
        }
    }

    /** How to reply: a status, an optional delay before replying, and an optional Location header. */
    record Reply(int status, long delayMillis, String location) {
        static Reply status(int status) {
            return new Reply(status, 0, null);
        }
    }

    @FunctionalInterface
    interface Responder {
        Reply reply(Request request);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Responder> responders = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Registers the responder of a path and returns the URL to register as an endpoint. */
    String url(String path, Responder responder) {
        responders.put(path, responder);
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Returns the requests received on a path, in arrival order. */
    List<Request> requests(String path) {
        return requests.stream().filter(request -> request.path.equals(path)).toList();
    }

    /** Returns the requests received on a path whose body carries the invoice state. */
    List<Request> requests(String path, String state) {
        return requests(path).stream().filter(request -> state.equals(request.state())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            JsonNode json = null;
            try {
                json = MAPPER.readTree(body);
            } catch (IOException e) {
                // Recorded with a null json; the tests that read bodies fail on it.
            }
            String path = exchange.getRequestURI().getPath();
            Request request = new Request(path, Map.copyOf(exchange.getRequestHeaders()), body, json, Instant.now());
            requests.add(request);
            Responder responder = responders.get(path);
            Reply reply = responder == null ? Reply.status(404) : responder.reply(request);
            if (reply.delayMillis() > 0) {
                try {
                    Thread.sleep(reply.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (reply.location() != null) {
                exchange.getResponseHeaders().add("Location", reply.location());
            }
            request.repliedAt = Instant.now();
            exchange.sendResponseHeaders(reply.status(), -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
