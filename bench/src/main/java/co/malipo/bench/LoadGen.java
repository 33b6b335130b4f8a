package co.malipo.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Load generator and webhook receiver for the benchmark suite. Every target is on 127.0.0.1.
 *
 * <pre>
 * receiver --port P                       serves webhook deliveries and records COMPLETE arrivals
 * run --target T --mode closed|open ...   runs one measurement and appends a TSV line to --out
 * </pre>
 *
 * Closed-loop mode keeps {@code --connections} requests in flight and measures throughput. Open-loop
 * mode sends at {@code --rate} per second whatever the replies do, and measures each latency from the
 * request's intended send time, so a stalled server shows up in the percentiles instead of slowing
 * the generator down (no coordinated omission).
 */
public final class LoadGen {

    /** Maximum latency the histograms record: one hour, in microseconds. */
    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);
    /** Open-loop requests in flight beyond which a new request is counted as an error and not sent. */
    private static final int MAX_IN_FLIGHT = 4000;

    private LoadGen() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: LoadGen receiver|run --option value ...");
        }
        Map<String, String> options = options(args);
        switch (args[0]) {
            case "receiver" -> Receiver.serve(Integer.parseInt(required(options, "port")));
            case "run" -> run(options);
            default -> throw new IllegalArgumentException("unknown command " + args[0] + "; use receiver or run");
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing option --" + name);
        }
        return value;
    }

    private static void run(Map<String, String> options) throws Exception {
        String label = required(options, "label");
        String mode = required(options, "mode");
        double seconds = Double.parseDouble(required(options, "seconds"));
        double warmup = Double.parseDouble(options.getOrDefault("warmup", "0"));
        Target target = Targets.create(required(options, "target"), options);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(4, daemon("http-client")))
                .build();

        Result result;
        String level;
        if ("closed".equals(mode)) {
            int connections = Integer.parseInt(required(options, "connections"));
            level = connections + " connections";
            result = closedLoop(client, target, connections, warmup, seconds);
        } else if ("open".equals(mode)) {
            double rate = Double.parseDouble(required(options, "rate"));
            level = String.format(Locale.ROOT, "%.0f/s", rate);
            result = openLoop(client, target, rate, warmup, seconds);
        } else {
            throw new IllegalArgumentException("--mode must be closed or open, got " + mode);
        }
        Result finished = target.finish(result);
        String line = finished.tsv(label, mode, level);
        System.out.println(line);
        if (options.containsKey("out")) {
            Files.writeString(Path.of(options.get("out")), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        System.exit(0);
    }

    /** Runs {@code connections} loops that each send the next request as soon as the response to the last one arrives. */
    private static Result closedLoop(HttpClient client, Target target, int connections, double warmup, double seconds)
            throws InterruptedException {
        Result result = new Result();
        AtomicLong index = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        target.measureFrom(epochMicros(measureFrom));
        long end = measureFrom + (long) (seconds * 1e9);
        CountDownLatch done = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long i = index.getAndIncrement();
                        HttpRequest request = target.request(i);
                        if (request == null) {
                            result.exhausted.set(true);
                            return;
                        }
                        long sent = System.nanoTime();
                        boolean measured = sent >= measureFrom;
                        try {
                            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                            long micros = (System.nanoTime() - sent) / 1000;
                            String error = target.check(i, response, epochMicros(sent));
                            if (measured) {
                                result.record(micros, error);
                            }
                        } catch (IOException e) {
                            if (measured) {
                                result.record((System.nanoTime() - sent) / 1000, e.getClass().getSimpleName());
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "closed-loop-" + c);
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
        result.elapsedNanos = Math.max(1, Math.min(System.nanoTime(), end) - measureFrom);
        return result;
    }

    /** Sends request i at {@code start + i / rate} and measures its latency from that intended time. */
    private static Result openLoop(HttpClient client, Target target, double rate, double warmup, double seconds)
            throws InterruptedException {
        Result result = new Result();
        long periodNanos = (long) (1e9 / rate);
        long start = System.nanoTime() + 50_000_000L;
        long measureFrom = start + (long) (warmup * 1e9);
        target.measureFrom(epochMicros(measureFrom));
        long total = (long) ((warmup + seconds) * rate);
        AtomicInteger inFlight = new AtomicInteger();
        for (long i = 0; i < total; i++) {
            long intended = start + i * periodNanos;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            boolean measured = intended >= measureFrom;
            HttpRequest request = target.request(i);
            if (request == null) {
                result.exhausted.set(true);
                break;
            }
            if (inFlight.get() >= MAX_IN_FLIGHT) {
                if (measured) {
                    result.record(0, "generator backlog over " + MAX_IN_FLIGHT);
                }
                continue;
            }
            inFlight.incrementAndGet();
            long index = i;
            long intendedEpoch = epochMicros(intended);
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                inFlight.decrementAndGet();
                long micros = (System.nanoTime() - intended) / 1000;
                String error = failure != null ? rootName(failure) : target.check(index, response, intendedEpoch);
                if (measured) {
                    result.record(micros, error);
                }
            });
        }
        long sendEnd = start + total * periodNanos;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (inFlight.get() > 0) {
            result.record(0, inFlight.get() + " requests unanswered after 30 s");
        }
        result.elapsedNanos = Math.max(1, sendEnd - measureFrom);
        return result;
    }

    private static final long EPOCH_MICROS_AT_START = nowEpochMicros();
    private static final long NANOS_AT_START = System.nanoTime();

    /** Converts a System.nanoTime() value to microseconds since the epoch, for comparison with the receiver's clock. */
    static long epochMicros(long nanos) {
        return EPOCH_MICROS_AT_START + (nanos - NANOS_AT_START) / 1000;
    }

    static long nowEpochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private static String rootName(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName();
    }

    static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Latencies in microseconds, request counts and errors by kind of one measurement. */
    static final class Result {
        final Histogram latency = new ConcurrentHistogram(MAX_MICROS, 3);
        final AtomicLong ok = new AtomicLong();
        final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicBoolean exhausted = new java.util.concurrent.atomic.AtomicBoolean();
        long elapsedNanos;

        void record(long micros, String error) {
            if (error == null) {
                ok.incrementAndGet();
                latency.recordValue(Math.max(1, Math.min(micros, MAX_MICROS)));
            } else {
                errors.computeIfAbsent(error, key -> new AtomicLong()).incrementAndGet();
            }
        }

        long errorCount() {
            return errors.values().stream().mapToLong(AtomicLong::get).sum();
        }

        /** Label, mode, level, seconds, ok, errors, ok per second, p50, p90, p99, max (ms), error kinds. */
        String tsv(String label, String mode, String level) {
            double seconds = elapsedNanos / 1e9;
            StringBuilder kinds = new StringBuilder();
            new TreeMap<>(errors).forEach((kind, count) -> kinds.append(kinds.length() == 0 ? "" : "; ")
                    .append(kind).append(" x").append(count.get()));
            if (exhausted.get()) {
                kinds.append(kinds.length() == 0 ? "" : "; ").append("prepared rows ran out before the end");
            }
            return String.join("\t", label, mode, level, fmt(seconds), Long.toString(ok.get()),
                    Long.toString(errorCount()), fmt(ok.get() / seconds), ms(latency.getValueAtPercentile(50)),
                    ms(latency.getValueAtPercentile(90)), ms(latency.getValueAtPercentile(99)),
                    ms(latency.getMaxValue()), kinds.length() == 0 ? "-" : kinds.toString());
        }

        private static String fmt(double value) {
            return String.format(Locale.ROOT, "%.1f", value);
        }

        private static String ms(long micros) {
            return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
        }
    }

    /** One kind of request: how to build request i and how to judge its response. */
    interface Target {
        /** Returns request i, or null when the prepared rows for this target are used up. */
        HttpRequest request(long i);

        /** Returns null for an expected response, else a short description of the error. */
        String check(long i, HttpResponse<String> response, long intendedEpochMicros);

        /** Lets a target replace the result once the load has ended, for example to wait for webhooks. */
        default Result finish(Result result) throws Exception {
            return result;
        }

        /** Tells the target when the warm-up ends, in microseconds since the epoch; requests before it are not measured. */
        default void measureFrom(long epochMicros) {
        }
    }

    /** The targets: push, status, callback, ussd and e2e (push to COMPLETE webhook). */
    static final class Targets {
        private Targets() {
        }

        static Target create(String name, Map<String, String> options) {
            return switch (name) {
                case "push" -> new Push(options);
                case "status" -> new Status(options);
                case "callback" -> new Callback(options);
                case "ussd" -> new Ussd(options);
                case "e2e" -> new EndToEnd(options);
                default -> throw new IllegalArgumentException("unknown --target " + name
                        + "; use push, status, callback, ussd or e2e");
            };
        }

        static HttpRequest.Builder post(String url) {
            return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        }

        static String expectStatus(HttpResponse<String> response, int expected) {
            if (response.statusCode() == expected) {
                return null;
            }
            return "HTTP " + response.statusCode();
        }
    }

    /**
     * STK pushes, each to its own phone 2547{phone-prefix}{6 digits}, so that no push waits for another
     * push's prompt and no push is a duplicate of an open one.
     */
    static class Push implements Target {
        final String url;
        final String secret;
        final String phonePrefix;

        Push(Map<String, String> options) {
            url = required(options, "base") + "/api/v1/payment/mpesa-stk-push/";
            secret = required(options, "secret");
            phonePrefix = required(options, "phone-prefix");
            if (!phonePrefix.matches("[1-9][0-9]")) {
                throw new IllegalArgumentException("--phone-prefix must be two digits from 10 to 99, got " + phonePrefix);
            }
        }

        @Override
        public HttpRequest request(long i) {
            if (i >= 1_000_000) {
                return null;
            }
            String phone = String.format(Locale.ROOT, "2547%s%06d", phonePrefix, i);
            String body = "{\"phone_number\": \"" + phone + "\", \"amount\": \"100\", \"api_ref\": \"bench\"}";
            return Targets.post(url).header("Authorization", "Bearer " + secret)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }

        @Override
        public String check(long i, HttpResponse<String> response, long intendedEpochMicros) {
            return Targets.expectStatus(response, 200);
        }
    }

    /** Status reads of invoices {id-prefix}0000001 to {id-prefix}{count}, picked at random. */
    static final class Status implements Target {
        final String url;
        final String publicKey;
        final String idPrefix;
        final int count;

        Status(Map<String, String> options) {
            url = required(options, "base") + "/api/v1/payment/status/";
            publicKey = required(options, "public");
            idPrefix = required(options, "id-prefix");
            count = Integer.parseInt(required(options, "count"));
        }

        @Override
        public HttpRequest request(long i) {
            String id = String.format(Locale.ROOT, "%s%07d", idPrefix, ThreadLocalRandom.current().nextInt(1, count + 1));
            return Targets.post(url).header("X-KULMI-PUBLIC-API-KEY", publicKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"invoice_id\": \"" + id + "\"}")).build();
        }

        @Override
        public String check(long i, HttpResponse<String> response, long intendedEpochMicros) {
            return Targets.expectStatus(response, 200);
        }
    }

    /**
     * Daraja success callbacks for prepared PROCESSING invoices: request i posts to the callback URL of
     * invoice number {@code first + i}, whose token is {token-prefix}{7 digits} and whose
     * CheckoutRequestID is ws_CO_{token-prefix}{7 digits}. Each invoice gets one callback.
     */
    static final class Callback implements Target {
        final String base;
        final String tokenPrefix;
        final long first;
        final long last;
        final String receiptPrefix;

        Callback(Map<String, String> options) {
            base = required(options, "base") + "/daraja/callback/";
            tokenPrefix = required(options, "token-prefix");
            first = Long.parseLong(required(options, "first"));
            last = Long.parseLong(required(options, "last"));
            receiptPrefix = required(options, "receipt-prefix");
        }

        @Override
        public HttpRequest request(long i) {
            long number = first + i;
            if (number > last) {
                return null;
            }
            String suffix = String.format(Locale.ROOT, "%07d", number);
            String body = """
                    {"Body": {"stkCallback": {"MerchantRequestID": "bench-%2$s", "CheckoutRequestID": "ws_CO_%1$s%2$s",
                      "ResultCode": 0, "ResultDesc": "The service request is processed successfully.",
                      "CallbackMetadata": {"Item": [{"Name": "Amount", "Value": 100.00},
                        {"Name": "MpesaReceiptNumber", "Value": "%3$s%2$s"}, {"Name": "Balance"},
                        {"Name": "TransactionDate", "Value": 20261204120000}, {"Name": "PhoneNumber", "Value": 254711000000}]}}}}
                    """.formatted(tokenPrefix, suffix, receiptPrefix);
            return Targets.post(base + tokenPrefix + suffix).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }

        @Override
        public String check(long i, HttpResponse<String> response, long intendedEpochMicros) {
            String error = Targets.expectStatus(response, 200);
            if (error == null && !response.body().contains("\"ResultCode\":0")) {
                return "not accepted: " + response.body();
            }
            return error;
        }
    }

    /**
     * USSD steps of Africa's Talking sessions. Each customer makes six requests: the five steps of a
     * payment (main menu, "1", business number, amount, confirm) and then "2", "My last payment", in
     * a second session. Request i is step i % 6 of customer i / 6. Africa's Talking sends the whole
     * input of the session in {@code text}, so steps do not depend on each other's timing.
     */
    static final class Ussd implements Target {
        static final int STEPS = 6;
        final String url;
        final String business;
        final String phonePrefix;
        final String run;

        Ussd(Map<String, String> options) {
            url = required(options, "base") + "/ussd/" + options.getOrDefault("ussd-token", "bench-ussd-token");
            business = required(options, "business");
            phonePrefix = required(options, "phone-prefix");
            run = required(options, "run");
        }

        @Override
        public HttpRequest request(long i) {
            long session = i / STEPS;
            int step = (int) (i % STEPS);
            if (session >= 1_000_000) {
                return null;
            }
            String[] texts = {"", "1", "1*" + business, "1*" + business + "*100", "1*" + business + "*100*1", "2"};
            String form = "sessionId=" + encode("ATUid_bench_" + run + "_" + session + (step == 5 ? "_last" : ""))
                    + "&serviceCode=" + encode("*384*5#")
                    + "&phoneNumber=" + encode(String.format(Locale.ROOT, "+2547%s%06d", phonePrefix, session))
                    + "&networkCode=63902&text=" + encode(texts[step]);
            return Targets.post(url).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        }

        @Override
        public String check(long i, HttpResponse<String> response, long intendedEpochMicros) {
            String error = Targets.expectStatus(response, 200);
            if (error != null) {
                return error;
            }
            String expected = i % STEPS >= 4 ? "END" : "CON";
            return response.body().startsWith(expected) ? null : "unexpected reply: " + firstLine(response.body());
        }

        private static String firstLine(String text) {
            int newline = text.indexOf('\n');
            return newline < 0 ? text : text.substring(0, newline);
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    /**
     * Pushes whose latency runs from the intended send time to the arrival of the invoice's COMPLETE
     * webhook at the receiver. The result replaces the HTTP latencies with those end-to-end times.
     */
    static final class EndToEnd extends Push {
        private static final Pattern INVOICE_ID = Pattern.compile("\"invoice_id\"\\s*:\\s*\"([0-9A-Z]+)\"");
        final String receiver;
        final double drainSeconds;
        final Map<String, Long> intended = new ConcurrentHashMap<>();
        final AtomicLong pushErrors = new AtomicLong();
        private volatile long measureFromEpochMicros = Long.MIN_VALUE;

        EndToEnd(Map<String, String> options) {
            super(options);
            receiver = required(options, "receiver");
            drainSeconds = Double.parseDouble(options.getOrDefault("drain", "30"));
        }

        @Override
        public String check(long i, HttpResponse<String> response, long intendedEpochMicros) {
            String error = super.check(i, response, intendedEpochMicros);
            if (error != null) {
                pushErrors.incrementAndGet();
                return error;
            }
            Matcher matcher = INVOICE_ID.matcher(response.body());
            if (!matcher.find()) {
                return "push response without invoice_id";
            }
            // Warm-up pushes still go through the gateway, but their webhooks are not waited for or counted.
            if (intendedEpochMicros >= measureFromEpochMicros) {
                intended.put(matcher.group(1), intendedEpochMicros);
            }
            return null;
        }

        @Override
        public void measureFrom(long epochMicros) {
            measureFromEpochMicros = epochMicros;
        }

        @Override
        public Result finish(Result pushes) throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + (long) (drainSeconds * 1e9);
            Map<String, Long> arrivals = new HashMap<>();
            List<String> waiting = new ArrayList<>(intended.keySet());
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                arrivals.putAll(Receiver.fetchArrivals(client, receiver, waiting));
                waiting.removeIf(arrivals::containsKey);
                if (!waiting.isEmpty()) {
                    Thread.sleep(250);
                }
            }
            Result endToEnd = new Result();
            endToEnd.elapsedNanos = pushes.elapsedNanos;
            pushes.errors.forEach((kind, count) -> endToEnd.errors.put("push: " + kind, count));
            for (Map.Entry<String, Long> push : intended.entrySet()) {
                Long arrival = arrivals.get(push.getKey());
                if (arrival == null) {
                    endToEnd.record(0, "no COMPLETE webhook within " + (long) drainSeconds + " s of the last push");
                } else {
                    endToEnd.record(arrival - push.getValue(), null);
                }
            }
            return endToEnd;
        }
    }

    /**
     * Webhook receiver: replies 200 to every POST at once (the gateway counts only 200 and 201 as delivered) and records when the first delivery with
     * {@code "state": "COMPLETE"} arrived for each invoice. {@code POST /arrivals} with invoice ids,
     * one per line, returns "id epoch-microseconds" lines for those that arrived.
     */
    static final class Receiver {
        private static final Pattern INVOICE_ID = Pattern.compile("\"invoice_id\"\\s*:\\s*\"([0-9A-Z]+)\"");
        private static final Pattern COMPLETE = Pattern.compile("\"state\"\\s*:\\s*\"COMPLETE\"");

        private Receiver() {
        }

        static void serve(int port) throws IOException {
            Map<String, Long> arrivals = new ConcurrentHashMap<>();
            AtomicLong deliveries = new AtomicLong();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
            ExecutorService workers = Executors.newFixedThreadPool(8, daemon("receiver"));
            server.setExecutor(workers);
            server.createContext("/hook", exchange -> {
                long now = nowEpochMicros();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                deliveries.incrementAndGet();
                Matcher id = INVOICE_ID.matcher(body);
                if (id.find() && COMPLETE.matcher(body).find()) {
                    arrivals.putIfAbsent(id.group(1), now);
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.createContext("/arrivals", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                StringBuilder reply = new StringBuilder();
                for (String id : body.split("\n")) {
                    Long at = arrivals.get(id.trim());
                    if (at != null) {
                        reply.append(id.trim()).append(' ').append(at).append('\n');
                    }
                }
                byte[] bytes = reply.toString().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.createContext("/count", exchange -> {
                byte[] bytes = Long.toString(deliveries.get()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
            System.out.println("receiver listening on 127.0.0.1:" + port);
        }

        static Map<String, Long> fetchArrivals(HttpClient client, String receiver, List<String> ids)
                throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(receiver + "/arrivals"))
                    .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", ids))).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            Map<String, Long> found = new HashMap<>();
            for (String line : response.body().split("\n")) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    found.put(line.substring(0, space), Long.parseLong(line.substring(space + 1).trim()));
                }
            }
            return found;
        }
    }
}
