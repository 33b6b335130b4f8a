package co.malipo.core.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SourceNetworksTest {

    @Test
    void blockMatchesItsAddressesOnly() {
        var rule = SourceNetworks.rule("196.201.214.0/24");

        assertThat(rule.matches(new InetSocketAddress("196.201.214.200", 443))).isTrue();
        assertThat(rule.matches(new InetSocketAddress("196.201.215.1", 443))).isFalse();
    }

    @Test
    void bareAddressMatchesItselfAlone() {
        var rule = SourceNetworks.rule(" 10.1.2.3 ");

        assertThat(rule.matches(new InetSocketAddress("10.1.2.3", 80))).isTrue();
        assertThat(rule.matches(new InetSocketAddress("10.1.2.4", 80))).isFalse();
    }

    @Test
    void malformedBlockNamesTheValueAndTheForm() {
        assertThatThrownBy(() -> SourceNetworks.of(Optional.of(List.of("196.201.214.0/x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'196.201.214.0/x'")
                .hasMessageContaining("such as 196.201.214.0/24");
    }
}
