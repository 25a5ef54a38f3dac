package dev.fixgate.provider.common.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.provider.common.evidence.Failure;
import dev.fixgate.spi.intake.FindingSource;
import dev.fixgate.spi.intake.PullFailedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PagedPullTest {

    /** A service of pages "a" → "b" → "c": each answer is the token it was asked with and the next one. */
    private static final Map<String, String> NEXT = Map.of("", "b", "b", "c", "c", "");

    private final List<String> asked = new ArrayList<>();
    private final List<FindingSource.Page> pages = new ArrayList<>();

    private String[] fetch(String token) {
        String t = token == null ? "" : token;
        asked.add(token);
        return new String[] {t, NEXT.get(t)};
    }

    private static FindingSource.Page page(int number, String[] response) {
        return new FindingSource.Page("p#" + number + ":" + response[0], new byte[0], 1, 0, Instant.EPOCH);
    }

    @Test
    void followsTheTokensUntilTheLastPageFirstAskingWithNone() throws Exception {
        new PagedPull<String[]>(10, this::fetch, r -> r[1], PagedPullTest::page, (n, e) -> null).into(pages::add);
        assertThat(asked).containsExactly(null, "b", "c");
        assertThat(pages).extracting(FindingSource.Page::name).containsExactly("p#1:", "p#2:b", "p#3:c");
    }

    @Test
    void aNullTokenEndsThePullToo() throws Exception {
        new PagedPull<String[]>(10, this::fetch, r -> null, PagedPullTest::page, (n, e) -> null).into(pages::add);
        assertThat(asked).containsExactly((String) null);
        assertThat(pages).hasSize(1);
    }

    @Test
    void readsAtMostMaxPagesTheRestComesNextPull() throws Exception {
        new PagedPull<String[]>(2, this::fetch, r -> r[1], PagedPullTest::page, (n, e) -> null).into(pages::add);
        assertThat(asked).containsExactly(null, "b");
        assertThat(pages).hasSize(2);
    }

    @Test
    void aFailedCallEndsThePullWithTheSourcesExceptionNamingThePage() {
        PagedPull<String[]> pull = new PagedPull<>(10, token -> {
            if ("c".equals(token)) {
                throw new IllegalStateException("boom");
            }
            return fetch(token);
        }, r -> r[1], PagedPullTest::page, (n, e) -> new PullFailedException(PullFailedException.Reason.ERROR, 0,
                "the place, page " + n + ": " + e.getMessage(), e));
        assertThatThrownBy(() -> pull.into(pages::add)).isInstanceOf(PullFailedException.class)
                .hasMessage("the place, page 3: boom");
        assertThat(pages).hasSize(2);
    }

    @Test
    void aClassifiedFailureBecomesTheReasonOfThePull() {
        assertThat(PagedPull.reason(Failure.of(Failure.Type.DENIED, 403, "", ""))).isEqualTo(PullFailedException.Reason.DENIED);
        assertThat(PagedPull.reason(Failure.of(Failure.Type.THROTTLED, 429, "", "")))
                .isEqualTo(PullFailedException.Reason.THROTTLED);
        assertThat(PagedPull.reason(Failure.of(Failure.Type.TIMEOUT, 0, "", ""))).isEqualTo(PullFailedException.Reason.TIMEOUT);
        assertThat(PagedPull.reason(Failure.of(Failure.Type.NOT_FOUND, 404, "", "")))
                .isEqualTo(PullFailedException.Reason.NOT_FOUND);
        assertThat(PagedPull.reason(Failure.of(Failure.Type.TRANSIENT, 503, "", ""))).isEqualTo(PullFailedException.Reason.ERROR);
        assertThat(PagedPull.reason(Failure.of(Failure.Type.ERROR, 500, "", ""))).isEqualTo(PullFailedException.Reason.ERROR);
    }
}
