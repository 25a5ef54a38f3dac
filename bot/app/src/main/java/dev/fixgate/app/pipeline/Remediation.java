package dev.fixgate.app.pipeline;

import dev.fixgate.app.assess.Assessment;
import dev.fixgate.app.assess.Assessor;
import dev.fixgate.app.enrich.Observation;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.enrich.Enricher;
import dev.fixgate.app.enrich.Enrichment;
import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.app.group.Scopes;
import dev.fixgate.app.locate.CloudMap;
import dev.fixgate.app.locate.FindingLocator;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.InitiativeId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One resource's way through the chain: select the playbook, locate the resource, then plan, enrich, assess and gate its
 * fix — each stage called once — into one immutable {@link RemediationResult}. {@link RemediationRun} drives it
 * for a repository; the remediation job, {@code fixgate assess}, {@code fixgate plan} and the demo all use it,
 * and nothing else chains the stages (an ArchUnit rule holds every stage entry point to this package).
 */
public final class Remediation {

    /**
     * The stage entry points, one method per stage in pipeline order. {@link #standard} calls the real ones;
     * tests wrap them to count calls.
     */
    public interface Stages {
        Optional<Playbook> select(Finding finding);

        /** Locate's view of a checkout: its code and the states, tags and stacks that map cloud resources to it. */
        CloudMap map(RepoScan scan, String repository, RepoConfig config);

        FindingLocator.Result locate(CloudMap map, Finding finding, Playbook playbook);

        Planner.Item plan(Planner.Request request, Map<String, Object> params);

        /** What is known about the resource: the kinds its playbook names, its environment, tags, owner, incidents. */
        Enrichment enrich(EvidenceSource source, Finding finding, RepoScan.Located located, Playbook playbook,
                          Instant now);

        /**
         * Puts planned fixes that share a pull request together (no resource is planned again unless they overlap);
         * {@code params} are the repository's playbook parameters, for a fix that must be applied again.
         */
        Planner.Result compose(List<Planner.Item> items, Map<String, Map<String, Object>> params);

        Assessment assess(Playbook playbook, RepoScan.Located located, Map<String, Observation> evidence,
                          Planner.Item plan, Instant now, RepoConfig config);

        RemediationSafety.ResourceDecision gate(RemediationSafety.ResourceCase c);

        /** The stages as the catalog, the planner, the gate and the Terraform state sources define them. */
        static Stages standard(PlaybookCatalog catalog, Planner planner, RemediationSafety gate, StateSources states) {
            Assessor assessor = new Assessor();
            Enricher enricher = new Enricher();
            return new Stages() {
                @Override
                public Optional<Playbook> select(Finding finding) {
                    return catalog.select(finding);
                }

                @Override
                public CloudMap map(RepoScan scan, String repository, RepoConfig config) {
                    return CloudMap.of(scan, repository, config, states);
                }

                @Override
                public FindingLocator.Result locate(CloudMap map, Finding finding, Playbook playbook) {
                    return FindingLocator.locate(map, finding, playbook);
                }

                @Override
                public Planner.Item plan(Planner.Request request, Map<String, Object> params) {
                    return planner.plan(request, params);
                }

                @Override
                public Enrichment enrich(EvidenceSource source, Finding finding, RepoScan.Located located,
                                         Playbook playbook, Instant now) {
                    return enricher.enrich(source, finding, located.resource(), playbook, now);
                }

                @Override
                public Planner.Result compose(List<Planner.Item> items, Map<String, Map<String, Object>> params) {
                    return planner.compose(items, params);
                }

                @Override
                public Assessment assess(Playbook playbook, RepoScan.Located located, Map<String, Observation> evidence,
                                         Planner.Item plan, Instant now, RepoConfig config) {
                    return assessor.assess(playbook, located.resource(), located.siblings(), evidence, plan.status(),
                            plan.code(), now, config.evidence().maxAge());
                }

                @Override
                public RemediationSafety.ResourceDecision gate(RemediationSafety.ResourceCase c) {
                    return gate.decide(c);
                }
            };
        }
    }

    /**
     * A located resource and every finding that reported it (two tools, or a cloud scanner and an IaC scanner,
     * reporting one bucket make one fix).
     *
     * @param findings at least one; the first is the one the decision input describes
     */
    public record Subject(List<Finding> findings, Playbook playbook, RepoScan.Located located) {
        public Subject {
            findings = List.copyOf(findings);
            if (findings.isEmpty()) {
                throw new IllegalArgumentException("a subject has at least one finding");
            }
            Objects.requireNonNull(playbook, "playbook");
            Objects.requireNonNull(located, "located");
        }

        public Finding finding() {
            return findings.getFirst();
        }

        /** What makes two subjects one fix: the playbook and the resource block. */
        public String key() {
            return playbook.id() + "|" + located.resource().file() + "|" + located.resource().address();
        }

        public Subject with(Finding another) {
            List<Finding> all = new java.util.ArrayList<>(findings);
            all.add(another);
            return new Subject(all, playbook, located);
        }
    }

    /** What a run knows besides the resource: the repository, the evidence, its configuration and the instant. */
    public record Context(String repository, Optional<InitiativeId> initiative, EvidenceSource evidence,
                          RepoConfig config, Instant now) {
        public Context {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(initiative, "initiative");
            Objects.requireNonNull(evidence, "evidence");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(now, "now");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Remediation.class);

    private final Stages stages;

    public Remediation(Stages stages) {
        this.stages = Objects.requireNonNull(stages, "stages");
    }

    /** Select: the playbook that fixes the finding's control, if the catalog has one. */
    public Optional<Playbook> select(Finding finding) {
        return stages.select(finding);
    }

    /** What locate searches in one checkout: its code, Terraform state, tags and stacks (states read on first need). */
    public CloudMap map(RepoScan scan, String repository, RepoConfig config) {
        return stages.map(scan, repository, config);
    }

    /** Locate: the one resource block of the checkout the finding is about, or why there is none. */
    public FindingLocator.Result locate(CloudMap map, Finding finding, Playbook playbook) {
        return stages.locate(map, finding, playbook);
    }

    /** The fixes of resources that share a change, put together ({@link Planner#compose}), with the repository's params. */
    public Planner.Result compose(List<Planner.Item> items, RepoConfig config) {
        return stages.compose(items, config.playbookParams());
    }

    /**
     * Plan, enrich, assess and gate the fix of one located resource, each once. Never throws: a plan that fails is a
     * refusal (the planner's contract), and an assessment that fails is {@link RemediationSafety#failed} — denied
     * and recorded only — so one broken resource never takes the others of a run down.
     */
    public RemediationResult remediate(Subject s, Context ctx) {
        return remediate(s, ctx, plan(s, ctx));
    }

    /**
     * The fix of each subject, in order. Each resource is planned on its own, from the checkout's text (planning
     * reads, never writes, shared state), so they are planned in parallel: it is most of {@code fixgate plan}'s work.
     */
    public List<Planner.Item> plan(List<Subject> subjects, Context ctx) {
        return subjects.parallelStream().map(s -> plan(s, ctx)).toList();
    }

    private Planner.Item plan(Subject s, Context ctx) {
        // the repository's playbooks.<id>.params (.github/fixgate.yml) over the playbook's declared defaults
        return stages.plan(new Planner.Request(s.playbook(), s.located(), source(s.finding())),
                ctx.config().params(s.playbook().id()));
    }

    /** As {@link #remediate(Subject, Context)}, with the subject's fix already planned ({@link #plan(List, Context)}). */
    public RemediationResult remediate(Subject s, Context ctx, Planner.Item plan) {
        Finding finding = s.finding();
        ModelResource r = s.located().resource();
        String resourceId = finding.resource() instanceof CloudResource c ? c.id() : r.address();
        String account = finding.resource() instanceof CloudResource c ? c.account() : "";
        InitiativeId initiative = ctx.initiative()
                .orElseGet(() -> InitiativeId.of(finding.control(), scope(finding, r.file(), ctx.repository())));
        Map<String, Observation> evidence;
        Map<String, Observation> accountEvidence;
        List<String> unavailable = List.of();
        Instant decidedAt = ctx.now();
        Assessment assessment;
        try {
            Enrichment known = stages.enrich(ctx.evidence(), finding, s.located(), s.playbook(), ctx.now());
            evidence = known.resource();
            accountEvidence = known.account();
            unavailable = known.unavailable();
            decidedAt = known.decideAt(ctx.now());
            assessment = stages.assess(s.playbook(), s.located(), evidence, plan, decidedAt, ctx.config());
        } catch (RuntimeException e) {
            LOG.atError().setMessage("assessment failed; the fix is denied and recorded only")
                    .addKeyValue("resource", resourceId).setCause(e).log();
            RemediationSafety.ResourceDecision failed = RemediationSafety.failed(initiative, resourceId, s.playbook().id(),
                    "the assessment failed (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return new RemediationResult(initiative, s, plan, unavailable,
                    new Assessment(failed.rci(), failed.blastRadius()), failed, java.util.OptionalLong.empty());
        }
        RemediationSafety.ResourceDecision decision = stages.gate(new RemediationSafety.ResourceCase(initiative,
                finding, s.playbook(), resourceId, r.type(), r.address(), r.file(), plan.status(), plan.code(),
                plan.diff(), evidence, accountEvidence, account, assessment.rci(), assessment.blastRadius(),
                ctx.config(), decidedAt));
        return new RemediationResult(initiative, s, plan, unavailable, assessment, decision,
                java.util.OptionalLong.empty());
    }

    /** As group does: by account before locate; by repository and module once the code is known. */
    public static String scope(Finding finding, String file, String repo) {
        if (file.isEmpty()) {
            return Scopes.of(finding.resource());
        }
        int slash = file.lastIndexOf('/');
        return "repo:" + repo + ":" + (slash < 0 ? "." : file.substring(0, slash));
    }

    private static String source(Finding f) {
        return f.sourceTool() + ":" + f.sourceControlId() + ":" + switch (f.resource()) {
            case CloudResource c -> c.id();
            case CodeResource c -> c.path() + (c.address().isEmpty() ? ":" + c.line() : " " + c.address());
        };
    }
}
