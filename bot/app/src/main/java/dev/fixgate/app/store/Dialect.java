package dev.fixgate.app.store;

import dev.fixgate.spi.error.FixgateException;
import java.util.Locale;

/** The two databases fixgate runs on. Everything outside the migrations is written to run on both. */
public enum Dialect {
    /** Embedded default, in PostgreSQL compatibility mode. */
    H2("h2", "CLOB"),
    /** Production; PostgreSQL 15 or newer. */
    POSTGRESQL("postgresql", "TEXT");

    private final String migrationFolder;
    private final String textType;

    Dialect(String migrationFolder, String textType) {
        this.migrationFolder = migrationFolder;
        this.textType = textType;
    }

    public String migrationFolder() {
        return migrationFolder;
    }

    /** Unbounded text column type, substituted for {@code ${text}} in migrations. */
    public String textType() {
        return textType;
    }

    public static Dialect ofUrl(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new FixgateException("store.unsupported-database",
                "unsupported database URL (use jdbc:postgresql:… or jdbc:h2:…): " + jdbcUrl.replaceAll("\\?.*", ""));
    }
}
