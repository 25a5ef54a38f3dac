package dev.fixgate.app.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.Secret;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    // The test vector from GitHub's documentation on validating webhook deliveries.
    private static final Secret DOCS_SECRET = Secret.of("It's a Secret to Everybody");
    private static final byte[] DOCS_PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String DOCS_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void matchesGitHubsDocumentedTestVector() {
        assertThat(WebhookSignature.sign(DOCS_SECRET, DOCS_PAYLOAD)).isEqualTo(DOCS_SIGNATURE);
        assertThat(WebhookSignature.verify(DOCS_SECRET, DOCS_PAYLOAD, DOCS_SIGNATURE)).isTrue();
        assertThat(WebhookSignature.verify(DOCS_SECRET, DOCS_PAYLOAD, DOCS_SIGNATURE.toUpperCase().replace("SHA256", "sha256"))).isTrue();
    }

    @Test
    void refusesWrongMissingOrLegacySignaturesAndAMissingSecret() {
        assertThat(WebhookSignature.verify(DOCS_SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), DOCS_SIGNATURE)).isFalse();
        assertThat(WebhookSignature.verify(Secret.of("another secret"), DOCS_PAYLOAD, DOCS_SIGNATURE)).isFalse();
        assertThat(WebhookSignature.verify(DOCS_SECRET, DOCS_PAYLOAD, null)).isFalse();
        assertThat(WebhookSignature.verify(DOCS_SECRET, DOCS_PAYLOAD, "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59")).isFalse();
        assertThat(WebhookSignature.verify(DOCS_SECRET, DOCS_PAYLOAD, DOCS_SIGNATURE.substring(0, 20))).isFalse();
        // Fail closed: with no secret configured nothing verifies, not even an "empty" signature.
        assertThat(WebhookSignature.verify(Secret.none(), DOCS_PAYLOAD, "sha256=")).isFalse();
    }
}
