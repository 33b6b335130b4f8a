package co.malipo.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A merchant's webhook endpoint on a loopback port. It returns 200, or 500 while {@link #failing} is set, and records
 * every delivery with the status it returned.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One delivery as received: the event id, invoice, sequence and state from the body, and the status returned. */
    record Received(String eventId, String invoiceId, int sequence, String state, int answeredStatus) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private WebhookReceiver(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    static WebhookReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        server.setExecutor(threads);
        WebhookReceiver receiver = new WebhookReceiver(server, threads);
        server.createContext("/hook", receiver::handle);
        server.start();
        return receiver;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Makes the endpoint return 500 to every delivery while {@code failing} is true. */
    void failing(boolean failing) {
        this.failing.set(failing);
    }

    boolean isFailing() {
        return failing.get();
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in);
            }
            int status = failing.get() ? 500 : 200;
            received.add(new Received(body.path("event_id").asText(), body.path("invoice_id").asText(),
                    body.path("sequence").asInt(), body.path("state").asText(), status));
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
