package co.malipo.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Webhook URL rules. Names resolve through a fixed table, so no test sends a DNS query. */
class WebhookUrlCheckTest {

    private static final Map<String, List<String>> NAMES = Map.of(
            "hooks.example.com", List.of("203.0.113.10"),
            "mixed.example.com", List.of("203.0.113.11", "10.1.2.3"),
            "metadata.example.com", List.of("169.254.169.254"),
            "rebind.example.com", List.of("127.0.0.1"));

    private final WebhookUrlCheck check = new WebhookUrlCheck(WebhookUrlCheckTest::resolve);

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        if (host.equalsIgnoreCase("localhost")) {
            return InetAddress.getAllByName("localhost");
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
            // Literal addresses are parsed, never looked up.
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        List<String> literals = NAMES.get(host.toLowerCase());
        if (literals == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] addresses = new InetAddress[literals.size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = InetAddress.getByName(literals.get(i));
        }
        return addresses;
    }

    @Test
    void publicHttpsAccepted() {
        assertThat(check.problem("https://hooks.example.com/malipo?shop=1", false)).isEmpty();
        assertThat(check.problem("https://203.0.113.10:8443/x", false)).isEmpty();
        assertThat(check.problem("HTTPS://hooks.example.com/", false)).isEmpty();
    }

    @Test
    void liveRejectsHttp() {
        assertThat(check.problem("http://hooks.example.com/", false)).get().asString().contains("https");
    }

    @Test
    void liveRejectsNonPublicAddresses() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("https://127.0.0.1/x", "loopback"),
                Map.entry("https://127.8.9.10/", "loopback"),
                Map.entry("https://10.0.0.5/", "private"),
                Map.entry("https://172.16.4.4/", "private"),
                Map.entry("https://192.168.1.1/", "private"),
                Map.entry("https://169.254.169.254/latest/meta-data", "link-local"),
                Map.entry("https://[::1]/", "loopback"),
                Map.entry("https://[fe80::1]/", "link-local"),
                Map.entry("https://[fd12:3456::1]/", "unique-local"),
                Map.entry("https://[fc00::5]/", "unique-local"),
                Map.entry("https://[::ffff:10.0.0.1]/", "private"),
                Map.entry("https://[::a00:1]/", "IPv4-compatible"),
                Map.entry("https://0.0.0.0/", "unspecified"),
                Map.entry("https://[::]/", "unspecified"),
                Map.entry("https://0.1.2.3/", "unspecified"),
                Map.entry("https://100.64.0.1/", "shared"),
                Map.entry("https://255.255.255.255/", "broadcast"),
                Map.entry("https://224.0.0.1/", "multicast"),
                Map.entry("https://[ff02::1]/", "multicast"),
                Map.entry("https://2130706433/", "loopback"),
                Map.entry("https://metadata.example.com/", "link-local"),
                Map.entry("https://mixed.example.com/", "private"),
                Map.entry("https://[64:ff9b::7f00:1]/", "loopback IPv4 inside a NAT64"),
                Map.entry("https://[64:ff9b::a9fe:a9fe]/", "link-local IPv4 inside a NAT64"),
                Map.entry("https://[2002:a00:1::]/", "private IPv4 inside a NAT64 or 6to4"),
                Map.entry("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "Teredo"),
                Map.entry("https://198.18.0.1/", "benchmarking"),
                Map.entry("https://240.0.0.1/", "reserved"),
                Map.entry("https://192.0.0.170/", "IETF protocol assignment"),
                Map.entry("https://rebind.example.com/", "loopback"),
                Map.entry("https://[::ffff:127.0.0.1]/", "loopback"),
                Map.entry("https://[::ffff:169.254.169.254]/", "link-local"),
                Map.entry("https://[::ffff:7f00:1]/", "loopback"));
        cases.forEach((url, kind) -> {
            Optional<String> problem = check.problem(url, false);
            assertThat(problem).as(url).isPresent();
            assertThat(problem.get()).as(url).contains(kind);
        });
    }

    @Test
    void publicNat64AndSixToFourAccepted() {
        assertThat(check.problem("https://[64:ff9b::cb00:710a]/", false)).isEmpty();
        assertThat(check.problem("https://[2002:cb00:710a::1]/", false)).isEmpty();
        assertThat(check.problem("https://[2606:4700::1111]/", false)).isEmpty();
    }

    @Test
    void liveRejectsLocalhostNames() {
        for (String url : List.of("https://localhost/", "https://LOCALHOST:8443/x", "https://localhost./",
                "https://api.localhost/")) {
            assertThat(check.problem(url, false)).as(url).get().asString().contains("this machine");
        }
    }

    @Test
    void unresolvableHostRejected() {
        assertThat(check.problem("https://unknown.invalid/", false)).get().asString().contains("could not be resolved");
    }

    @Test
    void malformedUrlsRejected() {
        List<String> urls = List.of("", "hooks.example.com/x", "/relative/path", "ftp://hooks.example.com/",
                "javascript:alert(1)", "https://", "https:///path", "https://exa mple.com/", " https://hooks.example.com/",
                "https://hooks.example.com/\n", "https://hooks.example.com/\u0000", "https://hooks.example.com/\u200b",
                "https://hooks.example.com:0/", "https://hooks.example.com:70000/", "https://hooks.example.com:x/",
                "https://exa_mple.com/", "https://[zz::1]/", "https://hooks.example.com/%zz");
        for (String url : urls) {
            assertThat(check.problem(url, false)).as("live %s", url).isPresent();
            assertThat(check.problem(url, true)).as("local %s", url).isPresent();
        }
    }

    @Test
    void userInfoRejected() {
        assertThat(check.problem("https://user:pass@hooks.example.com/", false)).get().asString().contains("password");
        assertThat(check.problem("http://user@127.0.0.1:9/", true)).isPresent();
    }

    @Test
    void lengthLimitApplies() {
        String base = "https://hooks.example.com/";
        String longest = base + "a".repeat(WebhookUrlCheck.MAX_LENGTH - base.length());
        assertThat(check.problem(longest, false)).isEmpty();
        assertThat(check.problem(longest + "a", false)).get().asString().contains("2000");
    }

    @Test
    void localAllowedAcceptsLoopbackHttp() {
        for (String url : List.of("http://127.0.0.1:9/x", "http://localhost:8080/hook", "https://10.0.0.5/",
                "http://[::1]:9000/", "http://unknown.invalid/")) {
            assertThat(check.problem(url, true)).as(url).isEmpty();
        }
    }

    @Test
    void localDisallowedRejectsLoopbackHttp() {
        assertThat(check.problem("http://127.0.0.1:9/x", false)).isPresent();
        assertThat(check.problem("https://127.0.0.1:9/x", false)).isPresent();
    }
}
