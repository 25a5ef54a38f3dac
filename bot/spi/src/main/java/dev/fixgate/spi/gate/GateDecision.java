package dev.fixgate.spi.gate;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A gate's verdict: {@link Allow}, {@link NeedsApproval} or {@link Deny}, with the layer that decided and why.
 * Verdicts are ordered by strictness; combining two always keeps the stricter one ({@link #stricter}), which is
 * how the pipeline makes sure a later layer can tighten but never loosen.
 */
public sealed interface GateDecision {

    GateLayer layer();

    List<String> reasons();

    /** 0 = allow, 1 = needs approval, 2 = deny. */
    int strictness();

    record Allow(GateLayer layer, List<String> reasons) implements GateDecision {
        public Allow {
            Objects.requireNonNull(layer, "layer");
            reasons = List.copyOf(reasons);
        }

        @Override
        public int strictness() {
            return 0;
        }
    }

    /**
     * A human must approve before merge.
     *
     * @param approvals how many approving reviews are needed (at least 1)
     * @param approvers who may approve: GitHub logins or {@code @org/team}; empty means any user with write access
     */
    record NeedsApproval(GateLayer layer, List<String> reasons, int approvals, List<String> approvers)
            implements GateDecision {
        public NeedsApproval {
            Objects.requireNonNull(layer, "layer");
            reasons = List.copyOf(reasons);
            approvers = List.copyOf(approvers);
            if (approvals < 1) {
                throw new IllegalArgumentException("approvals must be >= 1");
            }
        }

        @Override
        public int strictness() {
            return 1;
        }
    }

    record Deny(GateLayer layer, List<String> reasons) implements GateDecision {
        public Deny {
            Objects.requireNonNull(layer, "layer");
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a denial must say why");
            }
        }

        @Override
        public int strictness() {
            return 2;
        }
    }

    /**
     * The stricter of {@code current} and {@code proposed}; on a tie, {@code current}, except that two approval
     * requirements merge into the larger number of approvals.
     */
    static GateDecision stricter(GateDecision current, GateDecision proposed) {
        if (proposed.strictness() > current.strictness()) {
            return proposed;
        }
        if (current instanceof NeedsApproval a && proposed instanceof NeedsApproval b && b.approvals() > a.approvals()) {
            return new NeedsApproval(b.layer(), concat(a.reasons(), b.reasons()), b.approvals(),
                    b.approvers().isEmpty() ? a.approvers() : b.approvers());
        }
        return current;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
