package dev.fixgate.app.enrich;

import dev.fixgate.app.enrich.EvidenceFile;
import dev.fixgate.app.enrich.Observation;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.EvidenceStore;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.EvidenceRequest;
import dev.fixgate.spi.evidence.EvidenceUnavailableException;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.Provenance;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evidence read live through the providers' collectors, remembered with its provenance until it expires.
 *
 * <ul>
 *   <li><b>Once per question.</b> A fresh stored answer (the {@link EvidenceStore}, shared by every replica, or
 *       this process's memory without a database) is reused: the same question is not asked twice while its
 *       answer is fresh. Observed values live {@link Settings#ttl}; unavailable answers only
 *       {@link Settings#unavailableTtl}, so a denied or throttled read is tried again soon.</li>
 *   <li><b>Within a budget.</b> The collectors of one resource run in parallel, each bounded by
 *       {@link Settings#budget}; one that does not answer in time leaves its kinds unavailable ("no answer within
 *       …"), and its thread is interrupted. Each cloud has its own bulkhead ({@link Settings#perCloud} reads at a
 *       time), so a slow cloud holds up only its own resources.</li>
 *   <li><b>Failures are evidence.</b> A collector that throws, or answers a value of the wrong type, makes its
 *       kinds unavailable with the reason; unavailable never helps a fix toward SAFE.</li>
 * </ul>
 */
public final class CollectedEvidence implements EvidenceSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CollectedEvidence.class);

    /**
     * @param ttl            how long an observed value is reused
     * @param unavailableTtl how long an unavailable answer is reused
     * @param budget         how long one resource's collectors may take
     * @param perCloud       reads in flight per cloud
     */
    public record Settings(Duration ttl, Duration unavailableTtl, Duration budget, int perCloud) {
        public Settings {
            Objects.requireNonNull(ttl, "ttl");
            Objects.requireNonNull(unavailableTtl, "unavailableTtl");
            Objects.requireNonNull(budget, "budget");
            if (perCloud < 1) {
                throw new IllegalArgumentException("perCloud must be at least 1");
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(60), 8);
        }
    }

    private final List<EvidenceCollector> collectors;
    private final Optional<EvidenceStore> store;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, List<EvidenceStore.Stored>> memory = new ConcurrentHashMap<>();
    private final Map<Cloud, Semaphore> bulkheads = new EnumMap<>(Cloud.class);
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("evidence-", 0).factory());

    public CollectedEvidence(List<EvidenceCollector> collectors, Optional<EvidenceStore> store, Settings settings,
                             Clock clock) {
        this.collectors = List.copyOf(collectors);
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (Cloud c : Cloud.values()) {
            bulkheads.put(c, new Semaphore(settings.perCloud()));
        }
    }

    public List<EvidenceCollector> collectors() {
        return collectors;
    }

    @Override
    public Enrichment observe(EvidenceQuery q) {
        return observe(q, Instant.MIN);
    }

    @Override
    public EvidenceSource readAfter(Instant instant) {
        return q -> observe(q, instant);
    }

    /** @param notBefore stored answers read before this are not reused */
    private Enrichment observe(EvidenceQuery q, Instant notBefore) {
        if (q.target().isEmpty()) {
            return new Enrichment(Map.of(), Map.of(), q.named().isEmpty() ? List.of()
                    : List.of(String.join(", ", new java.util.TreeSet<>(q.named())) + ": no live evidence: " + q.noTarget()));
        }
        CloudResource target = q.target().get();
        List<String> unavailable = new ArrayList<>();
        Map<String, Observation> resource = answer(target, q, notBefore, unavailable);
        Map<String, Observation> account = Map.of();
        if (!target.account().isEmpty()) {
            CloudResource acct = new CloudResource(target.cloud(), target.account(), "", "account", target.account());
            EvidenceQuery aq = new EvidenceQuery(Optional.of(acct), "", Set.of(target.account()), Set.of(),
                    Set.of(EvidenceKinds.INCIDENT_ACTIVE, EvidenceKinds.ENVIRONMENT), q.hints(), q.now());
            account = answer(acct, aq, notBefore, new ArrayList<>());
        }
        return new Enrichment(resource, account, unavailable, Optional.of(clock.instant()));
    }

    /** The answers about {@code target}: stored ones that are fresh, the rest read now; unavailable lines added. */
    private Map<String, Observation> answer(CloudResource target, EvidenceQuery q, Instant notBefore,
                                            List<String> unavailable) {
        Instant now = clock.instant();
        Set<String> wanted = new LinkedHashSet<>(q.named());
        wanted.addAll(q.context());
        Map<String, EvidenceStore.Stored> known = new LinkedHashMap<>();
        for (EvidenceStore.Stored s : fresh(target.key(), now)) {
            if (wanted.contains(s.kind()) && !s.provenance().observedAt().isBefore(notBefore)) {
                known.put(s.kind(), s);
            }
        }
        Map<EvidenceCollector, Set<String>> plan = new LinkedHashMap<>();
        List<EvidenceStore.Stored> read = new ArrayList<>();
        for (String kind : wanted) {
            if (known.containsKey(kind)) {
                continue;
            }
            Optional<EvidenceCollector> c = collectorFor(target, kind);
            if (c.isPresent()) {
                plan.computeIfAbsent(c.get(), k -> new LinkedHashSet<>()).add(kind);
            } else if (q.named().contains(kind)) {
                // not stored: a collector may be added by the next release, and the question is then asked
                unavailable.add(kind + ": no collector reads it for " + target.type() + " " + target.id());
            }
        }
        read.addAll(collect(target, plan, q, now));
        remember(target.key(), read);
        read.forEach(s -> known.put(s.kind(), s));

        Map<String, Observation> out = new LinkedHashMap<>();
        for (EvidenceStore.Stored s : known.values()) {
            if (s.valueJson().isPresent()) {
                Optional<Object> value = value(s.valueJson().get());
                if (value.isPresent()) {
                    out.put(s.kind(), new Observation(target.id(), s.kind(), value.get(), s.provenance().observedAt(),
                            s.provenance().describe()));
                }
            } else if (q.named().contains(s.kind())) {
                unavailable.add(s.kind() + ": unavailable: " + s.unavailable() + " (" + s.provenance().describe() + ")");
            }
        }
        return out;
    }

    private Optional<EvidenceCollector> collectorFor(CloudResource target, String kind) {
        for (EvidenceCollector c : collectors) {
            if (c.cloud() == target.cloud() && c.kinds().contains(kind)) {
                try {
                    if (c.supports(target)) {
                        return Optional.of(c);
                    }
                } catch (RuntimeException e) {
                    LOG.atWarn().setMessage("collector failed to say whether it supports a resource")
                            .addKeyValue("collector", c.id()).addKeyValue("error", e.toString()).log();
                }
            }
        }
        return Optional.empty();
    }

    /** Runs the planned collectors in parallel within the budget; every planned kind gets an answer. */
    private List<EvidenceStore.Stored> collect(CloudResource target, Map<EvidenceCollector, Set<String>> plan,
                                               EvidenceQuery q, Instant now) {
        if (plan.isEmpty()) {
            return List.of();
        }
        Semaphore bulkhead = bulkheads.get(target.cloud());
        Map<EvidenceCollector, Future<List<Observed>>> running = new LinkedHashMap<>();
        for (Map.Entry<EvidenceCollector, Set<String>> e : plan.entrySet()) {
            EvidenceRequest request = new EvidenceRequest(target, e.getValue(), q.now(), q.hints());
            running.put(e.getKey(), executor.submit(() -> {
                if (!bulkhead.tryAcquire(settings.budget().toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new TimeoutException("the " + target.cloud().id() + " reads are all busy");
                }
                try {
                    return e.getKey().collect(request);
                } finally {
                    bulkhead.release();
                }
            }));
        }
        long deadline = System.nanoTime() + settings.budget().toNanos();
        List<EvidenceStore.Stored> out = new ArrayList<>();
        for (Map.Entry<EvidenceCollector, Future<List<Observed>>> e : running.entrySet()) {
            EvidenceCollector c = e.getKey();
            Set<String> kinds = plan.get(c);
            Provenance tried = new Provenance(c.id(), target.account(), "", target.region(), now);
            List<Observed> answers;
            try {
                answers = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                answers = failed(kinds, "no answer within " + settings.budget().toMillis() / 1000.0 + "s", tried);
            } catch (ExecutionException ex) {
                Throwable cause = ex.getCause();
                String reason = cause instanceof EvidenceUnavailableException u ? u.getMessage()
                        : cause instanceof TimeoutException t ? t.getMessage()
                        : "the collector failed (" + cause.getClass().getSimpleName() + ")";
                if (!(cause instanceof EvidenceUnavailableException) && !(cause instanceof TimeoutException)) {
                    LOG.atWarn().setMessage("evidence collector failed").addKeyValue("collector", c.id())
                            .addKeyValue("error", cause.toString()).log();
                }
                answers = failed(kinds, reason, tried);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                answers = failed(kinds, "interrupted", tried);
            }
            Set<String> answered = new LinkedHashSet<>();
            for (Observed o : answers) {
                if (!kinds.contains(o.kind()) || !answered.add(o.kind())) {
                    continue;
                }
                out.add(stored(target, c, o, now));
            }
            for (String k : kinds) {
                if (!answered.contains(k)) {
                    out.add(stored(target, c, Observed.unavailable(k, c.id() + " gave no answer", tried), now));
                }
            }
        }
        return out;
    }

    private EvidenceStore.Stored stored(CloudResource target, EvidenceCollector c, Observed o, Instant now) {
        if (o.available()) {
            Optional<String> problem = EvidenceKinds.problem(o.kind(), o.value());
            if (problem.isPresent()) {
                o = Observed.unavailable(o.kind(), c.id() + " answered " + abbreviate(String.valueOf(o.value()))
                        + ", which is not valid (" + problem.get() + ")", o.provenance());
            }
        }
        return o.available()
                ? new EvidenceStore.Stored(target.key(), o.kind(), Optional.of(Json.write(o.value())), "", o.provenance(),
                        o.provenance().observedAt().plus(settings.ttl()))
                : new EvidenceStore.Stored(target.key(), o.kind(), Optional.empty(), o.unavailable(), o.provenance(),
                        now.plus(settings.unavailableTtl()));
    }

    private static List<Observed> failed(Set<String> kinds, String reason, Provenance p) {
        return kinds.stream().map(k -> Observed.unavailable(k, reason, p)).toList();
    }

    private List<EvidenceStore.Stored> fresh(String key, Instant now) {
        if (store.isPresent()) {
            try {
                return store.get().fresh(key, now);
            } catch (RuntimeException e) {
                LOG.atWarn().setMessage("evidence store unreadable; reading again").addKeyValue("error", e.toString()).log();
            }
        }
        return memory.getOrDefault(key, List.of()).stream().filter(s -> s.expiresAt().isAfter(now)).toList();
    }

    private void remember(String key, List<EvidenceStore.Stored> answers) {
        if (answers.isEmpty()) {
            return;
        }
        if (store.isPresent()) {
            store.get().put(answers);
            return;
        }
        memory.compute(key, (k, old) -> {
            Map<String, EvidenceStore.Stored> byKind = new LinkedHashMap<>();
            if (old != null) {
                old.forEach(s -> byKind.put(s.kind(), s));
            }
            answers.forEach(s -> byKind.put(s.kind(), s));
            return List.copyOf(byKind.values());
        });
    }

    private static Optional<Object> value(String json) {
        try {
            return Optional.ofNullable(EvidenceFile.value(Json.mapper().readTree(json)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
