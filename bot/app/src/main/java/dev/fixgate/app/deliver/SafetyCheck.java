package dev.fixgate.app.deliver;

import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHRepository;

/**
 * The {@code fixgate/safety} check run as the durable, tamper-resistant record of the gate decision on a head:
 * only the app that created a check run can change it, so the merge stage reads the decision back from fixgate's
 * own run (its {@code external_id}), never from the pull request body, which anyone with write access can edit.
 */
public final class SafetyCheck {

    private SafetyCheck() {
    }

    /** {@code allow}, {@code deny}, or {@code approval:<n>:<approver,...>}. */
    static String externalId(GateDecision d) {
        return switch (d) {
            case GateDecision.Allow a -> "allow";
            case GateDecision.NeedsApproval n -> "approval:" + n.approvals() + ":" + String.join(",", n.approvers());
            case GateDecision.Deny x -> "deny";
        };
    }

    /** The decision recorded by {@link #externalId}; empty when it cannot be read (so nothing merges). */
    public static Optional<GateDecision> decision(String externalId) {
        if (externalId == null) {
            return Optional.empty();
        }
        if (externalId.equals("allow")) {
            return Optional.of(new GateDecision.Allow(GateLayer.APPROVAL, List.of("recorded on the check run")));
        }
        if (externalId.equals("deny")) {
            return Optional.of(new GateDecision.Deny(GateLayer.APPROVAL, List.of("recorded on the check run")));
        }
        String[] parts = externalId.split(":", 3);
        if (parts.length == 3 && parts[0].equals("approval")) {
            try {
                List<String> approvers = parts[2].isEmpty() ? List.of()
                        : Arrays.stream(parts[2].split(",")).filter(s -> !s.isBlank()).toList();
                return Optional.of(new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("recorded on the check run"),
                        Integer.parseInt(parts[1]), approvers));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** fixgate's {@code fixgate/safety} run on {@code sha}; with {@code appId}, only one created by that app. */
    public static Optional<GHCheckRun> find(GHRepository repo, String sha, Optional<Long> appId) throws IOException {
        return find(repo.getCheckRuns(sha), appId);
    }

    /** The same among check runs already read (the merge stage reads a head's runs once for this and its checks). */
    public static Optional<GHCheckRun> find(Iterable<GHCheckRun> runs, Optional<Long> appId) {
        for (GHCheckRun run : runs) {
            if (PullRequestContent.CHECK_NAME.equals(run.getName())
                    && (appId.isEmpty() || (run.getApp() != null && run.getApp().getId() == appId.get()))) {
                return Optional.of(run);
            }
        }
        return Optional.empty();
    }
}
