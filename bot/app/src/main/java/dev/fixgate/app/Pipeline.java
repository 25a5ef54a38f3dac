package dev.fixgate.app;

import java.util.List;
import java.util.Locale;

/**
 * The order of fixgate's stages — the architecture in one place. Each stage is a package of this module named
 * after it ({@code dev.fixgate.app.ingest}, …); a stage may use the stages before it and never one after it
 * (enforced by the ArchUnit rules in {@code test/architecture}, which read this enum). {@code audit} is not a
 * stage but the record every stage writes to, so every stage may use it and it uses none of them.
 */
public final class Pipeline {

    private Pipeline() {
    }

    public enum Stage {
        INGEST("parse a source format into canonical findings"),
        GROUP("fingerprint, deduplicate and group findings into initiatives"),
        LOCATE("find the repository, file and resource block that own each cloud resource"),
        ENRICH("gather read-only evidence about the resource from its cloud"),
        PLAN("apply the playbook's patch operations in memory: diff, rollback, guardrail"),
        ASSESS("score the planned fix: Remediation Confidence Indicator and blast radius"),
        GATE("policy as code, AI reasoning that can only tighten, human approval"),
        DELIVER("branch, commit and pull request (or an issue for UNSAFE fixes), check run"),
        MERGE("merge SAFE fixes when required checks pass, RISKY ones after an authorised review"),
        VERIFY("after merge, re-check the resource and close or escalate"),
        PREVENT("propose guardrails and block reintroduction in CI");

        private final String purpose;

        Stage(String purpose) {
            this.purpose = purpose;
        }

        public String purpose() {
            return purpose;
        }

        /** The stage's package, e.g. {@code dev.fixgate.app.ingest}. */
        public String packageName() {
            return Pipeline.class.getPackageName() + "." + name().toLowerCase(Locale.ROOT);
        }
    }

    /** The package every stage records to. */
    public static final String AUDIT_PACKAGE = Pipeline.class.getPackageName() + ".audit";

    /** The stages, in order. */
    public static List<Stage> stages() {
        return List.of(Stage.values());
    }
}
