package co.malipo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Runs the unmodified intasend-node SDK (version pinned in src/test/node/package.json) against
 * this server: one STK push, then status polls until the invoice is COMPLETE. The script
 * src/test/node/sdk-check.mjs redirects the SDK's HTTPS requests to the test port and prints
 * each request it sent, so a failure here shows what the SDK sent and received.
 */
@QuarkusTest
class IntaSendNodeSdkTest {

    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final long TIMEOUT_SECONDS = 60;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @ConfigProperty(name = "malipo.demo.test-public-key")
    String publicKey;

    @ConfigProperty(name = "malipo.demo.test-secret-key")
    String secretKey;

    @Test
    void stkPushThenStatusReachesComplete() throws IOException, InterruptedException {
        Path sdkDir = NODE_DIR.resolve("node_modules/intasend-node");
        if (!Files.isDirectory(sdkDir)) {
            fail("Missing " + sdkDir.toAbsolutePath() + ": run `npm ci` in " + NODE_DIR.toAbsolutePath());
        }

        Path output = Files.createTempFile("intasend-node-sdk-check", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder("node", "sdk-check.mjs")
                    .directory(NODE_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().put("MALIPO_BASE_URL", "http://127.0.0.1:" + port);
            builder.environment().put("MALIPO_PUBLIC_KEY", publicKey);
            builder.environment().put("MALIPO_SECRET_KEY", secretKey);
            builder.environment().put("MALIPO_PHONE", "0712000777");

            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new AssertionError("Failed to start `node sdk-check.mjs`: install Node.js"
                        + " and put `node` on the PATH (" + e.getMessage() + ")", e);
            }

            boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            String scriptOutput = Files.readString(output, StandardCharsets.UTF_8);

            assertThat(finished)
                    .as("node sdk-check.mjs timed out after %d s. Output:%n%s", TIMEOUT_SECONDS, scriptOutput)
                    .isTrue();
            assertThat(process.exitValue())
                    .as("node sdk-check.mjs exit code. Output:%n%s", scriptOutput)
                    .isZero();
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
