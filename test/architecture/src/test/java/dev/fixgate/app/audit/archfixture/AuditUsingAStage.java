package dev.fixgate.app.audit.archfixture;

import dev.fixgate.app.ingest.ParserRegistry;

/** Deliberate violation: the audit log depending on a stage. */
public final class AuditUsingAStage {
    public int go() {
        return ParserRegistry.discover().formats().size();
    }
}
