package co.malipo.core.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc-123", "req_7.Z", "0123456789012345678901234567890123456789012345678901234567890123"})
    void callerIdKept(String header) {
        assertThat(RequestIds.idFrom(header)).isEqualTo(header);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "two words", "line\nbreak", "quote\"", "01234567890123456789012345678901234567890123456789012345678901234"})
    void unsafeIdReplacedByUuid(String header) {
        String id = RequestIds.idFrom(header);

        assertThat(id).isNotEqualTo(header);
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    }
}
