package dev.fixgate.app.deliver;

import dev.fixgate.app.redact.Redactor;
import dev.fixgate.spi.assess.RciReason;
import dev.fixgate.spi.gate.GateDecision;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What fixgate writes to GitHub for one {@link FixProposal}: branch name, title, Markdown body, labels, commit
 * message with trailers, the {@code fixgate/safety} check run's text, and — for a denied fix — the issue. Pure:
 * no I/O. Every string that came from a finding or evidence passes through {@link Redactor} (and Markdown-breaking
 * characters are neutralised) before it is placed in any of them.
 */
public record PullRequestContent(String branch, String title, String body, List<String> labels, String commitMessage) {

    public static final String CHECK_NAME = "fixgate/safety";
    public static final String LABEL = "fixgate";
    /** Hidden marker in bodies so fixgate recognises its own pull requests and issues. */
    public static final String MARKER_PREFIX = "<!-- fixgate:initiative=";
    public static final String TRAILER_INITIATIVE = "Fixgate-Initiative";
    public static final String TRAILER_CONTROL = "Fixgate-Control";
    public static final String TRAILER_RCI = "Fixgate-RCI";
    public static final String TRAILER_FINDINGS = "Fixgate-Findings";
    public static final String TRAILER_APPROVED_BY = "Fixgate-Approved-By";
    public static final String TRAILER_REVERTS = "Fixgate-Reverts";
    private static final int MAX_DIFF_CHARS = 50_000;

    public PullRequestContent {
        Objects.requireNonNull(branch, "branch");
        labels = List.copyOf(labels);
    }

    public static PullRequestContent of(FixProposal p) {
        String branch = branch(p);
        String title = title(p);
        return new PullRequestContent(branch, title, body(p), labels(p), commitMessage(p, title));
    }

    /**
     * {@code fixgate/<control>/<12 hex>}: for a proposal of a group, a hash of its initiative and group, so the branch
     * (and its pull request) stays the same while resources join or leave the group; else (a revert) the first
     * finding's fingerprint.
     */
    public static String branch(FixProposal p) {
        String control = p.control().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
        return (p.reverting() ? "fixgate/revert/" : "fixgate/") + control + "/"
                + (p.group().isEmpty() || p.reverting() ? p.shortFingerprint() : groupHash(p));
    }

    private static String groupHash(FixProposal p) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest((p.initiativeId() + "|" + p.group())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The line that ties an issue to its initiative's group: how a later run finds the issue to update. */
    public static String groupMarker(FixProposal p) {
        return "<!-- fixgate:group=" + p.group().replace("--", "") + " -->";
    }

    public static String title(FixProposal p) {
        String resources = p.resources().size() == 1 ? clean(p.resources().getFirst())
                : p.resources().size() + " resources";
        return p.reverting() ? "fixgate: revert #" + p.revertOf() + " (" + clean(p.control()) + " on " + resources + ")"
                : "fixgate: " + clean(p.control()) + " on " + resources;
    }

    public static List<String> labels(FixProposal p) {
        return List.of(LABEL, "rci:" + p.rci().level().name().toLowerCase(Locale.ROOT),
                "severity:" + p.severity().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", ""));
    }

    public static String commitMessage(FixProposal p, String title) {
        return title + "\n\n" + clean(p.resources().stream().collect(Collectors.joining(", "))) + "\n\n"
                + trailers(p);
    }

    /** The trailer block, also kept in the squash commit on merge. */
    public static String trailers(FixProposal p) {
        return (p.reverting() ? TRAILER_REVERTS + ": #" + p.revertOf() + " " + p.revertSha() + "\n" : "")
                + TRAILER_INITIATIVE + ": " + p.initiativeId() + "\n"
                + TRAILER_CONTROL + ": " + p.control() + "\n"
                + TRAILER_RCI + ": " + p.rci().level().name() + "\n"
                + TRAILER_FINDINGS + ": " + p.findings().stream().map(FixProposal.FindingSummary::fingerprint)
                .collect(Collectors.joining(",")) + "\n";
    }

    public static String marker(FixProposal p) {
        return MARKER_PREFIX + p.initiativeId() + " -->";
    }

    static String body(FixProposal p) {
        StringBuilder b = new StringBuilder();
        b.append(marker(p)).append('\n');
        if (p.reverting()) {
            b.append("## Revert\n\nThis reverts #").append(p.revertOf()).append(" (merge commit `").append(code(p.revertSha()))
                    .append("`), as asked with `/fixgate revert`. A revert is gated as RISKY: it merges after an authorised"
                            + " approval, once the required checks pass. fixgate will not propose the reverted plan again.\n\n");
        }
        b.append("## What was found\n\n");
        b.append("Control **").append(clean(p.control())).append("**, severity **").append(clean(p.severity()))
                .append("**.\n\n");
        findings(b, p);
        b.append("\n## Resources\n\n");
        p.resources().forEach(r -> b.append("- `").append(code(r)).append("`\n"));
        b.append("\n## Change\n\n");
        diffSection(b, p);
        b.append("\n## Risk of change: ").append(p.rci().level().name())
                .append(String.format(Locale.ROOT, " (confidence %.2f)", p.rci().confidence())).append("\n\n");
        if (p.rci().reasons().isEmpty()) {
            b.append("No risk indicators.\n");
        }
        for (RciReason r : p.rci().reasons()) {
            b.append("- **").append(r.level().name()).append("** `").append(code(r.code())).append("`: ")
                    .append(clean(r.message())).append('\n');
        }
        if (p.rciHistory().size() > 1) {
            b.append("\n### RCI history\n\nThe evidence is read again while the pull request is open; each change of the ")
                    .append("level or the blast radius is recorded.\n\n| when | RCI | confidence | blast radius | evidence |\n")
                    .append("|---|---|---|---|---|\n");
            for (FixProposal.RciStep h : p.rciHistory()) {
                b.append("| ").append(h.at()).append(" | **").append(h.level().name()).append("** | ")
                        .append(h.confidence()).append(" | ").append(cell(h.blast())).append(" | ")
                        .append(cell(String.join("; ", h.evidence()))).append(" |\n");
            }
        }
        b.append("\n## Blast radius\n\n").append("Scope: **").append(clean(p.blastRadius().scope())).append("**\n");
        p.blastRadius().affected().forEach(a -> b.append("- `").append(code(a)).append("`\n"));
        p.blastRadius().notes().forEach(n -> b.append("- ").append(clean(n)).append('\n'));
        b.append("\n## Gate decision: ").append(outcome(p.decision())).append("\n\n");
        if (!p.decisionIds().isEmpty()) {
            b.append("Recorded as ").append(decisionRefs(p)).append(" (`gate_decisions`, with the full input; the audit log ")
                    .append("holds one `gate.decided` entry per engine).\n\n");
        }
        b.append("| layer | decision | reasons |\n|---|---|---|\n");
        for (FixProposal.LayerDecision d : p.decisions()) {
            b.append("| ").append(d.layer().name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(outcome(d.toGate())).append(" | ")
                    .append(cell(String.join("; ", d.reasons()))).append(" |\n");
        }
        if (!p.verdicts().isEmpty()) {
            b.append("\n<details><summary>Each engine's verdict</summary>\n\n");
            b.append("| layer | engine | verdict | policies | reasons |\n|---|---|---|---|---|\n");
            for (FixProposal.EngineVerdict v : p.verdicts()) {
                b.append("| ").append(v.layer().name().toLowerCase(Locale.ROOT)).append(" | ").append(cell(v.engine()))
                        .append(" | ").append(cell(v.outcome())).append(" | ")
                        .append(v.policies().stream().map(id -> "`" + code(id) + "`").collect(Collectors.joining(", ")))
                        .append(" | ").append(cell(String.join("; ", v.reasons()))).append(" |\n");
            }
            b.append("\n</details>\n");
        }
        b.append("\n## Rollback\n\n").append(p.rollback().isBlank() ? "Revert this pull request." : clean(p.rollback()))
                .append('\n');
        b.append("\n## Compliance\n\n");
        if (p.compliance().isEmpty()) {
            b.append("None mapped.\n");
        }
        new TreeMap<>(p.compliance()).forEach((fw, ids) -> b.append("- ").append(clean(fw)).append(": ")
                .append(clean(String.join(", ", ids))).append('\n'));
        b.append("\n<details><summary>Evidence</summary>\n\n");
        if (p.evidence().isEmpty()) {
            b.append("No evidence collected.\n");
        }
        p.evidence().forEach(e -> b.append("- ").append(clean(e)).append('\n'));
        b.append("\n</details>\n");
        return b.toString();
    }

    private static void findings(StringBuilder b, FixProposal p) {
        int sightings = p.findings().stream().mapToInt(FixProposal.FindingSummary::sightings).sum();
        Instant first = p.findings().stream().map(FixProposal.FindingSummary::firstSeen).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(null);
        String sources = p.findings().stream().map(f -> clean(f.source())).distinct().sorted()
                .collect(Collectors.joining(", "));
        b.append(p.findings().size()).append(" finding(s), ").append(sightings).append(" sighting(s) from ")
                .append(sources.isEmpty() ? "unknown sources" : sources)
                .append(first == null ? "" : ", first seen " + first).append(".\n\n");
        for (FixProposal.FindingSummary f : p.findings()) {
            b.append("- ").append(clean(f.title())).append(" (").append(clean(f.source())).append(", `")
                    .append(code(f.fingerprint())).append("`)\n");
        }
    }

    static void diffSection(StringBuilder b, FixProposal p) {
        int added = 0;
        int removed = 0;
        for (String line : p.diff().split("\n", -1)) {
            if (line.startsWith("+") && !line.startsWith("+++")) {
                added++;
            } else if (line.startsWith("-") && !line.startsWith("---")) {
                removed++;
            }
        }
        b.append(p.files().size()).append(" file(s) changed: ")
                .append(p.files().keySet().stream().sorted().map(f -> "`" + code(f) + "`").collect(Collectors.joining(", ")))
                .append(", +").append(added).append(" −").append(removed).append("\n\n");
        b.append("<details><summary>Diff</summary>\n\n").append(diffBlock(p)).append("\n</details>\n");
    }

    /** The diff as a fenced {@code diff} block, redacted and cut at a size GitHub accepts. */
    static String diffBlock(FixProposal p) {
        String diff = Redactor.redact(p.diff());
        if (diff.length() > MAX_DIFF_CHARS) {
            diff = diff.substring(0, MAX_DIFF_CHARS) + "\n… (diff truncated)\n";
        }
        String fence = diff.contains("```") ? "~~~~" : "```";
        return fence + "diff\n" + diff + (diff.endsWith("\n") ? "" : "\n") + fence + "\n";
    }

    static String outcome(GateDecision d) {
        return switch (d) {
            case GateDecision.Allow a -> "allow";
            case GateDecision.NeedsApproval n -> "needs approval (" + n.approvals() + " approving review(s)"
                    + (n.approvers().isEmpty() ? " by anyone with write access" : " by " + clean(String.join(", ", n.approvers())))
                    + ")";
            case GateDecision.Deny x -> "deny";
        };
    }

    /** {@code decision #12} or {@code decisions #12, #13}. */
    static String decisionRefs(FixProposal p) {
        return (p.decisionIds().size() == 1 ? "decision " : "decisions ")
                + p.decisionIds().stream().map(id -> "#" + id).collect(Collectors.joining(", "));
    }

    /** The policies that restricted the fix, by id, across every engine. */
    static List<String> restrictingPolicies(FixProposal p) {
        return p.verdicts().stream().filter(v -> !v.outcome().equals("allow")).flatMap(v -> v.policies().stream())
                .distinct().toList();
    }

    /** Untrusted text in a table cell. */
    private static String cell(String s) {
        return clean(s).replace("|", "\\|");
    }

    /** Untrusted text → redacted, one line, no HTML or Markdown-link injection. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        return Redactor.redact(s).replaceAll("[\\r\\n]+", " ").replace("<", "&lt;").replace(">", "&gt;")
                .replace("@", "@\u200b");
    }

    /** Untrusted text inside inline code. */
    static String code(String s) {
        return s == null ? "" : Redactor.redact(s).replaceAll("[\\r\\n`]+", " ");
    }

    // ---- the check run and the issue

    /** Title and summary of the {@code fixgate/safety} check run. */
    public static String[] checkOutput(FixProposal p) {
        return checkOutput(p, List.of());
    }

    /**
     * Title and summary of the {@code fixgate/safety} check run.
     *
     * @param mayApprove who may approve a fix that needs approval, as the repository's configuration resolves it
     *                   ({@code @alice}, {@code @acme/platform}, "a code owner of every changed file: @bob"); empty:
     *                   the decision's own list
     */
    public static String[] checkOutput(FixProposal p, List<String> mayApprove) {
        GateDecision d = p.decision();
        StringBuilder more = new StringBuilder();
        List<String> policies = restrictingPolicies(p);
        if (!policies.isEmpty()) {
            more.append("\n\nPolicies: ").append(policies.stream().map(id -> "`" + code(id) + "`")
                    .collect(Collectors.joining(", ")));
        }
        if (!p.decisionIds().isEmpty()) {
            more.append("\n\nRecorded as ").append(decisionRefs(p)).append(".");
        }
        String why = d.reasons().stream().map(PullRequestContent::clean).map(r -> "- " + r).collect(Collectors.joining("\n"))
                + more;
        return switch (d) {
            case GateDecision.Allow a -> new String[] {"Safe to merge: RCI " + p.rci().level(),
                    "All gate layers allow this change.\n\n" + why};
            case GateDecision.NeedsApproval n -> new String[] {"Needs approval: RCI " + p.rci().level(),
                    "Merge after " + n.approvals() + " approving review(s) of this commit by "
                            + (!mayApprove.isEmpty() ? String.join(", ", mayApprove)
                                    : n.approvers().isEmpty() ? "a user with write access" : String.join(", ", n.approvers()))
                            + " (not the author, not fixgate).\n\n" + why};
            case GateDecision.Deny x -> new String[] {"Denied: RCI " + p.rci().level(), "Do not merge.\n\n" + why};
        };
    }

    public static String issueTitle(FixProposal p) {
        return "fixgate: " + clean(p.control()) + " needs an owner on " + (p.resources().size() == 1
                ? clean(p.resources().getFirst()) : p.resources().size() + " resources") + " [" + p.shortFingerprint() + "]";
    }

    /** {@code RCI SAFE (confidence 1.0): <the strongest reason>}, one line. */
    public static String rciSentence(FixProposal p) {
        String why = p.rci().reasons().stream().filter(r -> r.level() == p.rci().level()).map(r -> clean(r.message()))
                .findFirst().orElse("");
        return "RCI " + p.rci().level() + " (confidence " + p.rci().confidence() + ")" + (why.isEmpty() ? "" : ": " + why);
    }

    /**
     * The comment on a pull request or issue that a later proposal supersedes: the evidence was read again and every
     * resource in it is handled elsewhere now.
     */
    public static String superseded(FixProposal successor, boolean pullRequest, String where) {
        StringBuilder b = new StringBuilder();
        b.append("fixgate assessed this initiative again and ");
        if (successor.decision() instanceof GateDecision.Deny) {
            b.append("no longer proposes this fix automatically: ").append(rciSentence(successor)).append(".\n\n");
            successor.decision().reasons().forEach(r -> b.append("- ").append(clean(r)).append('\n'));
            b.append("\nThe owners are asked to decide in ").append(where).append(", which carries the investigation and ")
                    .append("the patch. If the evidence changes back, fixgate proposes the fix again.\n");
        } else {
            b.append("proposes the fix in ").append(where).append(" now: ").append(rciSentence(successor)).append(".\n");
        }
        b.append("\nClosing this ").append(pullRequest ? "pull request" : "issue").append(".\n");
        return b.toString();
    }

    /** Why a denied fix gets an issue. */
    public static final String DENIED = "the gate denied it or it is UNSAFE to change automatically";

    public static String issueBody(FixProposal p, List<String> owners) {
        return issueBody(p, owners, DENIED);
    }

    /** @param why the reason there is no pull request, completing "fixgate will not open a pull request for this fix: " */
    public static String issueBody(FixProposal p, List<String> owners, String why) {
        StringBuilder b = new StringBuilder();
        b.append(marker(p)).append('\n');
        if (!p.group().isEmpty()) {
            b.append(groupMarker(p)).append('\n');
        }
        b.append("fixgate will not open a pull request for this fix: ").append(clean(why))
                .append(". The investigation and the proposed patch are below for a human to apply.\n\n");
        if (!owners.isEmpty()) {
            b.append("Owners (CODEOWNERS): ").append(String.join(", ", owners)).append("\n\n");
        }
        String body = body(p);
        b.append(body.substring(body.indexOf('\n') + 1));
        b.append("\n## Proposed patch\n\n").append(diffBlock(p));
        b.append('\n').append(trailers(p).lines().map(l -> "    " + l).collect(Collectors.joining("\n"))).append('\n');
        return b.toString();
    }
}
