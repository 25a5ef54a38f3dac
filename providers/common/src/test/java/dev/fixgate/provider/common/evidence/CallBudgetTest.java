package dev.fixgate.provider.common.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallBudgetTest {

    static final ReadAction READ = new ReadAction("Microsoft.Insights/metrics/read", "Metrics - List", "test");

    /** A clock the sleeper advances: the budget sees time pass without the test waiting. */
    final AtomicLong nanos = new AtomicLong();
    final List<Duration> slept = new ArrayList<>();

    CallBudget budget(Duration d) {
        return CallBudget.of(d, nanos::get, w -> {
            slept.add(w);
            nanos.addAndGet(w.toNanos());
        });
    }

    static Failure classify(Throwable e) {
        return e instanceof HttpStatusException h ? Failure.of(h) : Failure.of(Failure.Type.ERROR, 0, "", e.getMessage());
    }

    @Test
    void throttlingIsRetriedHonouringRetryAfterThenBackingOffExponentially() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String got = budget(Duration.ofSeconds(60)).call(READ, () -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw new HttpStatusException(429, "TooManyRequests", "slow down", Optional.of(Duration.ofSeconds(3)));
            }
            if (n < 4) {
                throw new HttpStatusException(503, "ServerBusy", "busy", Optional.empty());
            }
            return "ok";
        }, CallBudgetTest::classify);

        assertThat(got).isEqualTo("ok");
        assertThat(slept).containsExactly(Duration.ofSeconds(3), Duration.ofMillis(400), Duration.ofMillis(800));
    }

    @Test
    void aRetryAfterPastTheBudgetFailsAtOnce() {
        assertThatThrownBy(() -> budget(Duration.ofSeconds(10)).call(READ, () -> {
            throw new HttpStatusException(429, "TooManyRequests", "", Optional.of(Duration.ofSeconds(30)));
        }, CallBudgetTest::classify)).isInstanceOf(CallFailedException.class)
                .hasMessage("throttled beyond the budget on Microsoft.Insights/metrics/read (Metrics - List): TooManyRequests (429)");
        assertThat(slept).isEmpty();
    }

    @Test
    void attemptsAreBoundedEvenWithAGenerousBudget() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> budget(Duration.ofDays(1)).call(READ, () -> {
            calls.incrementAndGet();
            throw new HttpStatusException(429, "", "", Optional.of(Duration.ZERO));
        }, CallBudgetTest::classify)).isInstanceOf(CallFailedException.class);
        assertThat(calls).hasValue(CallBudget.MAX_ATTEMPTS);
    }

    @Test
    void deniedAndNotFoundAreNotRetriedAndNameTheRead() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> budget(Duration.ofSeconds(60)).call(READ, () -> {
            calls.incrementAndGet();
            throw new HttpStatusException(403, "AuthorizationFailed", "no", Optional.empty());
        }, CallBudgetTest::classify)).hasMessage("AuthorizationFailed (403) on Microsoft.Insights/metrics/read (Metrics - List)");
        assertThat(calls).hasValue(1);

        assertThatThrownBy(() -> budget(Duration.ofSeconds(60)).call(READ, () -> {
            throw new HttpStatusException(400, "ResourceNotFound", "gone", Optional.empty());
        }, CallBudgetTest::classify)).hasMessageStartingWith("not found (ResourceNotFound (400))");
    }

    @Test
    void aSpentBudgetIsATimeoutBeforeAnyCall() {
        CallBudget b = budget(Duration.ofSeconds(1));
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThatThrownBy(() -> b.call(READ, () -> "never", CallBudgetTest::classify))
                .hasMessage("timed out on Microsoft.Insights/metrics/read (Metrics - List)");
    }
}
