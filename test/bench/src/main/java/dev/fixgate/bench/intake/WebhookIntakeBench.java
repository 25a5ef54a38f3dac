package dev.fixgate.bench.intake;

import com.sun.management.OperatingSystemMXBean;
import dev.fixgate.app.config.Secret;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Webhook intake on loopback (issue 18): {@code fixgate serve} in a JVM of its own, on the embedded H2 database and on
 * PostgreSQL ({@link IntakeTarget}), and {@code CONNECTIONS} clients (one HTTP/1.1 keep-alive connection each, in this
 * JVM) posting signed deliveries ({@link Deliveries}) as fast as serve answers, for {@code SECONDS} after a 3-second
 * warm-up. Per run: deliveries answered 202 per second, the latency percentiles of those answers, the CPU the clients,
 * serve and PostgreSQL used in the window (the machine has two cores for all of them), and — after serve is stopped —
 * how many answered deliveries the database holds (it must be all of them) and that each has its job. The targets run
 * in turn within each round, so they are compared under the same conditions; {@code null} is the ceiling
 * ({@link NullIntake}: same HTTP server, no work); {@code base-h2} and {@code base-postgresql} run another build of fixgate
 * (an earlier commit, {@code BENCH_BASE_DIR}) under the same load, for a before/after in one run.
 *
 * <pre>./bench run dev.fixgate.bench.intake.WebhookIntakeBench [SECONDS] [CONNECTIONS] [targets=h2,postgresql,null]
 *     [rounds=1] [client=socket|jdk] [payload=mix|ping]</pre>
 */
public final class WebhookIntakeBench {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Map<String, String> opts = new LinkedHashMap<>(Map.of("targets", "h2,postgresql", "rounds", "1",
                "client", "socket", "payload", "mix"));
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv.length != 2 || !opts.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + opts.keySet());
            }
            opts.put(kv[0], kv[1]);
        }
        List<String> targets = List.of(opts.get("targets").split(","));
        int rounds = Integer.parseInt(opts.get("rounds"));
        Deliveries deliveries = Deliveries.load(opts.get("payload"), Secret.of(IntakeTarget.SECRET));
        System.out.printf(Locale.ROOT, "%d connections, %d s per run after 3 s of warm-up, client %s, payload %s "
                        + "(%d bodies, mean %d bytes), %d cores%n", connections, seconds, opts.get("client"),
                deliveries.name(), deliveries.all().size(), deliveries.meanBytes(),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| round | target | answered 202 | per second | p50 | p90 | p99 | max | other/errors "
                + "| CPU clients / serve / postgres (cores) | stored afterwards |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        Map<String, List<Result>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String target : targets) {
                Result r = once(target, round, deliveries, opts.get("client"), connections, seconds);
                results.computeIfAbsent(target, t -> new ArrayList<>()).add(r);
                System.out.println(r.row(round));
            }
        }
        System.out.println();
        for (Map.Entry<String, List<Result>> e : results.entrySet()) {
            List<Result> rs = new ArrayList<>(e.getValue());
            rs.sort((a, b) -> Double.compare(a.perSecond, b.perSecond));
            Result median = rs.get(rs.size() / 2);
            List<Double> p99s = rs.stream().map(r -> r.p99).sorted().toList();
            System.out.printf(Locale.ROOT, "median %s: %.0f/s (round %d), p99 median %.1f ms; all stored: %s%n",
                    e.getKey(), median.perSecond, median.round, p99s.get(p99s.size() / 2),
                    rs.stream().allMatch(Result::allStored));
        }
    }

    private record Result(String target, int round, long accepted, double perSecond, double p50, double p90,
                          double p99, double max, int other, int errors, double clientCores, double serveCores,
                          double postgresCores, long[] counts) {
        boolean allStored() {
            return counts[0] == accepted && counts[1] == counts[2];
        }

        String row(int round) {
            return String.format(Locale.ROOT, "| %d | %s | %,d | %,.0f | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d/%d "
                            + "| %.2f / %.2f / %.2f | %s |", round, target, accepted, perSecond, p50, p90, p99, max,
                    other, errors, clientCores, serveCores, postgresCores,
                    allStored() ? "all (" + counts[1] + " with " + counts[2] + " jobs)"
                            : "**" + counts[0] + " of " + accepted + "** (" + counts[1] + " rows, " + counts[2] + " jobs)");
        }
    }

    private static Result once(String name, int round, Deliveries deliveries, String client, int connections,
                               int seconds) throws Exception {
        try (IntakeTarget target = IntakeTarget.start(name)) {
            Clients.drive(client, target.port, deliveries, connections, Duration.ofSeconds(3), "warm" + round + name);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long client0 = os.getProcessCpuTime();
            Duration serve0 = target.serveCpu();
            Duration pg0 = IntakeTarget.databaseCpu();
            long t0 = System.nanoTime();
            Clients.Run run = Clients.drive(client, target.port, deliveries, connections, Duration.ofSeconds(seconds),
                    "run" + round + name);
            double wall = (System.nanoTime() - t0) / 1e9;
            double clientCores = (os.getProcessCpuTime() - client0) / 1e9 / wall;
            double serveCores = target.serveCpu().minus(serve0).toNanos() / 1e9 / wall;
            double pgCores = IntakeTarget.databaseCpu().minus(pg0).toNanos() / 1e9 / wall;
            long[] counts = target.stopAndCount(run.accepted());
            List<Long> lat = new ArrayList<>(run.latenciesNanos());
            lat.sort(null);
            if (run.accepted().isEmpty()) {
                System.out.println(target.output());
            }
            return new Result(name, round, run.accepted().size(), run.accepted().size() / (double) seconds,
                    ms(lat, 0.50), ms(lat, 0.90), ms(lat, 0.99), ms(lat, 1.0), run.other().get(), run.errors().get(),
                    clientCores, serveCores, pgCores, counts);
        }
    }

    private static double ms(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(q * sorted.size()) - 1));
        return sorted.get(i) / 1e6;
    }

    private WebhookIntakeBench() {
    }
}
