package dev.fixgate.app.pipeline;

import dev.fixgate.app.assess.Assessment;
import dev.fixgate.app.enrich.Observation;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.enrich.Enrichment;
import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.app.locate.CloudMap;
import dev.fixgate.app.locate.FindingLocator;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.finding.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The real stages, with every call counted by what it was about (a finding, a resource block). */
final class CountingStages implements Remediation.Stages {

    private final Remediation.Stages real;
    final Map<String, AtomicInteger> selected = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> located = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> planned = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> enriched = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> assessed = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> gated = new ConcurrentHashMap<>();
    final AtomicInteger composed = new AtomicInteger();

    CountingStages(Remediation.Stages real) {
        this.real = real;
    }

    private static void count(Map<String, AtomicInteger> m, String key) {
        m.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    /** A finding as the counters name it: source, tool id and resource. */
    static String key(Finding f) {
        return f.sourceTool() + " " + f.sourceControlId() + " " + f.resource().key();
    }

    @Override
    public Optional<Playbook> select(Finding finding) {
        count(selected, key(finding));
        return real.select(finding);
    }

    @Override
    public CloudMap map(RepoScan scan, String repository, RepoConfig config) {
        return real.map(scan, repository, config);
    }

    /** Counted per finding and checkout: a finding is looked for once in each repository searched. */
    @Override
    public FindingLocator.Result locate(CloudMap map, Finding finding, Playbook playbook) {
        count(located, key(finding) + " in " + System.identityHashCode(map));
        return real.locate(map, finding, playbook);
    }

    @Override
    public Planner.Item plan(Planner.Request request, Map<String, Object> params) {
        count(planned, request.playbook().id() + " " + request.target().resource().file() + ":"
                + request.target().resource().address());
        return real.plan(request, params);
    }

    @Override
    public Enrichment enrich(EvidenceSource source, Finding finding, RepoScan.Located l, Playbook playbook,
                             Instant now) {
        count(enriched, playbook.id() + " " + l.resource().file() + ":" + l.resource().address());
        return real.enrich(source, finding, l, playbook, now);
    }

    @Override
    public Planner.Result compose(List<Planner.Item> items, Map<String, Map<String, Object>> params) {
        composed.incrementAndGet();
        return real.compose(items, params);
    }

    @Override
    public Assessment assess(Playbook playbook, RepoScan.Located l, Map<String, Observation> evidence, Planner.Item plan,
                             Instant now, RepoConfig config) {
        count(assessed, playbook.id() + " " + l.resource().file() + ":" + l.resource().address());
        return real.assess(playbook, l, evidence, plan, now, config);
    }

    @Override
    public RemediationSafety.ResourceDecision gate(RemediationSafety.ResourceCase c) {
        count(gated, c.playbook().id() + " " + c.file() + ":" + c.address());
        return real.gate(c);
    }
}
