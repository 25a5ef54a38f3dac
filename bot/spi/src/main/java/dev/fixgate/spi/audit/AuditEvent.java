package dev.fixgate.spi.audit;

import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.gate.GateLayer;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the append-only audit log: who did what, when, to which subject. One record per pipeline step
 * that changes something outside fixgate or decides something a reviewer may question.
 */
public sealed interface AuditEvent {

    Instant at();

    /** {@code fixgate} for the bot itself, a GitHub login for a human, a token name for API clients. */
    String actor();

    /** Stable event type name stored with the event, e.g. {@code findings.ingested}. */
    String type();

    record FindingsIngested(Instant at, String actor, String source, long records, long findings, long duplicates,
                            long errors) implements AuditEvent {
        public FindingsIngested {
            Objects.requireNonNull(at);
            Objects.requireNonNull(actor);
            Objects.requireNonNull(source);
        }

        @Override
        public String type() {
            return "findings.ingested";
        }
    }

    record InitiativeOpened(Instant at, String actor, InitiativeId initiative, ControlId control, String scope,
                            int findings) implements AuditEvent {
        public InitiativeOpened {
            Objects.requireNonNull(at);
            Objects.requireNonNull(actor);
            Objects.requireNonNull(initiative);
            Objects.requireNonNull(control);
            Objects.requireNonNull(scope);
        }

        @Override
        public String type() {
            return "initiative.opened";
        }
    }

    record Assessed(Instant at, String actor, InitiativeId initiative, RciLevel level, double confidence)
            implements AuditEvent {
        public Assessed {
            Objects.requireNonNull(at);
            Objects.requireNonNull(actor);
            Objects.requireNonNull(initiative);
            Objects.requireNonNull(level);
        }

        @Override
        public String type() {
            return "remediation.assessed";
        }
    }

    record GateDecided(Instant at, String actor, InitiativeId initiative, GateLayer layer, String verdict,
                       String reasons) implements AuditEvent {
        public GateDecided {
            Objects.requireNonNull(at);
            Objects.requireNonNull(actor);
            Objects.requireNonNull(initiative);
            Objects.requireNonNull(layer);
            Objects.requireNonNull(verdict);
            Objects.requireNonNull(reasons);
        }

        @Override
        public String type() {
            return "gate.decided";
        }
    }

    /**
     * A guardrail was proposed: the pull request (kind {@code pull_request}, {@code pull_request_updated},
     * {@code pull_request_unchanged}), the issue ({@code issue}, {@code issue_updated}) or nothing ({@code refused},
     * {@code left_to_human}, number 0) for one playbook's preventive control on one target, in {@code repo}.
     */
    record GuardrailProposed(Instant at, String actor, String repo, String playbook, String target, String kind,
                             int number) implements AuditEvent {
        public GuardrailProposed {
            Objects.requireNonNull(at);
            Objects.requireNonNull(actor);
            Objects.requireNonNull(repo);
            Objects.requireNonNull(playbook);
            Objects.requireNonNull(target);
            Objects.requireNonNull(kind);
        }

        @Override
        public String type() {
            return "guardrail.proposed";
        }
    }

    /** A pull request (kind {@code pull}) or an issue (kind {@code issue}) was opened for an initiative. */
    record Delivered(Instant at, String actor, InitiativeId initiative, String repo, String kind, int number)
            implements AuditEvent {
        public Delivered {
            Objects.requireNonNull(at);
            Objects.requireNonNull(actor);
            Objects.requireNonNull(initiative);
            Objects.requireNonNull(repo);
            Objects.requireNonNull(kind);
        }

        @Override
        public String type() {
            return "remediation.delivered";
        }
    }

    record Merged(Instant at, String actor, String repo, int pullNumber, String commitSha) implements AuditEvent {
        public Merged {
            Objects.requireNonNull(at);
            Objects.requireNonNull(actor);
            Objects.requireNonNull(repo);
            Objects.requireNonNull(commitSha);
        }

        @Override
        public String type() {
            return "remediation.merged";
        }
    }

    record Verified(Instant at, String actor, InitiativeId initiative, boolean resolved, String detail)
            implements AuditEvent {
        public Verified {
            Objects.requireNonNull(at);
            Objects.requireNonNull(actor);
            Objects.requireNonNull(initiative);
            Objects.requireNonNull(detail);
        }

        @Override
        public String type() {
            return "remediation.verified";
        }
    }

    record CommandReceived(Instant at, String actor, String repo, int number, String command, String outcome)
            implements AuditEvent {
        public CommandReceived {
            Objects.requireNonNull(at);
            Objects.requireNonNull(actor);
            Objects.requireNonNull(repo);
            Objects.requireNonNull(command);
            Objects.requireNonNull(outcome);
        }

        @Override
        public String type() {
            return "command.received";
        }
    }
    /**
     * One step of the verification after merge reached an outcome (verify stage): {@code step} is
     * {@code code:detect}, {@code cloud:<kind>} or {@code source:findings}; {@code outcome} is {@code passed},
     * {@code failed}, {@code pending} or {@code unavailable}.
     */
    record VerificationStep(Instant at, String actor, String repo, int pullNumber, String step, String outcome,
                            String detail) implements AuditEvent {
        public VerificationStep {
            Objects.requireNonNull(at);
            Objects.requireNonNull(actor);
            Objects.requireNonNull(repo);
            Objects.requireNonNull(step);
            Objects.requireNonNull(outcome);
            Objects.requireNonNull(detail);
        }

        @Override
        public String type() {
            return "verify.step";
        }
    }

    /**
     * A merged fix escalated by the verify stage: {@code reason} is {@code deadline} (not verified in time),
     * {@code drift} (the code is fixed, the cloud is not) or {@code recurrence} (the problem came back).
     *
     * @param number the issue opened for the owners, or the pull request commented on when there is none
     */
    record Escalated(Instant at, String actor, String repo, int pullNumber, String reason, int number, String detail)
            implements AuditEvent {
        public Escalated {
            Objects.requireNonNull(at);
            Objects.requireNonNull(actor);
            Objects.requireNonNull(repo);
            Objects.requireNonNull(reason);
            Objects.requireNonNull(detail);
        }

        @Override
        public String type() {
            return "verify.escalated";
        }
    }

    /** The verify stage asked for a control's guardrail after a recurrence (the prevent stage delivers it). */
    record GuardrailRequested(Instant at, String actor, String repo, String control, String playbookId, String detail)
            implements AuditEvent {
        public GuardrailRequested {
            Objects.requireNonNull(at);
            Objects.requireNonNull(actor);
            Objects.requireNonNull(repo);
            Objects.requireNonNull(control);
            Objects.requireNonNull(playbookId);
            Objects.requireNonNull(detail);
        }

        @Override
        public String type() {
            return "guardrail.requested";
        }
    }
}
