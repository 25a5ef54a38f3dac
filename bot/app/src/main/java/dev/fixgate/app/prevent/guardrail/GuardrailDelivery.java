package dev.fixgate.app.prevent.guardrail;

import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.deliver.FixProposal;
import dev.fixgate.app.deliver.PullRequestContent;
import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.deliver.RepoConfigs;
import dev.fixgate.app.jobs.RetryLater;
import dev.fixgate.app.plan.UnifiedDiff;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.assess.RciReason;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.kohsuke.github.GHContent;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;

/**
 * Proposes one playbook's guardrail as pull requests into the guardrails repository that the reporting repository's
 * configuration names ({@code guardrails:} in its {@code .github/fixgate.yml} or its organisation's defaults): one per
 * target, on {@code fixgate/guardrail/<playbook>/<target>}, through the same {@link PullRequestDelivery} fix pull
 * requests go through — so it is idempotent the same way (the same control and target find the same branch and pull
 * request and update them; a branch a human pushed to is left alone), honours the guardrails repository's caps and
 * mode, and is gated as RISKY: the proposal carries a needs-approval decision, so the merge stage merges it only
 * after an authorised approval of its head, never by itself.
 *
 * <p>For AWS the target's files hold every fixgate guardrail for it, merged and packed: the base branch's
 * {@value AwsScpRenderer#MANIFEST} says which are there already, and the new playbook is added to them. Azure and
 * GCP guardrails are one file per playbook, so pull requests for one target never touch each other's files.
 */
public final class GuardrailDelivery {

    /** What became of the request for one target, or why nothing was proposed. */
    public sealed interface Outcome {
        /** Delivered: a pull request opened or updated (or an issue, in detect mode), or left to the human who pushed. */
        record Proposed(GuardrailTarget target, String repository, String branch, PullRequestDelivery.Outcome delivery,
                        RenderedGuardrails rendered) implements Outcome {
        }

        /** Nothing to deliver to: no guardrails repository, no target, or a configuration that is invalid. */
        record NotConfigured(String reason) implements Outcome {
        }

        /** The playbook has no guardrail for its cloud; its description says what to do instead. */
        record NoGuardrail(String playbook, Cloud cloud, String description) implements Outcome {
        }

        /** This target's guardrails cannot be rendered as delivered (quotas, parameters): nothing was written. */
        record Refused(GuardrailTarget target, String code, String message) implements Outcome {
        }
    }

    private final PullRequestDelivery delivery;
    private final GuardrailRenderer renderer;

    public GuardrailDelivery(PullRequestDelivery delivery, GuardrailRenderer renderer) {
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
    }

    /**
     * Proposes {@code request}'s guardrail on each of its targets.
     *
     * @throws RetryLater when the guardrails repository's caps hold a new pull request back: the job tries again
     */
    public List<Outcome> deliver(GitHub github, GuardrailRequest request) throws IOException, RetryLater {
        Playbook playbook = renderer.playbook(request.playbook());
        Cloud cloud = playbook.cloud();
        if (!GuardrailRenderer.hasGuardrail(playbook, cloud)) {
            return List.of(new Outcome.NoGuardrail(playbook.id(), cloud, playbook.guardrail().description()));
        }
        RepoConfig source;
        try {
            source = RepoConfigs.read(github, github.getRepository(request.repository()));
        } catch (ConfigException e) {
            return List.of(new Outcome.NotConfigured("the fixgate configuration of " + request.repository()
                    + " is invalid (" + e.problems().getFirst().location() + ")"));
        }
        RepoConfig.Guardrails settings = source.guardrails();
        if (!settings.configured()) {
            return List.of(new Outcome.NotConfigured("no guardrails.repository in " + (source.origin().files().isEmpty()
                    ? request.repository() + " (no fixgate.yml)" : String.join(" or ", source.origin().files()))));
        }
        List<GuardrailTarget> targets = new ArrayList<>();
        try {
            targets.addAll(targets(request, settings, source, cloud));
        } catch (GuardrailException e) {
            return List.of(new Outcome.NotConfigured(e.getMessage()));
        }
        if (targets.isEmpty()) {
            return List.of(new Outcome.NotConfigured("no " + cloud.id() + " target for " + request.repository()
                    + ": set guardrails.targets." + cloud.id() + " or list its " + cloud.id() + " accounts"));
        }
        GHRepository repo = github.getRepository(settings.repository());
        RepoConfig.Mode mode;
        try {
            mode = RepoConfigs.read(github, repo).mode();
        } catch (ConfigException e) {
            mode = RepoConfig.Mode.DETECT; // fail closed: an invalid configuration only reports (and delivery opens an issue)
        }
        GuardrailOptions options = new GuardrailOptions(GuardrailFormat.of(settings.format()), mode, settings.parameters(),
                settings.awsPoliciesPerTarget());
        List<Outcome> out = new ArrayList<>();
        for (GuardrailTarget target : targets) {
            out.add(deliver(github, repo, request, playbook, target, settings.path(), options));
        }
        return out;
    }

    private Outcome deliver(GitHub github, GHRepository repo, GuardrailRequest request, Playbook playbook,
                            GuardrailTarget target, String path, GuardrailOptions options) throws IOException, RetryLater {
        String base = repo.getDefaultBranch();
        String directory = path + "/" + target.cloud().id() + "/" + target.slug();
        SortedSet<String> already = new TreeSet<>();
        Map<String, String> current = new LinkedHashMap<>();
        RenderedGuardrails rendered;
        try {
            if (target.cloud() == Cloud.AWS) {
                java.util.Optional<String> manifest = read(repo, directory + "/" + AwsScpRenderer.MANIFEST, base);
                if (manifest.isPresent()) {
                    current.put(AwsScpRenderer.MANIFEST, manifest.get());
                    AwsScpRenderer.playbooksIn(manifest.get()).stream().filter(renderer::known).forEach(already::add);
                }
            }
            TreeSet<String> ids = new TreeSet<>(already);
            ids.add(playbook.id());
            rendered = renderer.render(target, ids, options);
            if (current.containsKey(AwsScpRenderer.MANIFEST)) {
                // a policy file the new packing no longer writes would stay behind with old statements: refuse instead
                for (String name : AwsScpRenderer.policyFilesIn(current.get(AwsScpRenderer.MANIFEST), options.format())) {
                    if (!rendered.files().containsKey(name)) {
                        throw new GuardrailException("guardrail.stale-policy", directory + "/" + name + " would no longer"
                                + " be written by the new packing and fixgate does not delete files in a pull request;"
                                + " remove it, or use the terraform format, which keeps all policies in one file");
                    }
                }
            }
        } catch (GuardrailException e) {
            return new Outcome.Refused(target, e.code(), directory + ": " + e.getMessage());
        }
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder diff = new StringBuilder();
        for (Map.Entry<String, String> f : rendered.files().entrySet()) {
            String repoPath = directory + "/" + f.getKey();
            files.put(repoPath, f.getValue());
            String before = current.containsKey(f.getKey()) ? current.get(f.getKey()) : read(repo, repoPath, base).orElse("");
            diff.append(UnifiedDiff.of(repoPath, before, f.getValue()).text());
        }
        String effect = target.cloud() == Cloud.AZURE
                ? AzurePolicyRenderer.policy(playbook, target, options).effect() : "";
        RepoConfig guardrailsConfig;
        try {
            guardrailsConfig = RepoConfigs.read(github, repo);
        } catch (ConfigException e) {
            guardrailsConfig = RepoConfig.defaults();
        }
        FixProposal proposal = proposal(repo.getFullName(), request, playbook, target, files, diff.toString(),
                guardrailsConfig.reviewers().requiredApprovals());
        PullRequestContent content = GuardrailPullRequest.of(playbook, target, rendered, directory, request, options,
                effect, already, playbook.severity().name());
        PullRequestDelivery.Outcome outcome = delivery.deliver(github, proposal, content);
        return new Outcome.Proposed(target, repo.getFullName(), content.branch(), outcome, rendered);
    }

    /** The targets the request names, else the configuration's for the cloud, else the repository's accounts of it. */
    private static List<GuardrailTarget> targets(GuardrailRequest request, RepoConfig.Guardrails settings, RepoConfig source,
                                                 Cloud cloud) {
        List<GuardrailTarget> out = new ArrayList<>();
        List<String> named = !request.targets().isEmpty() ? request.targets() : settings.targets(cloud.id());
        for (String id : named) {
            GuardrailTarget t = GuardrailTarget.parse(id);
            if (t.cloud() != cloud) {
                throw new GuardrailException("guardrail.wrong-cloud", "target " + id + " is " + t.cloud().id()
                        + ", and " + request.playbook() + " is a " + cloud.id() + " playbook");
            }
            out.add(t);
        }
        if (named.isEmpty()) {
            for (String account : source.accounts()) {
                GuardrailTarget.ofAccount(cloud, account).ifPresent(out::add);
            }
        }
        return out.stream().distinct().toList();
    }

    /**
     * The proposal the delivery code carries: the guardrail's files, RISKY with the reason, and a needs-approval
     * decision — a guardrail is never allowed to merge by itself.
     */
    private static FixProposal proposal(String repository, GuardrailRequest request, Playbook playbook,
                                        GuardrailTarget target, Map<String, String> files, String diff, int approvals) {
        String why = "a guardrail applies to everything under " + target + ", not to one resource";
        Rci rci = Rci.initial().with(new RciReason("prevent", "guardrail.organisation-wide", why, RciLevel.RISKY), 1.0);
        GateDecision decision = new GateDecision.NeedsApproval(GateLayer.POLICY, List.of("guardrails are always RISKY: "
                + why + "; an authorised reviewer approves it before it merges"), Math.max(1, approvals), List.of());
        List<FixProposal.FindingSummary> findings = request.findings().stream()
                .map(f -> new FixProposal.FindingSummary(f, "fixgate", playbook.title(), 1, null)).toList();
        return new FixProposal(repository, request.installationId(), GuardrailPullRequest.initiative(playbook, target),
                playbook.controls().getFirst().value(), playbook.severity().name().toLowerCase(Locale.ROOT), findings,
                List.of(target.id()), files, diff, rci,
                new FixProposal.Blast(target.kind().label(), List.of(target.id()), List.of(why)),
                List.of(FixProposal.LayerDecision.of(decision)), "Revert the pull request; see its Rollback section.",
                playbook.compliance(), List.of(), List.of(), List.of());
    }

    private static java.util.Optional<String> read(GHRepository repo, String path, String ref) throws IOException {
        try {
            GHContent content = repo.getFileContent(path, ref);
            return java.util.Optional.of(new String(content.read().readAllBytes(), StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            return java.util.Optional.empty();
        }
    }
}
