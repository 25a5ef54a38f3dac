package dev.fixgate.localgithub;

import java.util.List;

/**
 * The branch protection settings the local GitHub enforces on merge.
 *
 * @param requiredChecks       contexts that must pass: a commit status context or a check run name
 * @param strict               the head must contain the base branch's tip ("require branches to be up to date")
 * @param requiredApprovals    approving reviews needed from reviewers with write access (never the author)
 * @param dismissStaleReviews  a push to the head branch dismisses earlier approvals
 */
public record BranchProtection(List<String> requiredChecks, boolean strict, int requiredApprovals,
                               boolean dismissStaleReviews) {

    public BranchProtection {
        requiredChecks = List.copyOf(requiredChecks);
    }
}
