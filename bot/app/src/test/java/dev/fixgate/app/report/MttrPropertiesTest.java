package dev.fixgate.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** MTTR depends on what happened, never on the order the events arrive in. */
class MttrPropertiesTest {

    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

    @Property(tries = 300)
    void anyPermutationOfTheEventsGivesTheSameTimelinesAndStatistics(@ForAll("events") List<Mttr.Event> events,
                                                                     @ForAll long seed) {
        List<Mttr.Event> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(seed));

        Map<String, Mttr.Timeline> a = Mttr.timelines(events);
        Map<String, Mttr.Timeline> b = Mttr.timelines(shuffled);
        assertThat(b).isEqualTo(a);
        assertThat(stat(b)).isEqualTo(stat(a));
    }

    @Property(tries = 200)
    void duplicatesAndLateDuplicatesChangeNothing(@ForAll("events") List<Mttr.Event> events) {
        List<Mttr.Event> doubled = new ArrayList<>(events);
        doubled.addAll(events);
        Collections.reverse(doubled);
        assertThat(Mttr.timelines(doubled)).isEqualTo(Mttr.timelines(events));
    }

    /** A fixture with known timestamps: the numbers worked out by hand. */
    @Example
    void knownTimestamps() {
        List<Mttr.Event> events = List.of(
                new Mttr.Merged("a", T0.plus(Duration.ofDays(10))),
                new Mttr.Detected("a", T0.plus(Duration.ofDays(2))),      // a later sighting: not the detection
                new Mttr.Detected("a", T0),
                new Mttr.Verified("a", T0.plus(Duration.ofDays(12))),
                new Mttr.Detected("b", T0.plus(Duration.ofDays(1))),
                new Mttr.Merged("b", T0.plus(Duration.ofDays(41))),
                new Mttr.Merged("b", T0.plus(Duration.ofDays(50))),       // a second merge: the first one counts
                new Mttr.Detected("c", T0.plus(Duration.ofHours(12))),
                new Mttr.Merged("c", T0.plus(Duration.ofHours(12 + 36))),
                new Mttr.Detected("d", T0),                               // still open
                new Mttr.Merged("e", T0),                                 // never detected: not measured
                new Mttr.Verified("f", T0));
        Map<String, Mttr.Timeline> t = Mttr.timelines(events);
        assertThat(t).containsOnlyKeys("a", "b", "c", "d");
        Mttr.Stat merge = Mttr.stat(t.values().stream().flatMap(x -> x.detectToMerge().stream()).toList());
        // 1.5, 10, 40 days
        assertThat(merge).isEqualTo(new Mttr.Stat(3, 10.0, 40.0, 17.2));
        Mttr.Stat verify = Mttr.stat(t.values().stream().flatMap(x -> x.mergeToVerify().stream()).toList());
        assertThat(verify).isEqualTo(new Mttr.Stat(1, 2.0, 2.0, 2.0));
        assertThat(Mttr.stat(List.of())).isEqualTo(Mttr.Stat.EMPTY);
        // an even count: the median is the mean of the middle two; p90 is the nearest rank
        assertThat(Mttr.stat(List.of(Duration.ofDays(1), Duration.ofDays(2), Duration.ofDays(4), Duration.ofDays(10))))
                .isEqualTo(new Mttr.Stat(4, 3.0, 10.0, 4.3));
    }

    private static Mttr.Stat stat(Map<String, Mttr.Timeline> t) {
        return Mttr.stat(t.values().stream().flatMap(x -> x.detectToMerge().stream()).toList());
    }

    @Provide
    Arbitrary<List<Mttr.Event>> events() {
        Arbitrary<String> item = Arbitraries.of("a", "b", "c", "d", "e", "f", "g");
        Arbitrary<Instant> at = Arbitraries.longs().between(0, 400L * 86_400).map(T0::plusSeconds);
        Arbitrary<Mttr.Event> event = Combinators.combine(Arbitraries.integers().between(0, 2), item, at)
                .as((kind, i, t) -> switch (kind) {
                    case 0 -> new Mttr.Detected(i, t);
                    case 1 -> new Mttr.Merged(i, t);
                    default -> new Mttr.Verified(i, t);
                });
        return event.list().ofMaxSize(40);
    }
}
