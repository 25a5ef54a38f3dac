package dev.fixgate.app.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.spi.error.FixgateException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The connection pool and the schema. Opening a database migrates it to the current schema, so every command
 * works on a fresh state directory and an upgraded binary never runs against an old schema.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    /** The schema version this binary migrated to; readiness checks the database still has it. */
    private String schemaVersion = "";

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Opens the configured database, or the embedded H2 file database under {@code home/db}. */
    public static Database open(ServiceConfig.Database config, Path home) {
        String url = config.embedded() ? embeddedUrl(home) : config.url();
        return open(url, config.username(), config.password(), config.poolSize());
    }

    /**
     * The embedded database: one H2 file per state directory. AUTO_SERVER lets a second fixgate process (an
     * {@code audit} command next to a running {@code serve}) open the same file safely.
     *
     * <p>{@code WRITE_DELAY=0} makes every commit durable before it returns: H2's default writes committed changes to
     * the file only every second, from a background thread, and a {@code kill -9} lost deliveries that had been
     * answered 202 (273 of 1,424 in a burst; on a long-used file 100 of 100, a minute after the answer). With it, H2
     * writes and fsyncs the store on each commit — measured: no acknowledged commit lost to {@code kill -9}, at about
     * 8,000 single-row commits per second on this machine's disk; webhook intake groups concurrent deliveries into
     * one commit ({@link WebhookDeliveries#recordWithJob}).
     */
    public static String embeddedUrl(Path home) {
        Path file = home.toAbsolutePath().normalize().resolve("db").resolve("fixgate");
        return "jdbc:h2:file:" + file
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    public static Database open(String url, String username, Secret password, int poolSize) {
        Dialect dialect = Dialect.ofUrl(url);
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        if (!username.isEmpty()) {
            hikari.setUsername(username);
        }
        if (password.isPresent()) {
            hikari.setPassword(password.reveal());
        }
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(Math.min(2, poolSize));
        hikari.setPoolName("fixgate-db");
        hikari.setInitializationFailTimeout(3_000);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new FixgateException("store.unavailable", "cannot connect to the database: " + rootMessage(e), null, e);
        }
        Database db = new Database(ds, dialect);
        try {
            db.migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return db;
    }

    private void migrate() {
        try {
            Flyway flyway = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect.migrationFolder())
                    .placeholders(Map.of("text", dialect.textType()))
                    .failOnMissingLocations(true)
                    .load();
            flyway.migrate();
            MigrationInfo current = flyway.info().current();
            schemaVersion = current == null ? "" : current.getVersion().getVersion();
        } catch (FlywayException e) {
            throw new FixgateException("store.migration-failed", "database migration failed: " + rootMessage(e), null, e);
        }
    }

    /** Why the database is not ready, or empty when it is. */
    public Optional<String> notReady() {
        try {
            return withConnection(c -> {
                long failed = Sql.queryOne(c, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = FALSE",
                        rs -> rs.getLong(1)).orElse(0L);
                if (failed > 0) {
                    return Optional.of("a schema migration failed");
                }
                boolean current = Sql.queryOne(c,
                        "SELECT COUNT(*) FROM flyway_schema_history WHERE version = ? AND success = TRUE",
                        rs -> rs.getLong(1), schemaVersion).orElse(0L) > 0;
                return current ? Optional.<String>empty() : Optional.of("schema version " + schemaVersion + " is not applied");
            });
        } catch (RuntimeException e) {
            return Optional.of("database unreachable");
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Sql.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw Sql.failure(e);
        }
    }

    /** Runs {@code work} on a connection in auto-commit mode (one statement, one transaction). */
    public <T> T withConnection(Sql.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw Sql.failure(e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage()).lines().findFirst().orElse("");
    }
}
