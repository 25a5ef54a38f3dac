package dev.fixgate.app.audit;

import dev.fixgate.spi.audit.AuditEvent;

/** What an audit event is about, as one string to filter the log by: an initiative id, {@code repo#number}, a source. */
final class AuditSubjects {

    private AuditSubjects() {
    }

    static String of(AuditEvent event) {
        return switch (event) {
            case AuditEvent.FindingsIngested e -> "source:" + e.source();
            case AuditEvent.InitiativeOpened e -> "initiative:" + e.initiative();
            case AuditEvent.Assessed e -> "initiative:" + e.initiative();
            case AuditEvent.GateDecided e -> "initiative:" + e.initiative();
            case AuditEvent.Delivered e -> "initiative:" + e.initiative();
            case AuditEvent.Verified e -> "initiative:" + e.initiative();
            case AuditEvent.Merged e -> e.repo() + "#" + e.pullNumber();
            case AuditEvent.CommandReceived e -> e.repo() + "#" + e.number();
            case AuditEvent.GuardrailProposed e -> "guardrail:" + e.playbook() + "@" + e.target();
            case AuditEvent.VerificationStep e -> e.repo() + "#" + e.pullNumber();
            case AuditEvent.Escalated e -> e.repo() + "#" + e.pullNumber();
            case AuditEvent.GuardrailRequested e -> "repo:" + e.repo();
        };
    }
}
