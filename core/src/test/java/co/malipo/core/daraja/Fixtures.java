package co.malipo.core.daraja;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Daraja bodies stored under {@code src/test/resources/daraja/}, named {@code <operation>-<outcome>}. */
final class Fixtures {

    private Fixtures() {
    }

    static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/daraja/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("fixture not found: daraja/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture daraja/" + name, e);
        }
    }
}
