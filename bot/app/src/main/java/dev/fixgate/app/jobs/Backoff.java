package dev.fixgate.app.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": after attempt {@code n} the delay is drawn uniformly from
 * {@code [d/2, d]} where {@code d = min(cap, base * 2^(n-1))}. The lower half keeps a minimum pause; the random
 * half spreads out jobs that failed together (a GitHub outage) so they do not all return at the same instant.
 */
public final class Backoff {

    private final Duration base;
    private final Duration cap;
    private final RandomGenerator random;

    public Backoff(Duration base, Duration cap, RandomGenerator random) {
        this.base = Objects.requireNonNull(base, "base");
        this.cap = Objects.requireNonNull(cap, "cap");
        this.random = Objects.requireNonNull(random, "random");
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap");
        }
    }

    /** 30 s, 1 min, 2 min, … capped at one hour, each with jitter. */
    public static Backoff standard() {
        return new Backoff(Duration.ofSeconds(30), Duration.ofHours(1), RandomGenerator.getDefault());
    }

    /** The upper bound of the delay after {@code attempts} attempts (no jitter). */
    public Duration ceiling(int attempts) {
        Duration d = base;
        for (int i = 1; i < attempts && d.compareTo(cap) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(cap) > 0 ? cap : d;
    }

    /** The delay before the next attempt, after {@code attempts} attempts. */
    public Duration delay(int attempts) {
        long ceiling = ceiling(attempts).toMillis();
        long half = ceiling / 2;
        return Duration.ofMillis(half + (ceiling - half == 0 ? 0 : random.nextLong(ceiling - half + 1)));
    }
}
