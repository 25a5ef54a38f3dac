package dev.fixgate.app.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Store internals for tests in other packages. */
public final class SqlAccess {

    private SqlAccess() {
    }

    /** How many rows {@code table} has. */
    public static long count(Connection c, String table) throws SQLException {
        return Sql.queryOne(c, "SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1)).orElse(0L);
    }
}
