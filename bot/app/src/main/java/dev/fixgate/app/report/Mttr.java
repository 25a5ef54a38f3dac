package dev.fixgate.app.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Time to remediate, from events in any order: when each item (a finding) was detected, merged and verified, and
 * the median and 90th percentile over items. The result depends only on the set of events — each instant is the
 * earliest of its kind (a merge counts only from the detection on, a verification only from the merge on) and the
 * statistics are taken over sorted durations — so events may arrive late, twice or shuffled.
 *
 * <p>Median: the middle duration, or the mean of the two middle ones. 90th percentile: nearest rank (the
 * ⌈0.9·n⌉-th smallest). Days are exact (seconds / 86 400) and rounded to a tenth only when reported.
 */
public final class Mttr {

    private Mttr() {
    }

    /** Something that happened to an item. */
    public sealed interface Event {
        String item();

        Instant at();
    }

    /** A sighting of the finding: the earliest is its detection. */
    public record Detected(String item, Instant at) implements Event {
        public Detected {
            Objects.requireNonNull(item, "item");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A fix for it was merged. */
    public record Merged(String item, Instant at) implements Event {
        public Merged {
            Objects.requireNonNull(item, "item");
            Objects.requireNonNull(at, "at");
        }
    }

    /** After a merge, a check found it gone. */
    public record Verified(String item, Instant at) implements Event {
        public Verified {
            Objects.requireNonNull(item, "item");
            Objects.requireNonNull(at, "at");
        }
    }

    /** One item's timeline: detected always, merged and verified when they happened (in that order). */
    public record Timeline(String item, Instant detected, Optional<Instant> merged, Optional<Instant> verified) {
        public Optional<Duration> detectToMerge() {
            return merged.map(m -> Duration.between(detected, m));
        }

        public Optional<Duration> mergeToVerify() {
            return merged.flatMap(m -> verified.map(v -> Duration.between(m, v)));
        }

        public Optional<Duration> detectToVerify() {
            return verified.map(v -> Duration.between(detected, v));
        }
    }

    /**
     * Every detected item's timeline, by item. Events of items never detected are ignored (nothing to measure
     * from); so are merges before the detection and verifications before the merge.
     */
    public static Map<String, Timeline> timelines(Collection<? extends Event> events) {
        Map<String, Instant> detected = new HashMap<>();
        for (Event e : events) {
            if (e instanceof Detected d) {
                detected.merge(d.item(), d.at(), Mttr::earlier);
            }
        }
        Map<String, Instant> merged = new HashMap<>();
        for (Event e : events) {
            if (e instanceof Merged m && detected.containsKey(m.item()) && !m.at().isBefore(detected.get(m.item()))) {
                merged.merge(m.item(), m.at(), Mttr::earlier);
            }
        }
        Map<String, Instant> verified = new HashMap<>();
        for (Event e : events) {
            if (e instanceof Verified v && merged.containsKey(v.item()) && !v.at().isBefore(merged.get(v.item()))) {
                verified.merge(v.item(), v.at(), Mttr::earlier);
            }
        }
        Map<String, Timeline> out = new TreeMap<>();
        detected.forEach((item, at) -> out.put(item, new Timeline(item, at, Optional.ofNullable(merged.get(item)),
                Optional.ofNullable(verified.get(item)))));
        return out;
    }

    /**
     * Statistics over durations, in days. Empty values when there are none.
     *
     * @param count      how many durations
     * @param medianDays the median, rounded to a tenth of a day
     * @param p90Days    the 90th percentile (nearest rank), rounded to a tenth
     * @param meanDays   the mean, rounded to a tenth (the baseline is an average)
     */
    public record Stat(int count, Double medianDays, Double p90Days, Double meanDays) {
        public static final Stat EMPTY = new Stat(0, null, null, null);
    }

    public static Stat stat(Collection<Duration> durations) {
        if (durations.isEmpty()) {
            return Stat.EMPTY;
        }
        List<Long> seconds = new ArrayList<>();
        for (Duration d : durations) {
            seconds.add(d.getSeconds());
        }
        seconds.sort(null);
        int n = seconds.size();
        double median = n % 2 == 1 ? seconds.get(n / 2) : (seconds.get(n / 2 - 1) + seconds.get(n / 2)) / 2.0;
        long p90 = seconds.get((int) Math.ceil(0.9 * n) - 1);
        double sum = 0;
        for (long s : seconds) {
            sum += s;
        }
        return new Stat(n, days(median), days(p90), days(sum / n));
    }

    /** Seconds as days, rounded half up to a tenth. */
    static double days(double seconds) {
        return Math.round(seconds / 86_400.0 * 10.0) / 10.0;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
