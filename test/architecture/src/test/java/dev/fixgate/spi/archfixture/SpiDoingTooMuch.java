package dev.fixgate.spi.archfixture;

import dev.fixgate.app.Pipeline;
import java.io.File;

/** Deliberate violation: the spi using the app and doing file I/O. */
public final class SpiDoingTooMuch {
    public boolean go() {
        return new File(Pipeline.AUDIT_PACKAGE).exists();
    }
}
