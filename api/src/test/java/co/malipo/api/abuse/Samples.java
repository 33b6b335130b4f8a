package co.malipo.api.abuse;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;

/**
 * Draws values from jqwik arbitraries with a fixed seed inside ordinary JUnit tests, where the
 * jqwik engine cannot run because the test needs the running Quarkus app. The same seed gives the
 * same inputs on every run, so a failure can be replayed.
 */
public final class Samples {

    /** Generation size passed to jqwik: how large collections and strings may grow. */
    private static final int GENERATION_SIZE = 1000;

    private Samples() {
    }

    public static <T> List<T> draw(Arbitrary<T> arbitrary, int count, long seed) {
        // Arbitraries need a jqwik session outside the jqwik engine; the values come from our own Random.
        JqwikSession.start();
        try {
            Random random = new Random(seed);
            RandomGenerator<T> generator = arbitrary.generator(GENERATION_SIZE, true);
            List<T> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                values.add(generator.next(random).value());
            }
            return values;
        } finally {
            JqwikSession.finish();
        }
    }
}
