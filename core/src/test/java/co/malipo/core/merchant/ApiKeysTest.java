package co.malipo.core.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeysTest {

    @ParameterizedTest
    @EnumSource(Environment.class)
    void secretKeyFormat(Environment environment) {
        String key = ApiKeys.newSecretKey(environment);

        assertThat(key).matches("ISSecretKey_" + environment.keySegment() + "_[0-9A-Za-z]{32}");
    }

    @ParameterizedTest
    @EnumSource(Environment.class)
    void publicKeyFormat(Environment environment) {
        String key = ApiKeys.newPublicKey(environment);

        assertThat(key).matches("ISPubKey_" + environment.keySegment() + "_[0-9A-Za-z]{32}");
    }

    @Test
    void generatedKeysDiffer() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            keys.add(ApiKeys.newSecretKey(Environment.TEST));
        }

        assertThat(keys).hasSize(1_000);
    }

    @Test
    void hashIsLowerCaseHex() {
        String hash = ApiKeys.hash(ApiKeys.newSecretKey(Environment.LIVE));

        assertThat(hash).matches("[0-9a-f]{64}");
    }

    /** Compares with the SHA-256 of "abc" as {@code printf abc | sha256sum} prints it. */
    @Test
    void hashIsSha256() {
        assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void hashDiffersPerKey() {
        String first = ApiKeys.newSecretKey(Environment.TEST);
        String second = ApiKeys.newSecretKey(Environment.TEST);

        assertThat(ApiKeys.hash(first)).isNotEqualTo(ApiKeys.hash(second));
        assertThat(ApiKeys.hash(first)).isEqualTo(ApiKeys.hash(first));
    }

    @Test
    void environmentOfGeneratedKeys() {
        assertThat(ApiKeys.environmentOf(ApiKeys.newSecretKey(Environment.TEST))).contains(Environment.TEST);
        assertThat(ApiKeys.environmentOf(ApiKeys.newSecretKey(Environment.LIVE))).contains(Environment.LIVE);
        assertThat(ApiKeys.environmentOf(ApiKeys.newPublicKey(Environment.TEST))).contains(Environment.TEST);
        assertThat(ApiKeys.environmentOf(ApiKeys.newPublicKey(Environment.LIVE))).contains(Environment.LIVE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "ISSecretKey_prod_0123456789abcdefghijABCDEFGHIJ01",
            "ISSecretKey_test",
            "ISSecretKey_testX_0123456789abcdefghijABCDEFGHIJ01",
            "sk_test_0123456789abcdefghijABCDEFGHIJ01",
            "ISPubKey__test_0123456789abcdefghijABCDEFGHIJ01",
            "test_ISSecretKey_0123456789abcdefghijABCDEFGHIJ01"
    })
    void environmentOfUnknownPrefix(String key) {
        assertThat(ApiKeys.environmentOf(key)).isEmpty();
    }

    @Test
    void displayPrefixHidesSecret() {
        String key = "ISSecretKey_test_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56";

        assertThat(ApiKeys.displayPrefix(key)).isEqualTo("ISSecretKey_test_Ab12...");
    }
}
