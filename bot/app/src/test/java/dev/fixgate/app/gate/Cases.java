package dev.fixgate.app.gate;

import dev.fixgate.app.assess.Assessment;
import dev.fixgate.app.assess.Assessor;
import dev.fixgate.app.enrich.EvidenceIndex;
import dev.fixgate.app.enrich.Observation;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Playbooks, findings and configurations for the gate's scenario and property tests. */
final class Cases {

    /** A Wednesday, 10:00 UTC. */
    static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");
    static final Instant OBSERVED = Instant.parse("2026-11-17T08:00:00Z");
    static final ControlId TLS = ControlId.canonical("aws.s3.bucket.ssl_requests_only");
    static final ControlId SG = ControlId.canonical("aws.ec2.security_group.restricted_ingress");
    static final InitiativeId INITIATIVE = InitiativeId.of(TLS, "account:111122223333");

    private Cases() {
    }

    /** The seed's "no HTTPS enforcement" playbook: SAFE only on evidence. */
    static Playbook tlsPlaybook() {
        return playbook("aws.s3.enforce_tls", TLS, new Playbook.Risk(RciLevel.RISKY, List.of("access"), false, List.of(
                new Playbook.EvidenceRule("s3.object_count", "value == 0", RciLevel.SAFE,
                        "the bucket is empty: no client can depend on it"),
                new Playbook.EvidenceRule("s3.http_requests_90d", "value == 0", RciLevel.SAFE,
                        "0 plain-HTTP requests in 90 days"),
                new Playbook.EvidenceRule("s3.http_requests_90d", "value > 0", RciLevel.UNSAFE,
                        "{value} plain-HTTP requests in 90 days would start failing"))),
                new Playbook.RollbackSpec("Remove the aws:SecureTransport deny statement.", false, false));
    }

    /** Restricting a security group's ingress: a network change, SAFE only when nothing is attached. */
    static Playbook sgPlaybook() {
        return playbook("aws.ec2.restrict_ingress", SG, new Playbook.Risk(RciLevel.RISKY, List.of("network"), false, List.of(
                new Playbook.EvidenceRule("sg.attached_interfaces", "type(value) == int && value == 0", RciLevel.SAFE,
                        "no network interface uses the group"))),
                new Playbook.RollbackSpec("Restore the removed ingress rule.", false, false));
    }

    static Playbook playbook(String id, ControlId control, Playbook.Risk risk, Playbook.RollbackSpec rollback) {
        return new Playbook(id, id, Cloud.AWS, Severity.MEDIUM, "test playbook", List.of("terraform"),
                Map.of("terraform", List.of("aws_s3_bucket")), List.of(control), Map.of(), Map.of(), Map.of(), Map.of(),
                risk, "", rollback, new Playbook.Guardrails("none", Optional.empty(), Optional.empty(), Optional.empty()),
                Map.of(), List.of(), Optional.empty(), "");
    }

    static Finding finding(ControlId control, String arn, String title) {
        return new Finding("securityhub", arn, control, "S3.5", Severity.MEDIUM, "MEDIUM",
                new CloudResource(Cloud.AWS, "111122223333", "eu-west-1", "AwsS3Bucket", arn), title, true, NOW, NOW,
                SourceLocation.of("findings.json"));
    }

    static RepoConfig config(String yaml) {
        return RepoConfigLoader.parse("test", yaml);
    }

    static RepoConfig autonomous() {
        return config("mode: autonomous\nreviewers: {teams: [acme/platform], required_approvals: 1}\n");
    }

    static Observation seen(String resource, String kind, Object value) {
        return new Observation(resource, kind, value, OBSERVED, "");
    }

    /**
     * What the gate tests decide on, in the shape the earlier stages hand it over: the located resource, the plan's
     * outcome and the evidence index. {@link #decide} assesses it (the assess stage) and gates it, as the pipeline
     * does for one resource.
     */
    record Case(InitiativeId initiative, Finding finding, Playbook playbook, String resourceId, String resourceType,
                String address, String file, List<ModelResource> module, Planner.Status patch, String patchCode,
                String diff, EvidenceIndex evidence, String account, RepoConfig config, Instant now) {

        Case withPatch(Planner.Status status, String code) {
            return new Case(initiative, finding, playbook, resourceId, resourceType, address, file, module, status, code,
                    status == Planner.Status.PATCHED ? diff : "", evidence, account, config, now);
        }

        Case withPlaybook(Playbook p) {
            return new Case(initiative, finding, p, resourceId, resourceType, address, file, module, patch, patchCode,
                    diff, evidence, account, config, now);
        }

        Case withEvidence(EvidenceIndex index) {
            return new Case(initiative, finding, playbook, resourceId, resourceType, address, file, module, patch,
                    patchCode, diff, index, account, config, now);
        }
    }

    /** Assess (RCI and blast radius from the evidence) and gate one case. */
    static RemediationSafety.ResourceDecision decide(RemediationSafety safety, Case c) {
        Map<String, Observation> evidence = c.evidence().latest(java.util.Set.of(c.resourceId(), c.address()));
        Map<String, Observation> account = c.account().isEmpty() ? Map.of()
                : c.evidence().latest(java.util.Set.of(c.account()));
        ModelResource resource = c.module().stream().filter(m -> m.address().equals(c.address())).findFirst()
                .orElse(single(c.address()));
        Assessment a = new Assessor().assess(c.playbook(), resource, c.module(), evidence, c.patch(), c.patchCode(),
                c.now(), c.config().evidence().maxAge());
        return safety.decide(new RemediationSafety.ResourceCase(c.initiative(), c.finding(), c.playbook(), c.resourceId(),
                c.resourceType(), c.address(), c.file(), c.patch(), c.patchCode(), c.diff(), evidence, account,
                c.account(), a.rci(), a.blastRadius(), c.config(), c.now()));
    }

    static Case bucket(String name, List<Observation> evidence, RepoConfig config, Instant now) {
        String arn = "arn:aws:s3:::" + name;
        return new Case(INITIATIVE, finding(TLS, arn, "S3 bucket does not require TLS"),
                tlsPlaybook(), arn, "aws_s3_bucket", "aws_s3_bucket." + name.replace('-', '_'), "main.tf",
                List.of(single("aws_s3_bucket." + name.replace('-', '_'))), Planner.Status.PATCHED, "",
                "--- a/main.tf\n+++ b/main.tf\n@@ -1 +1,2 @@\n", new EvidenceIndex(evidence), "111122223333", config, now);
    }

    static ModelResource single(String address) {
        String[] parts = address.split("\\.");
        return new ModelResource("terraform", parts[0], parts[1], address, "main.tf", 1, 3, Map.of(), Map.of(), List.of(),
                "single");
    }
}
