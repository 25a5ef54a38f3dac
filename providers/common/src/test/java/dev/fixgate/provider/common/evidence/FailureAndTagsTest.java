package dev.fixgate.provider.common.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailureAndTagsTest {

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(Failure.retryAfter("7")).contains(Duration.ofSeconds(7));
        assertThat(Failure.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
        assertThat(Failure.retryAfter("soon")).isEmpty();
        assertThat(Failure.retryAfter(null)).isEmpty();
    }

    @Test
    void statusesMapToTypes() {
        assertThat(Failure.typeOf(429)).isEqualTo(Failure.Type.THROTTLED);
        assertThat(Failure.typeOf(401)).isEqualTo(Failure.Type.DENIED);
        assertThat(Failure.typeOf(504)).isEqualTo(Failure.Type.TIMEOUT);
        assertThat(Failure.typeOf(502)).isEqualTo(Failure.Type.TRANSIENT);
        assertThat(Failure.typeOf(400)).isEqualTo(Failure.Type.ERROR);
        assertThat(Failure.timeoutIn(new RuntimeException(new java.net.http.HttpTimeoutException("t")))).isPresent();
        assertThat(Failure.of(new HttpStatusException(404, "", "x", Optional.empty())).type()).isEqualTo(Failure.Type.NOT_FOUND);
    }

    @Test
    void environmentAndOwnerFromTagsOfAnyCase() {
        assertThat(Tags.environment(Map.of("Environment", "PRD"))).contains("production");
        assertThat(Tags.environment(Map.of("env", "uat", "stage", "dev"))).contains("staging");
        assertThat(Tags.environment(Map.of("environment", "blue"))).isEmpty();
        assertThat(Tags.owner(Map.of("Team", " payments "))).contains("payments");
        assertThat(Tags.owner(Map.of("owner", " "))).isEmpty();
    }
}
