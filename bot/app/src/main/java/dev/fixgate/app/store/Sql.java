package dev.fixgate.app.store;

import dev.fixgate.spi.error.FixgateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The little JDBC this project needs: bind, query, update, map instants, classify failures. */
public final class Sql {

    /** SQLSTATE class 23: integrity constraint violation (both PostgreSQL and H2 use 23505 for unique keys). */
    private static final String UNIQUE_VIOLATION = "23505";

    private Sql() {
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A typed SQL NULL, for nullable columns: {@code Sql.nullOf(Types.INTEGER)}. */
    public record Null(int sqlType) {
    }

    public static Null nullOf(int sqlType) {
        return new Null(sqlType);
    }

    public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        }
    }

    public static <T> Optional<T> queryOne(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        List<T> rows = query(c, sql, row, params);
        if (rows.size() > 1) {
            throw new IllegalStateException("expected at most one row, got " + rows.size() + ": " + sql);
        }
        return rows.stream().findFirst();
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** Runs an INSERT and returns the generated key of column {@code keyColumn}. */
    public static long insert(Connection c, String sql, String keyColumn, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, new String[] {keyColumn})) {
            bind(ps, params);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no generated key returned for " + keyColumn);
                }
                return keys.getLong(1);
            }
        }
    }

    /**
     * Runs an INSERT that may insert nothing (an {@code ON CONFLICT DO NOTHING} insert): the generated key of
     * {@code keyColumn}, or empty when no row was inserted.
     */
    public static Optional<Long> insertIfAbsent(Connection c, String sql, String keyColumn, Object... params)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, new String[] {keyColumn})) {
            bind(ps, params);
            if (ps.executeUpdate() == 0) {
                return Optional.empty();
            }
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return keys.next() ? Optional.of(keys.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Runs one statement for each parameter row, as a JDBC batch (one round trip per few hundred rows). */
    public static void batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** {@link #batch} for INSERTs: the generated keys of column {@code keyColumn}, in the order of the rows. */
    public static List<Long> batchInsert(Connection c, String sql, String keyColumn, List<Object[]> rows)
            throws SQLException {
        List<Long> keys = new ArrayList<>(rows.size());
        if (rows.isEmpty()) {
            return keys;
        }
        try (PreparedStatement ps = c.prepareStatement(sql, new String[] {keyColumn})) {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                }
            }
        }
        if (keys.size() != rows.size()) {
            throw new SQLException("expected " + rows.size() + " generated keys, got " + keys.size());
        }
        return keys;
    }

    /** {@code ?, ?, ?} for an IN list of {@code n} values. */
    public static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int index = i + 1;
            switch (p) {
                case null -> throw new IllegalArgumentException("parameter " + index + " is null; use Sql.nullOf(type)");
                case Null n -> ps.setNull(index, n.sqlType());
                case Instant instant -> ps.setObject(index, utc(instant), Types.TIMESTAMP_WITH_TIMEZONE);
                case Enum<?> e -> ps.setString(index, e.name());
                default -> ps.setObject(index, p);
            }
        }
    }

    /** Instants are stored with microsecond precision (PostgreSQL's), so what is read equals what was written. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(truncate(instant), ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(instant(rs, column));
    }

    public static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The code of a failure whose statement the database refused for its values: retrying cannot help. */
    public static final String REJECTED = "store.rejected";

    /**
     * A database failure as a typed error: {@value #REJECTED} when the database refused the values themselves
     * (SQLSTATE class 22, data exception — a value too long for its column —, or 23, a constraint), so a caller can
     * answer 4xx or bury a job instead of retrying; {@code store.sql} for everything else (connection lost, pool
     * closed, serialization failure), which may well work next time.
     */
    static FixgateException failure(SQLException e) {
        String state = e.getSQLState();
        boolean rejected = state != null && (state.startsWith("22") || state.startsWith("23"));
        return new FixgateException(rejected ? REJECTED : "store.sql", "database error (SQLSTATE " + state + "): "
                + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), null, e);
    }

    /** Executes plain statements (tests and maintenance only). */
    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
