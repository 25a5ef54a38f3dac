package dev.fixgate.app.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.json.Json;
import dev.fixgate.spi.error.FixgateException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitHubAppCredentialsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final KeyPair KEYS = TestKeys.RSA_2048;

    static boolean verifies(String jwt, PublicKey key) throws Exception {
        String[] parts = jwt.split("\\.");
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
    }

    static JsonNode part(String jwt, int i) throws Exception {
        return Json.mapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs1", "pkcs8"})
    void theJwtIsSignedWithTheAppKeyAndCarriesGitHubsClaims(String form) throws Exception {
        Secret pem = form.equals("pkcs1") ? TestKeys.pkcs1Pem(KEYS) : TestKeys.pkcs8Pem(KEYS);
        assertThat(pem.reveal()).startsWith(form.equals("pkcs1") ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN PRIVATE KEY-----");

        String jwt = GitHubAppCredentials.of(123456, pem).jwt(NOW).reveal();

        assertThat(jwt.split("\\.")).hasSize(3);
        assertThat(jwt).doesNotContain("=", "+", "/");
        assertThat(verifies(jwt, KEYS.getPublic())).isTrue();
        assertThat(verifies(jwt, TestKeys.generate(2048).getPublic())).as("another key does not verify it").isFalse();
        JsonNode header = part(jwt, 0);
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("typ").asText()).isEqualTo("JWT");
        JsonNode claims = part(jwt, 1);
        assertThat(claims.path("iss").asText()).isEqualTo("123456");
        assertThat(claims.path("iat").asLong()).isEqualTo(NOW.getEpochSecond() - 60);
        assertThat(claims.path("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 540);
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isLessThanOrEqualTo(600);
        assertThat(claims.path("exp").asLong()).isGreaterThan(NOW.getEpochSecond());
    }

    @Test
    void bothPemFormsAreTheSameKey() {
        // RSASSA-PKCS1-v1_5 is deterministic: the same key signs the same JWT byte for byte.
        assertThat(GitHubAppCredentials.of(7, TestKeys.pkcs1Pem(KEYS)).jwt(NOW))
                .isEqualTo(GitHubAppCredentials.of(7, TestKeys.pkcs8Pem(KEYS)).jwt(NOW));
    }

    @Test
    void aTamperedTokenDoesNotVerify() throws Exception {
        String jwt = GitHubAppCredentials.of(1, TestKeys.pkcs1Pem(KEYS)).jwt(NOW).reveal();
        String[] parts = jwt.split("\\.");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"iat\":0,\"exp\":9999999999,\"iss\":\"1\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(verifies(forged, KEYS.getPublic())).isFalse();
    }

    @Test
    void pemWithWindowsLineEndsAndSurroundingTextIsRead() {
        String pem = "key for the fixgate app\r\n" + TestKeys.pkcs1Pem(KEYS).reveal().replace("\n", "\r\n") + "\r\n";
        assertThat(GitHubAppCredentials.of(1, Secret.of(pem)).jwt(NOW))
                .isEqualTo(GitHubAppCredentials.of(1, TestKeys.pkcs8Pem(KEYS)).jwt(NOW));
    }

    @Test
    void unusableKeysAreRefusedWithoutQuotingThem() {
        String body = TestKeys.pkcs8Pem(KEYS).reveal().lines().skip(1).findFirst().orElseThrow();
        String[] bad = {
                "",
                "not a pem",
                TestKeys.pkcs8Pem(KEYS).reveal().replace("PRIVATE KEY", "EC PRIVATE KEY"),
                TestKeys.pem("ENCRYPTED PRIVATE KEY", KEYS.getPrivate().getEncoded()),
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n" + body
                        + "\n-----END RSA PRIVATE KEY-----",
                "-----BEGIN PRIVATE KEY-----\n" + body.substring(0, 40) + "!!\n-----END PRIVATE KEY-----",
                TestKeys.pkcs8Pem(TestKeys.generate(1024)).reveal()};
        for (String pem : bad) {
            assertThatThrownBy(() -> GitHubAppCredentials.of(1, Secret.of(pem)))
                    .isInstanceOfSatisfying(FixgateException.class, e -> {
                        assertThat(e.code()).isEqualTo("github.private-key");
                        assertThat(e.getMessage()).doesNotContain(body.substring(0, 20));
                    });
        }
        assertThatThrownBy(() -> GitHubAppCredentials.of(0, TestKeys.pkcs8Pem(KEYS)))
                .isInstanceOfSatisfying(FixgateException.class, e -> assertThat(e.code()).isEqualTo("github.app-id"));
    }

    @Test
    void neitherTheKeyNorTheJwtPrintsItself() {
        GitHubAppCredentials credentials = GitHubAppCredentials.of(42, TestKeys.pkcs1Pem(KEYS));
        assertThat(credentials.toString()).isEqualTo("GitHubAppCredentials[appId=42, key=****]");
        assertThat(credentials.jwt(NOW).toString()).isEqualTo("****");
    }
}
