package dev.fixgate.app.store.archfixture;

import dev.fixgate.app.cli.Versions;

/** Deliberate violation: infrastructure depending on the CLI. */
public final class StoreUsingTheCli {
    public String go() {
        return Versions.current();
    }
}
