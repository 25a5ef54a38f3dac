package dev.fixgate.app.merge;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.deliver.PullRequestContent;
import dev.fixgate.app.gate.ApprovalCheck;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether one fixgate pull request may be merged now. Pure. It merges only when all of these hold:
 * <ol>
 *   <li>the gate decision recorded on the head allows it: Allow → in mode {@code autonomous} with automerge
 *       enabled; NeedsApproval (and, in mode {@code supervised}, every fix) → once {@link ApprovalCheck} is
 *       satisfied: approvals of the head commit, unexpired, by authorised reviewers (configured users, members of
 *       configured teams, code owners), never the author or a bot; Deny → never;</li>
 *   <li>the base branch's protection could be read and lists at least one required check — never merge on
 *       "no checks" (Renovate's automerge bug #10365);</li>
 *   <li>every required check (protection's plus {@code automerge.required_checks}) is green on the head;</li>
 *   <li>now is inside a change window (when any is configured).</li>
 * </ol>
 */
public final class MergeDecider {

    /**
     * @param decision       from fixgate's {@code fixgate/safety} run on the head; empty when none could be read
     * @param approval       {@link ApprovalCheck}'s answer for {@link #effective} of the decision
     * @param requiredChecks the base branch protection's required checks; empty when protection could not be read
     * @param checks         check name / status context → conclusion ({@code success}, {@code failure},
     *                       {@code pending}, ...), latest per name
     * @param headMessage    the head commit's message (its {@code Fixgate-*} trailers are kept)
     */
    public record Input(Optional<GateDecision> decision, RepoConfig config, boolean inChangeWindow, int number,
                        String title, String botLogin, ApprovalCheck.Status approval,
                        Optional<List<String>> requiredChecks, Map<String, String> checks, String headMessage) {
        public Input {
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(approval, "approval");
            Objects.requireNonNull(requiredChecks, "requiredChecks");
            checks = Map.copyOf(checks);
        }
    }

    public sealed interface Decision {
        /** Merge now; {@code message} is the commit body (trailers included). */
        record Merge(RepoConfig.MergeMethod method, String title, String message, String approvedBy) implements Decision {
        }

        /** Not now; may become mergeable after later events (checks, reviews). */
        record Wait(String reason) implements Decision {
        }

        /** Never automatically (mode, denial, no required checks). */
        record Refuse(String reason) implements Decision {
        }
    }

    private static final Set<String> GREEN = Set.of("success", "neutral", "skipped");

    private MergeDecider() {
    }

    /**
     * The decision the approvals are checked against: in mode {@code supervised} an allowed fix still needs an
     * authorised review (the configured number of them).
     */
    public static GateDecision effective(GateDecision decision, RepoConfig config) {
        if (decision instanceof GateDecision.Allow && config.mode() == RepoConfig.Mode.SUPERVISED) {
            return new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("mode supervised: every fix needs an "
                    + "authorised review"), config.reviewers().requiredApprovals(), List.of());
        }
        return decision;
    }

    /**
     * What the mode, the gate decision and the approvals decide alone: a {@link Decision} when they settle it
     * (refuse, or wait for approval) — the checks are then not needed, so the merge stage does not read them —
     * else who approved, for the merge commit. {@link #decide} starts with exactly this.
     */
    public static Either early(RepoConfig config, Optional<GateDecision> decision, ApprovalCheck.Status approval) {
        RepoConfig.Mode mode = config.mode();
        if (mode == RepoConfig.Mode.DETECT || mode == RepoConfig.Mode.ASSIST) {
            return settled(new Decision.Refuse("mode " + mode.name().toLowerCase(Locale.ROOT) + " never merges"));
        }
        if (decision.isEmpty()) {
            return settled(new Decision.Refuse("no fixgate/safety decision by fixgate on the head commit"));
        }
        return switch (effective(decision.get(), config)) {
            case GateDecision.Deny d -> settled(new Decision.Refuse("the gate denied this change"));
            case GateDecision.Allow a -> config.automerge().enabled() ? new Either(Optional.empty(), true, "")
                    : settled(new Decision.Refuse("automerge is disabled in .github/fixgate.yml"));
            case GateDecision.NeedsApproval n -> approval.satisfied()
                    ? new Either(Optional.empty(), false, String.join(", ", approval.approvers()))
                    : settled(new Decision.Wait("waiting for approval: " + String.join("; ", approval.reasons())));
        };
    }

    private static Either settled(Decision d) {
        return new Either(Optional.of(d), false, "");
    }

    /**
     * {@link #early}'s answer: the decision when it is settled; else whether the gate allowed the change (fixgate's
     * bot approves it) or who approved it.
     */
    public record Either(Optional<Decision> decided, boolean gateAllowed, String approvers) {
    }

    /** Whether {@link #early} needs the approvals: only for a decision that needs them. */
    public static boolean needsApproval(RepoConfig config, Optional<GateDecision> decision) {
        return decision.isPresent() && effective(decision.get(), config) instanceof GateDecision.NeedsApproval;
    }

    public static Decision decide(Input in) {
        Either e = early(in.config(), in.decision(), in.approval());
        if (e.decided().isPresent()) {
            return e.decided().get();
        }
        String approvedBy = e.gateAllowed() ? in.botLogin() + " (autonomous; gate allowed)" : e.approvers();
        if (in.requiredChecks().isEmpty()) {
            return new Decision.Refuse("the base branch's protection could not be read: never merge without knowing "
                    + "the required checks");
        }
        if (in.requiredChecks().get().isEmpty()) {
            return new Decision.Refuse("the base branch requires no status checks: fixgate never merges on \"no checks\"");
        }
        Set<String> required = new LinkedHashSet<>(in.requiredChecks().get());
        required.addAll(in.config().automerge().requiredChecks());
        List<String> notGreen = new ArrayList<>();
        for (String r : required) {
            String state = in.checks().get(r);
            if (state == null || !GREEN.contains(state.toLowerCase(Locale.ROOT))) {
                notGreen.add(r + " (" + (state == null ? "missing" : state) + ")");
            }
        }
        if (!notGreen.isEmpty()) {
            return new Decision.Wait("required checks not green: " + String.join(", ", notGreen));
        }
        if (!in.inChangeWindow()) {
            return new Decision.Wait("outside the change windows");
        }
        return new Decision.Merge(in.config().automerge().mergeMethod(), in.title() + " (#" + in.number() + ")",
                message(in.headMessage(), approvedBy), approvedBy);
    }

    /** The head commit's message without its title, keeping the {@code Fixgate-*} trailers, plus Approved-By. */
    static String message(String headMessage, String approvedBy) {
        List<String> body = new ArrayList<>();
        List<String> trailers = new ArrayList<>();
        String[] lines = headMessage == null ? new String[0] : headMessage.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].startsWith("Fixgate-")) {
                if (!lines[i].startsWith(PullRequestContent.TRAILER_APPROVED_BY + ":")) {
                    trailers.add(lines[i]);
                }
            } else {
                body.add(lines[i]);
            }
        }
        trailers.add(PullRequestContent.TRAILER_APPROVED_BY + ": " + approvedBy);
        String text = String.join("\n", body).strip();
        return (text.isEmpty() ? "" : text + "\n\n") + String.join("\n", trailers) + "\n";
    }
}
