package co.malipo.core.support;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.vertx.core.http.HttpServerRequest;

/**
 * An allowlist of source networks for provider callbacks (Daraja, Africa's Talking), read from
 * CIDR blocks such as {@code 196.201.214.0/24}. An empty list allows every source.
 */
public final class SourceNetworks {

    private final List<IpSubnetFilterRule> rules;

    private SourceNetworks(List<IpSubnetFilterRule> rules) {
        this.rules = rules;
    }

    /**
     * Reads the configured blocks; a bare address allows that address alone.
     *
     * @throws IllegalArgumentException when a block is not an address with an optional prefix length
     */
    public static SourceNetworks of(Optional<List<String>> blocks) {
        return new SourceNetworks(blocks.orElse(List.of()).stream()
                .filter(block -> !block.isBlank())
                .map(SourceNetworks::rule)
                .toList());
    }

    /** Returns whether the request's peer address lies in one of the networks, or no network is configured. */
    public boolean allows(HttpServerRequest request) {
        if (rules.isEmpty()) {
            return true;
        }
        if (request.remoteAddress() == null) {
            return false;
        }
        InetSocketAddress address = new InetSocketAddress(request.remoteAddress().host(), request.remoteAddress().port());
        return rules.stream().anyMatch(rule -> rule.matches(address));
    }

    /** Returns the request's peer address for log lines, or the phrase "an unknown address". */
    public static String source(HttpServerRequest request) {
        return request.remoteAddress() == null ? "an unknown address" : request.remoteAddress().host();
    }

    static IpSubnetFilterRule rule(String block) {
        String trimmed = block.trim();
        try {
            int slash = trimmed.indexOf('/');
            if (slash < 0) {
                int bits = trimmed.contains(":") ? 128 : 32;
                return new IpSubnetFilterRule(trimmed, bits, IpFilterRuleType.ACCEPT);
            }
            int bits = Integer.parseInt(trimmed.substring(slash + 1));
            return new IpSubnetFilterRule(trimmed.substring(0, slash), bits, IpFilterRuleType.ACCEPT);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Network '" + trimmed
                    + "' is not a CIDR block: write an address with an optional prefix length, such as 196.201.214.0/24", e);
        }
    }
}
