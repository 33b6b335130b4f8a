package co.malipo.core.merchant;

import java.util.Locale;

/** Test keys reach only the simulator; live keys reach only Safaricom. */
public enum Environment {
    TEST,
    LIVE;

    /** Returns the segment used in key prefixes: {@code test} or {@code live}. */
    public String keySegment() {
        return name().toLowerCase(Locale.ROOT);
    }
}
