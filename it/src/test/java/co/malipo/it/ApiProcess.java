package co.malipo.it;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code api} app started from its packaged jar as a separate JVM on a loopback port, with
 * its stdout and stderr written to a log file.
 */
final class ApiProcess {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ApiProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code java -jar jar} listening on 127.0.0.1:port. The environment is the test's own
     * plus {@code environment}, which wins on conflicts.
     */
    static ApiProcess start(String name, Path jar, int port, Map<String, String> environment, Path logDir)
            throws IOException {
        Path log = logDir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        // Kills the app when the test JVM exits, in case @AfterAll never runs, for example after Ctrl-C.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new ApiProcess(name, port, log, process);
    }

    /**
     * Returns {@code count} distinct free loopback ports. The sockets stay open until all ports are
     * chosen, so the ports differ. Another program may still take a port before the app binds it.
     */
    static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports.add(socket.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    String name() {
        return name;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * Polls {@code /q/health/ready} until it returns 200. Throws if the process exits first or the
     * time runs out, with the end of the log in the message.
     */
    void awaitReady(HttpClient http, Duration within) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(within);
        HttpRequest ready = HttpRequest.newBuilder(uri("/q/health/ready")).timeout(Duration.ofSeconds(2)).GET().build();
        int lastStatus = -1;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue()
                        + " before it was ready. Last lines of " + log + ":\n" + logTail(40));
            }
            try {
                lastStatus = http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (lastStatus == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // The app is not listening yet.
            } catch (IOException e) {
                // A timed-out or reset request is retried until the deadline, like a refused one.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not ready on " + uri("/q/health/ready") + " within " + within
                + " (last status " + lastStatus + "). Last lines of " + log + ":\n" + logTail(40));
    }

    /**
     * Stops the app with SIGTERM, and kills it if it is still running after 10 s or if the waiting
     * thread is interrupted.
     */
    void stop() {
        process.destroy();
        try {
            if (process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            System.err.println(name + " did not stop within " + STOP_GRACE + " of SIGTERM; killing it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }

    /** Kills the app with SIGKILL, as a crash or the kernel's out-of-memory killer would, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int port() {
        return port;
    }

    /** Returns the last {@code lines} lines of the log, or a note when it cannot be read. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    Path log() {
        return log;
    }
}
