package dev.fixgate.app.store.archfixture;

import dev.fixgate.app.report.Framework;

/** Deliberate violation: infrastructure depending on the report. */
public final class StoreUsingTheReport {
    public String go() {
        return Framework.FEDRAMP.title();
    }
}
