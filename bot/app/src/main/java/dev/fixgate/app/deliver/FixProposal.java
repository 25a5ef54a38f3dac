package dev.fixgate.app.deliver;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fixgate.app.json.Json;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One planned fix, ready to deliver: everything the pull request (or issue) says, and the files it writes. It is
 * the payload of a {@value DeliveryJobHandler#KIND} job, so it is plain data that round-trips through JSON; the
 * gate decision is carried per layer ({@link LayerDecision}) because the SPI's {@link GateDecision} is a sealed
 * interface without a JSON form.
 *
 * @param repository   {@code owner/name}
 * @param control      canonical control id, e.g. {@code aws.s3.bucket_versioning}
 * @param severity     lower-case severity of the initiative
 * @param files        path → new full text of each changed file
 * @param diff         unified diff of the change (original → new)
 * @param rollback     how to undo the change (from the playbook)
 * @param compliance   framework → controls (from the playbook)
 * @param evidence     evidence lines; untrusted, redacted before use
 * @param decisionIds  the {@code gate_decisions} rows behind {@code decisions}, one per resource (empty when the
 *                     decisions were not recorded)
 * @param verdicts     every gate engine's own verdict, for the body and the check run
 * @param revertOf     for a revert ({@code /fixgate revert}): the merged pull request it undoes; 0 for a fix
 * @param revertSha    for a revert: the merge commit it undoes; empty for a fix
 * @param rciHistory   the remediation's RCI each time it changed, oldest first (the evolving RCI); empty before the
 *                     remediation is stored
 * @param group        which of the initiative's proposals this is, stable while the resources in it change: the gate's
 *                     action and the grouping key (e.g. {@code automerge:*}); names the branch and the issue. Empty
 *                     for a revert (and for payloads queued before groups existed)
 * @param supersedes   numbers of the initiative's earlier pull requests and issues in the repository that no proposal
 *                     carries any more (every resource in them moved to another group, e.g. its evidence turned
 *                     UNSAFE): they are closed, pointing to this one, when this proposal is delivered
 */
public record FixProposal(String repository, long installationId, String initiativeId, String control,
                          String severity, List<FindingSummary> findings, List<String> resources,
                          Map<String, String> files, String diff, Rci rci, Blast blastRadius,
                          List<LayerDecision> decisions, String rollback, Map<String, List<String>> compliance,
                          List<String> evidence, List<Long> decisionIds, List<EngineVerdict> verdicts, int revertOf,
                          String revertSha, List<RciStep> rciHistory, String group, List<Integer> supersedes) {

    public FixProposal {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(initiativeId, "initiativeId");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(rci, "rci");
        severity = severity == null ? "unknown" : severity;
        findings = List.copyOf(findings);
        resources = List.copyOf(resources);
        files = Map.copyOf(files);
        diff = diff == null ? "" : diff;
        blastRadius = blastRadius == null ? new Blast("resource", List.of(), List.of()) : blastRadius;
        decisions = List.copyOf(decisions);
        if (decisions.isEmpty()) {
            throw new IllegalArgumentException("a proposal carries at least one gate decision");
        }
        rollback = rollback == null ? "" : rollback;
        compliance = Map.copyOf(compliance);
        evidence = List.copyOf(evidence);
        decisionIds = decisionIds == null ? List.of() : List.copyOf(decisionIds);
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
        revertSha = revertSha == null ? "" : revertSha;
        rciHistory = rciHistory == null ? List.of() : List.copyOf(rciHistory);
        group = group == null ? "" : group;
        supersedes = supersedes == null ? List.of() : List.copyOf(supersedes);
    }

    /** A fix proposal (not a revert). */
    public FixProposal(String repository, long installationId, String initiativeId, String control, String severity,
                       List<FindingSummary> findings, List<String> resources, Map<String, String> files, String diff,
                       Rci rci, Blast blastRadius, List<LayerDecision> decisions, String rollback,
                       Map<String, List<String>> compliance, List<String> evidence, List<Long> decisionIds,
                       List<EngineVerdict> verdicts) {
        this(repository, installationId, initiativeId, control, severity, findings, resources, files, diff, rci,
                blastRadius, decisions, rollback, compliance, evidence, decisionIds, verdicts, 0, "", List.of(), "",
                List.of());
    }

    /** A revert of a merged fix ({@code /fixgate revert}). */
    public static FixProposal revert(FixProposal of, long installationId, Map<String, String> files, String diff, Rci rci,
                                     LayerDecision decision, int revertOf, String revertSha) {
        return new FixProposal(of.repository(), installationId, of.initiativeId(), of.control(), of.severity(),
                of.findings(), of.resources(), files, diff, rci, of.blastRadius(), List.of(decision), of.rollback(),
                of.compliance(), of.evidence(), List.of(), List.of(), revertOf, revertSha, List.of(), "", List.of());
    }

    /**
     * One assessment in the RCI history.
     *
     * @param blast    the blast radius' scope and size, e.g. {@code resource (1)}
     * @param evidence the evidence that decided, one line per kind
     */
    public record RciStep(Instant at, dev.fixgate.spi.assess.RciLevel level, double confidence, String blast,
                          List<String> evidence) {
        public RciStep {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(level, "level");
            blast = blast == null ? "" : blast;
            evidence = evidence == null ? List.of() : List.copyOf(evidence);
        }
    }

    /** The same proposal with its RCI history. */
    public FixProposal withRciHistory(List<RciStep> history) {
        return new FixProposal(repository, installationId, initiativeId, control, severity, findings, resources, files,
                diff, rci, blastRadius, decisions, rollback, compliance, evidence, decisionIds, verdicts, revertOf,
                revertSha, history, group, supersedes);
    }

    /** The same proposal as the given group of its initiative. */
    public FixProposal inGroup(String group) {
        return new FixProposal(repository, installationId, initiativeId, control, severity, findings, resources, files,
                diff, rci, blastRadius, decisions, rollback, compliance, evidence, decisionIds, verdicts, revertOf,
                revertSha, rciHistory, group, supersedes);
    }

    /** The same proposal, closing the pull requests and issues {@code numbers} when it is delivered. */
    public FixProposal superseding(List<Integer> numbers) {
        return new FixProposal(repository, installationId, initiativeId, control, severity, findings, resources, files,
                diff, rci, blastRadius, decisions, rollback, compliance, evidence, decisionIds, verdicts, revertOf,
                revertSha, rciHistory, group, numbers);
    }

    /** Whether this proposal undoes a merged fix. */
    public boolean reverting() {
        return revertOf > 0;
    }

    /**
     * One gate engine's verdict on the proposal's resources.
     *
     * @param engine   {@code cel}, {@code opa}, {@code context-rules}, {@code llm:<model>}, {@code approval}
     * @param outcome  {@code allow}, {@code needs_approval} or {@code deny}
     * @param policies the ids of the policies that restricted the fix (empty for an allow)
     */
    public record EngineVerdict(GateLayer layer, String engine, String outcome, List<String> policies,
                                List<String> reasons) {
        public EngineVerdict {
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(outcome, "outcome");
            policies = policies == null ? List.of() : List.copyOf(policies);
            reasons = reasons == null ? List.of() : List.copyOf(reasons);
        }
    }

    /** One finding behind the initiative. {@code title} and {@code source} come from a scanner: untrusted. */
    public record FindingSummary(String fingerprint, String source, String title, int sightings, Instant firstSeen) {
        public FindingSummary {
            Objects.requireNonNull(fingerprint, "fingerprint");
        }
    }

    /** The blast radius as reviewers read it. */
    public record Blast(String scope, List<String> affected, List<String> notes) {
        public Blast {
            affected = List.copyOf(affected);
            notes = List.copyOf(notes);
        }
    }

    /** One gate layer's decision, in a JSON-friendly form. */
    public record LayerDecision(GateLayer layer, String outcome, List<String> reasons, int approvals,
                                List<String> approvers) {
        public LayerDecision {
            Objects.requireNonNull(layer, "layer");
            reasons = List.copyOf(reasons);
            approvers = approvers == null ? List.of() : List.copyOf(approvers);
        }

        public static LayerDecision of(GateDecision d) {
            return switch (d) {
                case GateDecision.Allow a -> new LayerDecision(a.layer(), "allow", a.reasons(), 0, List.of());
                case GateDecision.NeedsApproval n -> new LayerDecision(n.layer(), "needs-approval", n.reasons(),
                        n.approvals(), n.approvers());
                case GateDecision.Deny x -> new LayerDecision(x.layer(), "deny", x.reasons(), 0, List.of());
            };
        }

        public GateDecision toGate() {
            return switch (outcome) {
                case "allow" -> new GateDecision.Allow(layer, reasons);
                case "needs-approval" -> new GateDecision.NeedsApproval(layer, reasons, Math.max(1, approvals), approvers);
                case "deny" -> new GateDecision.Deny(layer, reasons.isEmpty() ? List.of("denied") : reasons);
                default -> throw new IllegalArgumentException("unknown gate outcome '" + outcome + "'");
            };
        }
    }

    /**
     * What the proposal changes, as a hash (SHA-256 over the changed files' paths and texts, in path order): how a
     * rejected plan is recognised when the same plan comes round again.
     */
    public String planHash() {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            new java.util.TreeMap<>(files).forEach((path, text) -> {
                md.update(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
            });
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same proposal citing other recorded decisions. */
    public FixProposal withDecisionIds(List<Long> ids) {
        return new FixProposal(repository, installationId, initiativeId, control, severity, findings, resources, files,
                diff, rci, blastRadius, decisions, rollback, compliance, evidence, ids, verdicts, revertOf, revertSha,
                rciHistory, group, supersedes);
    }

    /** The effective decision: the strictest of the layers ({@link GateDecision#stricter}). */
    public GateDecision decision() {
        GateDecision d = decisions.getFirst().toGate();
        for (LayerDecision l : decisions.subList(1, decisions.size())) {
            d = GateDecision.stricter(d, l.toGate());
        }
        return d;
    }

    /** The first twelve hex digits of the first finding's fingerprint, or of the initiative id. */
    public String shortFingerprint() {
        String source = findings.isEmpty() ? initiativeId : findings.getFirst().fingerprint();
        String hex = source.replaceAll("[^0-9a-fA-F]", "").toLowerCase(java.util.Locale.ROOT);
        if (hex.length() < 8) {
            hex = Integer.toHexString(source.hashCode()) + hex;
        }
        return hex.substring(0, Math.min(12, hex.length()));
    }

    public String owner() {
        return repository.substring(0, repository.indexOf('/'));
    }

    public String name() {
        return repository.substring(repository.indexOf('/') + 1);
    }

    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static FixProposal fromJson(String json) throws JsonProcessingException {
        return Json.mapper().readValue(json, FixProposal.class);
    }
}
