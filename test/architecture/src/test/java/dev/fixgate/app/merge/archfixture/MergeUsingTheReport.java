package dev.fixgate.app.merge.archfixture;

import dev.fixgate.app.report.Framework;

/** Deliberate violation: a stage depending on the report, which only the commands use. */
public final class MergeUsingTheReport {
    public String go() {
        return Framework.NIST_800_53.id();
    }
}
