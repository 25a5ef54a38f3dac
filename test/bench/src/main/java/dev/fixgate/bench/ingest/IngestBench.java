package dev.fixgate.bench.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.fixgate.app.group.Grouper;
import dev.fixgate.app.ingest.ParserRegistry;
import dev.fixgate.playbooks.controls.ControlCatalog;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.ControlResolver;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest throughput on a generated ASFF file: parse + normalise + fingerprint + dedupe + group, against a raw
 * Jackson streaming pass over the same bytes, measured alternately in one JVM so both see the same machine
 * state. Reports medians, the throughput ratio (target ≥ 0.5) and the peak heap used during a full ingest
 * (target ≤ 512 MB; run with -Xmx512m to prove it fits). The store is not included: this measures the stages,
 * not the database.
 *
 * <pre>BENCH_JVM_OPTS=-Xmx512m ./bench run dev.fixgate.bench.ingest.IngestBench [records] [rounds] [duplicate share]</pre>
 */
public final class IngestBench {

    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double duplicates = args.length > 2 ? Double.parseDouble(args[2]) : 0.30;
        Path file = Path.of("test/bench/target/bench-data/asff-" + records + "-" + (int) (duplicates * 100) + ".json");
        if (!Files.exists(file)) {
            long t = System.nanoTime();
            AsffGenerator.write(file, records, duplicates, 42);
            System.out.printf("generated %s (%.0f MB) in %.1f s%n", file, Files.size(file) / 1e6, (System.nanoTime() - t) / 1e9);
        }
        FindingParser asff = ParserRegistry.discover().require("asff");
        ControlResolver controls = ControlCatalog.builtIn();

        // Warm-up: one of each, not counted.
        raw(file);
        full(file, asff, controls);

        List<Double> rawSeconds = new ArrayList<>();
        List<Double> fullSeconds = new ArrayList<>();
        Result last = null;
        long peakHeap = 0;
        for (int round = 0; round < rounds; round++) {
            rawSeconds.add(raw(file));
            HeapWatch watch = HeapWatch.start();
            last = full(file, asff, controls);
            peakHeap = Math.max(peakHeap, watch.stop());
            fullSeconds.add(last.seconds());
        }
        double rawMedian = median(rawSeconds);
        double fullMedian = median(fullSeconds);
        System.out.printf("""
                file: %s, %.0f MB, %d records (%d findings, %d duplicates, %d rejected, %d initiatives)
                rounds: %d, max heap %d MB, %s, Java %s, %d cores
                | pass | median s | records/s | MB/s |
                |---|---|---|---|
                | raw Jackson streaming (nextToken over every token) | %.2f | %.0f | %.0f |
                | fixgate ingest: parse+normalise+dedupe+group | %.2f | %.0f | %.0f |
                ratio (fixgate throughput / raw throughput): %.3f
                peak heap used during ingest: %d MB
                """, file, Files.size(file) / 1e6, last.records(), last.findings(), last.duplicates(), last.rejected(),
                last.initiatives(), rounds, Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getRuntimeMXBean().getInputArguments(), Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                rawMedian, last.records() / rawMedian, Files.size(file) / 1e6 / rawMedian,
                fullMedian, last.records() / fullMedian, Files.size(file) / 1e6 / fullMedian,
                rawMedian / fullMedian, peakHeap >> 20);
    }

    static double raw(Path file) throws IOException {
        long t = System.nanoTime();
        long tokens = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20);
             JsonParser p = new JsonFactory().createParser(in)) {
            while (p.nextToken() != null) {
                tokens++;
            }
        }
        if (tokens == 0) {
            throw new IllegalStateException("empty file");
        }
        return (System.nanoTime() - t) / 1e9;
    }

    record Result(double seconds, long records, long findings, long duplicates, long rejected, int initiatives) {
    }

    static Result full(Path file, FindingParser parser, ControlResolver controls) throws IOException {
        long t = System.nanoTime();
        Grouper grouper = new Grouper();
        AtomicLong records = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            parser.parse(in, new ParseContext(file.toString(), controls, Instant.now(), ParseLimits.defaults()),
                    new FindingParser.Sink() {
                        @Override
                        public void finding(Finding finding) {
                            records.incrementAndGet();
                            if (grouper.accept(finding, finding.fingerprint()) instanceof Grouper.Placement.Duplicate) {
                                duplicates.incrementAndGet();
                            }
                        }

                        @Override
                        public void rejected(SourceLocation where, String code, String reason) {
                            records.incrementAndGet();
                            rejected.incrementAndGet();
                        }
                    });
        }
        return new Result((System.nanoTime() - t) / 1e9, records.get(), grouper.distinctFindings(), duplicates.get(),
                rejected.get(), grouper.tallies().size());
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Samples used heap every 5 ms on a daemon thread; the peak is an upper bound of live data plus garbage. */
    static final class HeapWatch {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;

        private HeapWatch() {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            thread = new Thread(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-watch");
            thread.setDaemon(true);
        }

        static HeapWatch start() {
            System.gc();
            HeapWatch w = new HeapWatch();
            w.thread.start();
            return w;
        }

        long stop() throws InterruptedException {
            running.set(false);
            thread.join();
            return peak.get();
        }
    }
}
