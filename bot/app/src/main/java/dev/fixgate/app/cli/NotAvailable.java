package dev.fixgate.app.cli;

import dev.fixgate.spi.error.FixgateException;

/**
 * For commands whose stage is not part of this build yet: they are declared (so {@code --help} documents the
 * interface) and refuse to run with exit code 2 and a message naming the missing stage.
 */
final class NotAvailable {

    private NotAvailable() {
    }

    static FixgateException stage(String command, String stage) {
        return new FixgateException("cli.not-available", "'fixgate " + command + "' needs the " + stage
                + ", which this build does not include yet (see docs/ARCHITECTURE.md, \"Status\")");
    }
}
