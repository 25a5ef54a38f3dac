package dev.fixgate.app.group;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.ingest.Input;
import dev.fixgate.app.ingest.ParserRegistry;
import dev.fixgate.app.redact.Redactor;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.spi.audit.AuditEvent;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.ControlResolver;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.Initiative;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.ParseLimits;
import dev.fixgate.spi.finding.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest and group, end to end: reads inputs with the right parser, deduplicates and groups what they hold,
 * stores findings, sightings and initiatives in batches, writes one audit entry per input and returns a
 * summary. A malformed record costs only itself; an unreadable input costs only what follows the damage —
 * everything read before it is kept.
 */
public final class Intake {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    static final int BATCH = 5_000;

    private final ParserRegistry parsers;
    private final ControlResolver controls;
    private final FindingStore findings;
    private final InitiativeStore initiatives;
    private final AuditLog audit;
    private final Clock clock;
    private final ParseLimits limits;
    private final Consumer<InitiativeId> changed;
    private final Consumer<InitiativeId> seenAgain;
    private final Consumer<Fingerprint> resolved;

    public Intake(ParserRegistry parsers, ControlResolver controls, FindingStore findings, InitiativeStore initiatives,
                  AuditLog audit, Clock clock, ParseLimits limits) {
        this.parsers = parsers;
        this.controls = controls;
        this.findings = findings;
        this.initiatives = initiatives;
        this.audit = audit;
        this.clock = clock;
        this.limits = limits;
        this.changed = id -> { };
        this.seenAgain = id -> { };
        this.resolved = fp -> { };
    }

    private Intake(Intake base, Consumer<InitiativeId> changed, Consumer<InitiativeId> seenAgain,
                   Consumer<Fingerprint> resolved) {
        this.parsers = base.parsers;
        this.controls = base.controls;
        this.findings = base.findings;
        this.initiatives = base.initiatives;
        this.audit = base.audit;
        this.clock = base.clock;
        this.limits = base.limits;
        this.changed = Objects.requireNonNull(changed, "changed");
        this.seenAgain = Objects.requireNonNull(seenAgain, "seenAgain");
        this.resolved = Objects.requireNonNull(resolved, "resolved");
    }

    /**
     * This intake, telling {@code listener} once per run about each initiative that changed: new, gained findings,
     * or one of its findings was reported again after being resolved. The listener runs after the findings are
     * stored (it is how serve and the demo queue the remediation of an initiative).
     */
    public Intake onInitiativeChanged(Consumer<InitiativeId> listener) {
        return new Intake(this, listener, seenAgain, resolved);
    }

    /**
     * This intake, telling {@code listener} once per run about each initiative none of whose findings changed but
     * one was reported again while still open (a scanner's next run): its open fix's evidence may have changed.
     */
    public Intake onSeenAgain(Consumer<InitiativeId> listener) {
        return new Intake(this, changed, listener, resolved);
    }

    /**
     * This intake, telling {@code listener} once per run about each finding its source now reports gone (archived,
     * resolved, passed): a merged fix of it may now be verified.
     */
    public Intake onResolved(Consumer<Fingerprint> listener) {
        return new Intake(this, changed, seenAgain, listener);
    }

    /** A named source of bytes; opened only when its turn comes. */
    @FunctionalInterface
    public interface Source {
        Input open() throws IOException;
    }

    /**
     * Ingests {@code sources} in order.
     *
     * @param format   a forced format id, or empty to detect each input's format
     * @param actor    who asked, for the audit log (a login, an API token's name)
     * @param progress receives the bytes read so far in the current input, now and then
     */
    public IngestSummary run(List<Source> sources, Optional<String> format, String actor, LongConsumer progress) {
        Run run = new Run();
        try {
            for (Source source : sources) {
                run.ingest(source, format, actor, progress);
            }
        } finally {
            run.writer.shutdown();
        }
        IngestSummary summary = run.summary();
        for (InitiativeId id : run.changedIds) {
            handOn(changed, id);
        }
        for (InitiativeId id : run.seenAgainIds) {
            if (!run.changedIds.contains(id)) {
                handOn(seenAgain, id);
            }
        }
        for (Fingerprint fp : run.resolvedIds) {
            try {
                resolved.accept(fp);
            } catch (RuntimeException e) {
                LOG.atError().setMessage("could not hand on a resolved finding").addKeyValue("fingerprint", fp.value())
                        .setCause(e).log();
            }
        }
        return summary;
    }

    private static void handOn(Consumer<InitiativeId> listener, InitiativeId id) {
        try {
            listener.accept(id);
        } catch (RuntimeException e) {
            // The findings are stored whatever the listener does; a failed hand-off is visible, not fatal.
            LOG.atError().setMessage("could not hand on an initiative").addKeyValue("initiative", id.value())
                    .setCause(e).log();
        }
    }

    /** The code of an input that was read to the end without yielding a finding or a rejected record. */
    public static final String NO_RECORDS = "ingest.no-records";

    /** Why an input that parsed yielded nothing, for {@link #NO_RECORDS}. */
    public static String noRecords(String format) {
        return "no findings in this input: it reads as '" + format + "' but holds no records (an empty list, or a"
                + " shape of that format fixgate does not read); nothing from it was ingested";
    }

    /** State of one {@link #run}. */
    private final class Run {
        final Grouper grouper = new Grouper();
        final Map<FindingStore.Outcome, Long> stored = new EnumMap<>(FindingStore.Outcome.class);
        final Map<String, Long> unmapped = new TreeMap<>();
        final List<IngestSummary.Error> errors = new ArrayList<>();
        final List<IngestSummary.FileLine> files = new ArrayList<>();
        /**
         * Stores batches while the parser reads the next one: one batch is written while the next fills, so at most
         * two are held. Batches are written in order, one at a time; the outcome tallies below are the writer's.
         */
        final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fixgate-intake-writer");
            t.setDaemon(true);
            return t;
        });
        Future<?> writing = CompletableFuture.completedFuture(null);
        RuntimeException storeFailure;
        List<Finding> batch = new ArrayList<>(BATCH);
        List<InitiativeId> batchInitiatives = new ArrayList<>(BATCH);
        final Map<InitiativeId, Grouper.Tally> seenInitiatives = new HashMap<>();
        final Set<InitiativeId> changedIds = new LinkedHashSet<>();
        final Set<InitiativeId> seenAgainIds = new LinkedHashSet<>();
        final Set<Fingerprint> resolvedIds = new LinkedHashSet<>();
        long records;
        long duplicates;
        long rejected;
        long errorsTotal;

        void ingest(Source source, Optional<String> format, String actor, LongConsumer progress) {
            long recordsBefore = records;
            long rejectedBefore = rejected;
            int distinctBefore = grouper.distinctFindings();
            long duplicatesBefore = duplicates;
            String name = "(input)";
            String formatId = format.orElse("");
            String fatal = "";
            try (Input input = source.open()) {
                name = input.name();
                FindingParser parser = format.isPresent() ? parsers.require(format.get()) : parsers.detect(input.head(), name);
                formatId = parser.format();
                ParseContext context = new ParseContext(name, controls, clock.instant(), limits);
                parser.parse(input.stream(), context, new FindingParser.Sink() {
                    @Override
                    public void finding(Finding finding) {
                        accept(finding);
                        if ((records & 0x3FF) == 0) {
                            progress.accept(input.bytesRead());
                        }
                    }

                    @Override
                    public void rejected(SourceLocation where, String code, String reason) {
                        records++;
                        rejected++;
                        error(where, code, reason);
                    }
                });
                progress.accept(input.bytesRead());
                if (records == recordsBefore) {
                    // a parser that read the whole input and found nothing must say so: silence loses findings
                    error(SourceLocation.of(name), NO_RECORDS, noRecords(formatId));
                }
            } catch (FixgateException e) {
                fatal = e.getMessage();
                error(e.location().orElse(SourceLocation.of(name)), e.code(), e.getMessage());
            } catch (IOException | UncheckedIOException e) {
                fatal = "read failed: " + e.getMessage();
                error(SourceLocation.of(name), "ingest.io", fatal);
            } catch (RuntimeException e) {
                // A parser bug must cost this input only: the records before it and the other inputs are kept.
                fatal = "internal error while reading (" + e.getClass().getSimpleName() + "): " + e.getMessage();
                error(SourceLocation.of(name), "ingest.internal", fatal);
                LOG.atError().setMessage("parser failed").addKeyValue("input", name).addKeyValue("format", formatId)
                        .setCause(e).log();
            } finally {
                flush();
            }
            long fileFindings = grouper.distinctFindings() - distinctBefore;
            files.add(new IngestSummary.FileLine(name, formatId, records - recordsBefore, fileFindings,
                    rejected - rejectedBefore, Redactor.redact(fatal)));
            audit.append(new AuditEvent.FindingsIngested(clock.instant(), actor, name, records - recordsBefore,
                    fileFindings, duplicates - duplicatesBefore, rejected - rejectedBefore + (fatal.isEmpty() ? 0 : 1)));
        }

        void accept(Finding raw) {
            records++;
            // Tools quote what they saw, secrets included, in titles, ids and even resource names: nothing
            // unredacted is stored, so nothing unredacted is published from the store either.
            Finding finding = Redactor.redactFinding(raw);
            Fingerprint fp = finding.fingerprint();
            Grouper.Placement placement = grouper.accept(finding, fp);
            if (!finding.control().isMapped()) {
                unmapped.merge(finding.control().value(), 1L, Long::sum);
            }
            if (placement instanceof Grouper.Placement.Duplicate) {
                duplicates++;
            }
            batch.add(finding);
            batchInitiatives.add(placement instanceof Grouper.Placement.Grouped g ? g.initiative() : null);
            if (batch.size() >= BATCH) {
                handOff();
            }
        }

        /** Hands the batch to the writer (after the previous one is stored) and waits until it is stored. */
        void flush() {
            handOff();
            awaitWriter();
        }

        /** Hands the batch to the writer once the previous one is stored; a failure to store it is thrown here. */
        void handOff() {
            if (storeFailure != null) {
                // a batch could not be stored: nothing after it is, so what was stored is a prefix of the input
                throw storeFailure;
            }
            if (batch.isEmpty()) {
                return;
            }
            awaitWriter();
            List<Finding> full = batch;
            List<InitiativeId> fullInitiatives = batchInitiatives;
            batch = new ArrayList<>(BATCH);
            batchInitiatives = new ArrayList<>(BATCH);
            writing = writer.submit(() -> store(full, fullInitiatives));
        }

        void awaitWriter() {
            try {
                writing.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while storing findings", e);
            } catch (ExecutionException e) {
                storeFailure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw storeFailure;
            } finally {
                writing = CompletableFuture.completedFuture(null);
            }
        }

        /** The writer: stores one batch and its grouping, and tallies what that did. */
        private void store(List<Finding> batch, List<InitiativeId> batchInitiatives) {
            Map<InitiativeId, List<Fingerprint>> members = new LinkedHashMap<>();
            Map<InitiativeId, Finding> firstOf = new HashMap<>();
            Map<InitiativeId, Severity> severityOf = new HashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                InitiativeId id = batchInitiatives.get(i);
                if (id == null) {
                    continue;
                }
                Finding f = batch.get(i);
                members.computeIfAbsent(id, k -> new ArrayList<>()).add(f.fingerprint());
                firstOf.putIfAbsent(id, f);
                severityOf.merge(id, f.severity(), Severity::max);
            }
            List<Initiative> groups = new ArrayList<>();
            members.forEach((id, fps) -> {
                Finding first = firstOf.get(id);
                groups.add(new Initiative(id, first.control(), Scopes.of(first.resource()), severityOf.get(id),
                        fps.stream().distinct().toList()));
            });
            // the batch and its grouping commit together: what an input that stops half-way leaves is whole batches
            FindingStore.Recorded recorded = findings.recordAll(batch, groups, clock.instant());
            List<FindingStore.Outcome> outcomes = recorded.outcomes();
            outcomes.forEach(o -> stored.merge(o, 1L, Long::sum));
            for (int i = 0; i < outcomes.size(); i++) {
                FindingStore.Outcome o = outcomes.get(i);
                if (batchInitiatives.get(i) != null && (o == FindingStore.Outcome.NEW || o == FindingStore.Outcome.REOPENED)) {
                    changedIds.add(batchInitiatives.get(i));
                } else if (batchInitiatives.get(i) != null && o == FindingStore.Outcome.SEEN_AGAIN) {
                    seenAgainIds.add(batchInitiatives.get(i));
                } else if (o == FindingStore.Outcome.RESOLVED) {
                    resolvedIds.add(batch.get(i).fingerprint());
                }
            }
            recorded.added().forEach((id, added) -> {
                if (added > 0) {
                    changedIds.add(id);
                }
            });
        }

        void error(SourceLocation where, String code, String message) {
            errorsTotal++;
            if (errors.size() < IngestSummary.MAX_ERRORS) {
                errors.add(new IngestSummary.Error(where.source(), where.line(), where.pointer(), code,
                        Redactor.redact(message)));
            }
        }

        IngestSummary summary() {
            Map<InitiativeId, Integer> members = initiatives.memberCounts(
                    grouper.tallies().stream().map(Grouper.Tally::id).toList());
            List<IngestSummary.InitiativeLine> lines = grouper.tallies().stream()
                    .map(t -> new IngestSummary.InitiativeLine(t.id().value(), t.control().value(), t.scope(),
                            t.severity().id(), t.findings(), members.getOrDefault(t.id(), 0)))
                    .toList();
            Map<String, Long> storedByName = new LinkedHashMap<>();
            for (FindingStore.Outcome o : FindingStore.Outcome.values()) {
                storedByName.put(o.name().toLowerCase(Locale.ROOT), stored.getOrDefault(o, 0L));
            }
            List<IngestSummary.Unmapped> unmappedLines = unmapped.entrySet().stream().map(e -> {
                String[] parts = e.getKey().split(":", 3);
                return new IngestSummary.Unmapped(parts[1], parts[2], e.getValue());
            }).toList();
            return new IngestSummary(records, grouper.distinctFindings(), duplicates, rejected, storedByName, lines,
                    List.copyOf(errors), errorsTotal, unmappedLines, List.copyOf(files));
        }
    }
}
