package dev.fixgate.app.gate;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.spi.gate.GateDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Layer 3's question once reviews exist: do the approvals on a pull request satisfy the decision? The
 * GitHub-facing side (fetching reviews, team memberships, CODEOWNERS) supplies the facts; this decides.
 *
 * <ul>
 *   <li>A deny is never satisfied (UNSAFE is never merged by fixgate); an allow needs nothing.</li>
 *   <li>Per reviewer, the latest review that is not a plain comment counts (GitHub's rule).</li>
 *   <li>An approval counts when its author is authorised (a configured user, a member of a configured team, or
 *       — when enabled — a code owner of every touched file that has owners in CODEOWNERS, as a user or through a
 *       team; with none of these configured, someone with write access), is neither the pull request's author
 *       nor the bot, is for the current head commit, and is younger than the configured expiry.</li>
 *   <li>When the repository requires code-owner review, every touched file that has owners needs a counted
 *       approval by one of them (GitHub's "require review from Code Owners").</li>
 *   <li>Changes requested by an authorised reviewer block.</li>
 *   <li>A standing grant (from a slash command) counts as its grantor's approval while in scope — this pull
 *       request, this control, or until a date — and unexpired.</li>
 * </ul>
 */
public final class ApprovalCheck {

    /** @param state APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED | PENDING */
    public record Review(String login, String state, Instant submittedAt, String commitId) {
        public Review {
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(submittedAt, "submittedAt");
            Objects.requireNonNull(commitId, "commitId");
        }
    }

    public enum Scope { PR, CONTROL, UNTIL }

    /**
     * An approval given by command rather than by review ({@code /fixgate approve}, the check run's Approve button).
     *
     * @param value     for PR: {@code owner/repo#number}; for CONTROL: the canonical control id; for UNTIL: empty
     * @param commitSha the head commit it was given on; empty: any commit (a standing grant)
     * @param expiresAt when it stops counting (for UNTIL, the date it was given until)
     */
    public record Grant(String grantor, Scope scope, String value, String commitSha, Instant grantedAt,
                        Instant expiresAt) {
        public Grant {
            Objects.requireNonNull(grantor, "grantor");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(commitSha, "commitSha");
            Objects.requireNonNull(grantedAt, "grantedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        /** A grant for any commit. */
        public Grant(String grantor, Scope scope, String value, Instant grantedAt, Instant expiresAt) {
            this(grantor, scope, value, "", grantedAt, expiresAt);
        }
    }

    /**
     * The facts about one pull request.
     *
     * @param pullRequest  {@code owner/repo#number}
     * @param control      the canonical control the fix addresses
     * @param teamMembers  per {@code org/team}, its members' logins (as far as they were asked: at least the
     *                     reviewers among them)
     * @param codeowners   per touched file, its owners in CODEOWNERS: logins and {@code @org/team}s (a file without
     *                     owners maps to an empty set)
     * @param writers      logins with write access (used only when no reviewer, team or CODEOWNER is configured)
     */
    public record Facts(String pullRequest, String control, String author, String botLogin, String headSha,
                        List<Review> reviews, List<Grant> grants, Map<String, Set<String>> teamMembers,
                        Map<String, Set<String>> codeowners, Set<String> writers, Instant now) {
        public Facts {
            Objects.requireNonNull(pullRequest, "pullRequest");
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(botLogin, "botLogin");
            Objects.requireNonNull(headSha, "headSha");
            reviews = List.copyOf(reviews);
            grants = List.copyOf(grants);
            teamMembers = Map.copyOf(teamMembers);
            Map<String, Set<String>> owners = new java.util.TreeMap<>();
            codeowners.forEach((file, o) -> owners.put(file, Set.copyOf(o)));
            codeowners = java.util.Collections.unmodifiableMap(owners);
            writers = Set.copyOf(writers);
            Objects.requireNonNull(now, "now");
        }
    }

    /** @param approvers whose approvals counted; {@code reasons} explain each one that did not */
    public record Status(boolean satisfied, List<String> approvers, List<String> reasons) {
        public Status {
            approvers = List.copyOf(approvers);
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * How far a review's time may be ahead of fixgate's clock and still count: GitHub's clock decides when a review
     * was submitted, and a review evaluated on its own webhook must not be lost to a second of skew. (A replay at an
     * earlier instant still ignores reviews from after it.)
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

    private ApprovalCheck() {
    }

    public static Status check(GateDecision decision, RepoConfig.Reviewers config, Facts facts) {
        return switch (decision) {
            case GateDecision.Deny d -> new Status(false, List.of(),
                    List.of("the decision is deny: no approval lets fixgate merge it"));
            case GateDecision.Allow a -> new Status(true, List.of(), List.of("no approval is needed"));
            case GateDecision.NeedsApproval n -> checkApprovals(n, config, facts);
        };
    }

    private static Status checkApprovals(GateDecision.NeedsApproval need, RepoConfig.Reviewers config, Facts f) {
        int required = Math.max(need.approvals(), config.requiredApprovals());
        List<String> reasons = new ArrayList<>();
        // normalised login → as GitHub spells it: authorised approvals count towards required_approvals
        Map<String, String> counted = new LinkedHashMap<>();
        // approvals that are valid whoever gave them (not the author or a bot, on the head, unexpired): a code
        // owner's counts for their files under require_codeowner_review even when they are not a listed reviewer
        Set<String> valid = new LinkedHashSet<>();
        boolean blocked = false;
        Map<String, Review> latest = new LinkedHashMap<>();
        Instant known = f.now().plus(CLOCK_SKEW);
        f.reviews().stream()
                .filter(r -> !r.state().equalsIgnoreCase("COMMENTED") && !r.state().equalsIgnoreCase("PENDING"))
                .filter(r -> !r.submittedAt().isAfter(known))
                .sorted(Comparator.comparing(Review::submittedAt))
                .forEach(r -> latest.put(norm(r.login()), r));
        for (Review r : latest.values()) {
            String who = r.login();
            if (r.state().equalsIgnoreCase("CHANGES_REQUESTED")) {
                if (authorised(who, config, f) || config.requireCodeownerReview() && ownsAny(who, f)) {
                    blocked = true;
                    reasons.add(who + " requested changes");
                }
                continue;
            }
            if (!r.state().equalsIgnoreCase("APPROVED")) {
                continue;
            }
            String invalid = "";
            if (norm(who).equals(norm(f.author()))) {
                invalid = "the pull request's author cannot approve it";
            } else if (isBot(who, f.botLogin())) {
                invalid = "fixgate cannot approve its own fix";
            } else if (!r.commitId().equals(f.headSha())) {
                invalid = "approved an earlier commit (" + abbreviate(r.commitId()) + "), not the current head";
            } else if (expired(r.submittedAt(), config, f.now())) {
                invalid = "approved more than " + config.approvalExpiryDays() + " days ago";
            }
            if (!invalid.isEmpty()) {
                reasons.add(who + "'s approval does not count: " + invalid);
                continue;
            }
            valid.add(who);
            if (authorised(who, config, f)) {
                counted.putIfAbsent(norm(who), who);
            } else if (!(config.requireCodeownerReview() && ownsAny(who, f))) {
                reasons.add(who + "'s approval does not count: not an authorised reviewer");
            }
        }
        for (Grant g : f.grants()) {
            String not = disqualified(g.grantor(), config, f);
            if (not.isEmpty() && (g.grantedAt().isAfter(f.now()) || !g.expiresAt().isAfter(f.now()))) {
                not = "the grant is not in force at " + f.now();
            }
            if (not.isEmpty() && !inScope(g, f)) {
                not = "the grant covers " + g.scope().name().toLowerCase(Locale.ROOT) + " " + g.value() + ", not this fix";
            }
            if (not.isEmpty() && !g.commitSha().isEmpty() && !g.commitSha().equals(f.headSha())) {
                not = "approved an earlier commit (" + abbreviate(g.commitSha()) + "), not the current head";
            }
            if (not.isEmpty()) {
                counted.putIfAbsent(norm(g.grantor()), g.grantor());
                valid.add(g.grantor());
            } else {
                reasons.add(g.grantor() + "'s grant does not count: " + not);
            }
        }
        boolean enough = counted.size() >= required;
        if (!enough) {
            reasons.add(counted.size() + " of " + required + " required approvals");
        }
        List<String> approvers = new ArrayList<>(counted.values());
        boolean owned = true;
        if (config.requireCodeownerReview()) {
            for (Map.Entry<String, Set<String>> file : f.codeowners().entrySet()) {
                if (file.getValue().isEmpty()) {
                    continue;
                }
                Optional<String> owner = valid.stream().filter(who -> owns(who, file.getValue(), f)).findFirst();
                if (owner.isEmpty()) {
                    owned = false;
                    reasons.add(file.getKey() + " needs an approval by one of its code owners ("
                            + String.join(", ", new java.util.TreeSet<>(file.getValue())) + ")");
                } else if (approvers.stream().noneMatch(a -> norm(a).equals(norm(owner.get())))) {
                    approvers.add(owner.get());
                }
            }
        }
        return new Status(enough && owned && !blocked, approvers, reasons);
    }

    /** Whether {@code who} owns any touched file. */
    private static boolean ownsAny(String who, Facts f) {
        return f.codeowners().values().stream().anyMatch(owners -> !owners.isEmpty() && owns(who, owners, f));
    }

    /** Whether {@code who} is one of {@code owners}: by login, or as a member of an owning {@code @org/team}. */
    private static boolean owns(String who, Set<String> owners, Facts f) {
        for (String owner : owners) {
            String o = owner.startsWith("@") ? owner.substring(1) : owner;
            if (o.contains("/") ? memberOf(who, o, f) : norm(o).equals(norm(who))) {
                return true;
            }
        }
        return false;
    }

    /** Who may approve under {@code config}, for the check run: users, {@code @org/team}s, code owners, writers. */
    public static List<String> whoMayApprove(RepoConfig.Reviewers config, Map<String, Set<String>> codeowners) {
        List<String> out = new ArrayList<>();
        config.users().forEach(u -> out.add("@" + u));
        config.teams().forEach(t -> out.add("@" + t));
        Set<String> owners = new java.util.TreeSet<>();
        codeowners.values().forEach(owners::addAll);
        if (config.codeowners() && !owners.isEmpty()) {
            out.add("a code owner of every changed file (" + String.join(", ", owners) + ")");
        }
        if (out.isEmpty()) {
            out.add("anyone with write access");
        }
        if (config.requireCodeownerReview() && !owners.isEmpty()) {
            out.add("and, for each changed file, one of its code owners");
        }
        return out;
    }

    /** Why {@code login}'s approval cannot count (author, bot, not authorised), or empty when it can. */
    public static String disqualified(String login, RepoConfig.Reviewers config, Facts f) {
        if (norm(login).equals(norm(f.author()))) {
            return "the pull request's author cannot approve it";
        }
        if (isBot(login, f.botLogin())) {
            return "fixgate cannot approve its own fix";
        }
        if (!authorised(login, config, f)) {
            return "not an authorised reviewer";
        }
        return "";
    }

    /** Whether {@code login} may approve under {@code config} (a listed user, a team member, a code owner, a writer). */
    public static boolean authorised(String login, RepoConfig.Reviewers config, Facts f) {
        String who = norm(login);
        if (config.users().stream().anyMatch(u -> norm(u).equals(who))) {
            return true;
        }
        for (String team : config.teams()) {
            if (memberOf(who, team, f)) {
                return true;
            }
        }
        boolean anyOwned = f.codeowners().values().stream().anyMatch(o -> !o.isEmpty());
        if (config.codeowners() && anyOwned && f.codeowners().values().stream()
                .allMatch(owners -> owners.isEmpty() || owns(who, owners, f))) {
            return true; // a code owner of every touched file that has owners
        }
        boolean nobodyConfigured = config.users().isEmpty() && config.teams().isEmpty()
                && (!config.codeowners() || !anyOwned);
        return nobodyConfigured && f.writers().stream().anyMatch(w -> norm(w).equals(who));
    }

    private static boolean memberOf(String who, String team, Facts f) {
        for (Map.Entry<String, Set<String>> e : f.teamMembers().entrySet()) {
            if (norm(e.getKey()).equals(norm(team)) && e.getValue().stream().anyMatch(m -> norm(m).equals(who))) {
                return true;
            }
        }
        return false;
    }

    private static boolean inScope(Grant g, Facts f) {
        return switch (g.scope()) {
            case PR -> g.value().equalsIgnoreCase(f.pullRequest());
            case CONTROL -> g.value().equals(f.control());
            case UNTIL -> true;
        };
    }

    private static boolean expired(Instant submitted, RepoConfig.Reviewers config, Instant now) {
        return config.approvalExpiryDays() > 0
                && submitted.plus(Duration.ofDays(config.approvalExpiryDays())).isBefore(now);
    }

    private static boolean isBot(String login, String botLogin) {
        String l = norm(login); // no app account (fixgate or another bot) is a human reviewer
        String b = norm(botLogin);
        return l.equals(b) || l.equals(b + "[bot]") || (l + "[bot]").equals(b) || l.endsWith("[bot]");
    }

    private static String norm(String login) {
        return login.strip().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}
