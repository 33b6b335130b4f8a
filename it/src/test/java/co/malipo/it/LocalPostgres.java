package co.malipo.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster that a test creates with initdb under {@code target/}, on its own loopback port, and
 * may stop and start at will. It uses the server binaries of the newest {@code /usr/lib/postgresql/VERSION/bin}. The
 * server refuses to run as root, so under root every command runs as the {@code postgres} user through runuser.
 */
final class LocalPostgres implements AutoCloseable {

    static final String USER = "malipo";
    static final String PASSWORD = "malipo";
    static final String DATABASE = "malipo_faults";

    private final Path bin;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private final boolean asPostgresUser;

    private LocalPostgres(Path bin, Path dataDir, Path log, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Returns the bin directory of the newest installed PostgreSQL server, if there is one. */
    static Optional<Path> serverBinaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparing(bin -> versionNumber(bin.getParent().getFileName().toString())));
        }
    }

    /**
     * Creates a cluster in {@code parent}/pgdata with trust authentication for {@link #USER}, starts it on
     * 127.0.0.1:{@code port} and creates {@link #DATABASE}.
     */
    static LocalPostgres create(Path bin, Path parent, int port) throws Exception {
        Path dataDir = parent.resolve("pgdata");
        deleteRecursively(parent);
        Files.createDirectories(parent);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            // The server runs as postgres, which must own the data directory and may write its log beside it.
            run(List.of("chown", "postgres:postgres", parent.toString()), false);
        }
        LocalPostgres postgres = new LocalPostgres(bin, dataDir, parent.resolve("postgres.log"), port, root);
        postgres.pg(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", USER, "--auth=trust",
                "--encoding=UTF8", "--no-sync"));
        postgres.start();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        }
        return postgres;
    }

    /**
     * Returns {@code preferred} when the {@code postgres} user can reach it, that is when every directory above it
     * lets others pass, and otherwise a new directory under the system's temporary directory. Under root the server
     * runs as {@code postgres}, which cannot enter a checkout under a private home directory.
     */
    static Path clusterDirectory(Path preferred) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            return preferred;
        }
        for (Path dir = preferred.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir) && !Files.getPosixFilePermissions(dir).contains(
                    java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                Path temporary = Files.createTempDirectory("malipo-pg-faults-");
                Files.setPosixFilePermissions(temporary,
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                return temporary;
            }
        }
        return preferred;
    }

    FaultRig.Database database() {
        return new FaultRig.Database("127.0.0.1", Integer.toString(port), DATABASE, USER, PASSWORD);
    }

    /** Starts the server and waits until it accepts connections. */
    void start() throws IOException, InterruptedException {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l", log.toString(), "-w", "-t", "60",
                "-o", "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories='"
                        + dataDir.getParent() + "' -c fsync=off -c max_connections=100",
                "start"));
    }

    /** Stops the server in fast mode, which ends every session at once, and waits until it is down. */
    void stop() throws IOException, InterruptedException {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop"));
    }

    /** Stops the server if it runs and deletes its files. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            pg(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"));
        } catch (IllegalStateException e) {
            // pg_ctl fails when the server is not running, which is the state wanted here.
        }
        deleteRecursively(dataDir.getParent());
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void pg(List<String> command) throws IOException, InterruptedException {
        run(command, asPostgresUser);
    }

    private static void run(List<String> command, boolean asPostgresUser) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(Duration.between(Instant.now(), deadline).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", full));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("failed with exit status " + process.exitValue() + ": "
                    + String.join(" ", full) + "\n" + new String(output));
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        }
    }

    private static int versionNumber(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
