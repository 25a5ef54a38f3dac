package dev.fixgate.app.verify;

import dev.fixgate.app.store.VerificationStore;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of one step of the verification after merge.
 *
 * @param method {@code code:detect} (the playbook's detect on the merged default branch), {@code cloud:<kind>} (the
 *               deployed resource read again, against the playbook's {@code verify:} rule for that kind) or
 *               {@code source:findings} (the finding source reports the finding resolved)
 * @param detail one line per resource, for the check run, the audit log and {@code fixgate verify status}
 */
public record VerifyStep(String method, Status status, String detail) {

    public VerifyStep {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    public enum Status {
        /** Checked, and as the fix leaves it. */
        PASSED,
        /** Checked, and not as the fix leaves it. */
        FAILED,
        /** Not checkable yet (not deployed, the source has not reported again). */
        PENDING,
        /** Could not be checked (a read failed, nothing to read): never counts as passed. */
        UNAVAILABLE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String CODE = "code:detect";
    public static final String SOURCE = "source:findings";

    public static String cloud(String kind) {
        return "cloud:" + kind;
    }

    public boolean isCloud() {
        return method.startsWith("cloud:");
    }

    /** As stored in {@code remediation_verifications}. */
    public VerificationStore.Outcome outcome() {
        return switch (status) {
            case PASSED -> VerificationStore.Outcome.RESOLVED;
            case FAILED -> VerificationStore.Outcome.STILL_FAILING;
            case PENDING, UNAVAILABLE -> VerificationStore.Outcome.INCONCLUSIVE;
        };
    }

    /** One line: {@code code:detect passed — …}. */
    public String line() {
        return method + " " + status.id() + (detail.isEmpty() ? "" : " — " + detail.replace('\n', ';'));
    }

    /** The stage's verdict over its steps. */
    public enum Verdict {
        /** Every step passed (with the cloud read after the deployment). */
        VERIFIED,
        /** The code is fixed but the deployed resource is not: the fix is in code but not applied. */
        DRIFT,
        /** Not every step has passed yet. */
        PENDING;

        public static Verdict of(List<VerifyStep> steps) {
            if (steps.isEmpty()) {
                return PENDING;
            }
            boolean code = steps.stream().anyMatch(s -> s.method().equals(CODE) && s.status() == Status.PASSED);
            if (code && steps.stream().anyMatch(s -> s.isCloud() && s.status() == Status.FAILED)) {
                return DRIFT;
            }
            return steps.stream().allMatch(s -> s.status() == Status.PASSED) ? VERIFIED : PENDING;
        }
    }
}
