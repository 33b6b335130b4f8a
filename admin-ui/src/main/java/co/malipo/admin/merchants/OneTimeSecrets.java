package co.malipo.admin.merchants;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Holds new secrets (API keys, webhook signing secrets) between a form post and the page it
 * redirects to, so the page shows them once and a reload does not. A secret is handed out only
 * to the user who created it, only once, and only within {@link #TTL}. Secrets live in this
 * process's memory and are never written to the database or a log.
 * NOTE: with several admin-ui instances behind a load balancer without sticky sessions, the
 * redirect may reach another instance, which then shows no secret. Rotate the key again there.
 */
@ApplicationScoped
public class OneTimeSecrets {

    /** How long a secret waits for its page. */
    static final Duration TTL = Duration.ofMinutes(5);
    /** Maximum number of secrets held at once. Reaching it drops every held secret, so the map cannot grow without bound. */
    static final int MAX_HELD = 1000;

    /** A secret with the label it is shown under, for example "Secret key (test)". */
    public record Secret(String label, String value) {
    }

    private record Held(String username, List<Secret> secrets, Instant expiresAt) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Clock clock;

    public OneTimeSecrets(Clock clock) {
        this.clock = clock;
    }

    /** Stores secrets for {@code username} and returns the random ticket that the redirect carries. */
    public String hold(String username, List<Secret> secrets) {
        Instant now = clock.instant();
        held.values().removeIf(entry -> !entry.expiresAt().isAfter(now));
        if (held.size() >= MAX_HELD) {
            held.clear();
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        held.put(ticket, new Held(username, List.copyOf(secrets), now.plus(TTL)));
        return ticket;
    }

    /**
     * Returns the secrets of a ticket and removes them. Returns an empty list for an unknown, used or
     * expired ticket, and for another user's ticket, which stays for its owner.
     */
    public List<Secret> take(String ticket, String username) {
        if (ticket == null || ticket.isBlank()) {
            return List.of();
        }
        Held entry = held.get(ticket);
        if (entry == null || !entry.username().equals(username)) {
            return List.of();
        }
        if (!held.remove(ticket, entry) || !entry.expiresAt().isAfter(clock.instant())) {
            return List.of();
        }
        return entry.secrets();
    }
}
