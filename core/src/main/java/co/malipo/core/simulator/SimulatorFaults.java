package co.malipo.core.simulator;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Transport faults that a simulator injects into a share of its replies, to test how the gateway copes with a provider
 * that misbehaves. A plan gives each fault a percentage of requests, and a seeded random generator picks the requests,
 * so one seed and one order of requests always give the same faults. The plan can be replaced while the simulator
 * runs, and the counts of injected faults can be read back.
 */
public final class SimulatorFaults {

    /** Fault injected into one reply. */
    public enum Fault {
        /** The reply comes after the simulator's slow-reply delay, which is meant to exceed the client's read timeout. */
        SLOW,
        /** HTTP 503 with Daraja's error shape, sent instead of handling the request. */
        SERVER_ERROR,
        /** HTTP 200 with an HTML page for a body, as a proxy in front of the provider may send. */
        HTML,
        /** The connection is closed without any reply. */
        DROP
    }

    /**
     * Percentages of requests that get each fault, and the seed of the generator that picks them.
     *
     * @param percentages percent of requests per fault, 0 to 100 each and at most 100 in total
     */
    public record Plan(Map<Fault, Integer> percentages, long seed) {

        /** The plan without faults. */
        public static final Plan NONE = new Plan(Map.of(), 1);

        public Plan {
            EnumMap<Fault, Integer> copy = new EnumMap<>(Fault.class);
            int total = 0;
            for (Map.Entry<Fault, Integer> entry : percentages.entrySet()) {
                int percent = entry.getValue();
                if (percent < 0 || percent > 100) {
                    throw new IllegalArgumentException("invalid fault percentage " + percent + " for "
                            + name(entry.getKey()) + ": expected a whole number from 0 to 100");
                }
                total += percent;
                if (percent > 0) {
                    copy.put(entry.getKey(), percent);
                }
            }
            if (total > 100) {
                throw new IllegalArgumentException("invalid fault plan: the percentages add up to " + total
                        + ", expected at most 100");
            }
            percentages = Map.copyOf(copy);
        }

        /**
         * Parses a plan such as {@code slow=5,error=5,html=5,drop=5,seed=42}. The names are {@code slow},
         * {@code error}, {@code html} and {@code drop}; {@code seed} is optional and defaults to 1. A blank text is
         * the plan without faults.
         *
         * @throws IllegalArgumentException naming the part that is invalid
         */
        public static Plan parse(String text) {
            if (text == null || text.isBlank()) {
                return NONE;
            }
            Map<Fault, Integer> percentages = new EnumMap<>(Fault.class);
            long seed = 1;
            for (String part : text.split(",")) {
                String[] pair = part.trim().split("=", 2);
                if (pair.length != 2) {
                    throw new IllegalArgumentException("invalid fault plan part '" + part.trim()
                            + "': expected NAME=NUMBER, for example drop=5");
                }
                String key = pair[0].trim().toLowerCase(Locale.ROOT);
                String value = pair[1].trim();
                try {
                    if (key.equals("seed")) {
                        seed = Long.parseLong(value);
                    } else {
                        percentages.put(fault(key), Integer.parseInt(value));
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid number '" + value + "' for " + key
                            + " in the fault plan: expected a whole number");
                }
            }
            return new Plan(percentages, seed);
        }

        /** Formats the plan in the form that {@link #parse} reads. */
        public String format() {
            StringBuilder text = new StringBuilder();
            for (Fault fault : Fault.values()) {
                Integer percent = percentages.get(fault);
                if (percent != null) {
                    text.append(name(fault)).append('=').append(percent).append(',');
                }
            }
            return text.append("seed=").append(seed).toString();
        }

        private static Fault fault(String name) {
            return switch (name) {
                case "slow" -> Fault.SLOW;
                case "error" -> Fault.SERVER_ERROR;
                case "html" -> Fault.HTML;
                case "drop" -> Fault.DROP;
                default -> throw new IllegalArgumentException("unknown fault '" + name
                        + "' in the fault plan: expected slow, error, html, drop or seed");
            };
        }
    }

    private Plan plan = Plan.NONE;
    private SplittableRandom random = new SplittableRandom(Plan.NONE.seed());
    private final EnumMap<Fault, Integer> injected = new EnumMap<>(Fault.class);

    /** Replaces the plan, restarts its generator from the plan's seed and keeps the counts. */
    public synchronized void set(Plan plan) {
        this.plan = plan;
        this.random = new SplittableRandom(plan.seed());
    }

    public synchronized Plan plan() {
        return plan;
    }

    /** Picks the fault of the next request, if any, and counts it. */
    public synchronized Optional<Fault> next() {
        if (plan.percentages().isEmpty()) {
            return Optional.empty();
        }
        int roll = random.nextInt(100);
        int bound = 0;
        for (Fault fault : Fault.values()) {
            bound += plan.percentages().getOrDefault(fault, 0);
            if (roll < bound) {
                injected.merge(fault, 1, Integer::sum);
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    /** Returns how many of each fault were injected since start, keyed by the names {@link Plan#parse} reads. */
    public synchronized Map<String, Integer> injected() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Fault fault : Fault.values()) {
            counts.put(name(fault), injected.getOrDefault(fault, 0));
        }
        return counts;
    }

    static String name(Fault fault) {
        return switch (fault) {
            case SLOW -> "slow";
            case SERVER_ERROR -> "error";
            case HTML -> "html";
            case DROP -> "drop";
        };
    }
}
