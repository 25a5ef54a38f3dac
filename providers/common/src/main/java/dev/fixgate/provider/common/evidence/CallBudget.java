package dev.fixgate.provider.common.evidence;

import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * How long one resource's collection may still take, and the retry loop every read goes through: throttling
 * (429, {@code Retry-After} honoured) and 5xx are retried with exponential backoff while the budget lasts; anything
 * else fails at once. The SDKs' own retries are switched off so that this loop is the only one and the budget holds.
 */
public final class CallBudget {

    /** Sleeps; tests pass one that records instead of waiting. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** One read against a cloud API. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws Exception;
    }

    static final int MAX_ATTEMPTS = 8;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final long deadline;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;

    private CallBudget(Duration budget, LongSupplier nanoTime, Sleeper sleeper) {
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.deadline = nanoTime.getAsLong() + budget.toNanos();
    }

    public static CallBudget of(Duration budget) {
        return new CallBudget(budget, System::nanoTime, d -> Thread.sleep(d));
    }

    public static CallBudget of(Duration budget, LongSupplier nanoTime, Sleeper sleeper) {
        return new CallBudget(budget, nanoTime, sleeper);
    }

    public Duration remaining() {
        long left = deadline - nanoTime.getAsLong();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /**
     * Runs {@code call}, classifying what it throws with {@code classify}, retrying what is retryable while the
     * budget lasts (at most {@value #MAX_ATTEMPTS} attempts).
     */
    public <T> T call(ReadAction read, Call<T> call, Function<Throwable, Failure> classify) throws CallFailedException {
        Objects.requireNonNull(read, "read");
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            if (remaining().isZero()) {
                throw new CallFailedException(read, Failure.of(Failure.Type.TIMEOUT, 0, "", "budget spent"), null);
            }
            try {
                return call.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CallFailedException(read, Failure.of(Failure.Type.TIMEOUT, 0, "", "interrupted"), e);
            } catch (Exception | LinkageError e) {
                Failure failure = classify.apply(e);
                if (!failure.retryable() || attempt >= MAX_ATTEMPTS) {
                    throw new CallFailedException(read, failure, e);
                }
                Duration wait = failure.retryAfter().orElse(backoff);
                if (wait.compareTo(remaining()) >= 0) {
                    throw new CallFailedException(read, failure, e);
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new CallFailedException(read, failure, ie);
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
