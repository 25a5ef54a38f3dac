package dev.fixgate.policy;

import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.assess.RciReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Decision inputs for tests: a SAFE, unremarkable fix that every built-in policy lets through. */
final class Inputs {

    static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");

    private Inputs() {
    }

    static DecisionInput safe() {
        return new DecisionInput(NOW,
                new DecisionInput.Resource("arn:aws:s3:::logs", "aws_s3_bucket", "aws_s3_bucket.logs", "main.tf",
                        Map.of("team", "platform"), List.of()),
                new DecisionInput.FindingInfo("aws.s3.bucket.ssl_requests_only", "MEDIUM", "S3 bucket allows HTTP",
                        "securityhub"),
                new DecisionInput.PlaybookInfo("aws.s3.enforce_tls", false),
                List.of("access"), "development", rci(RciLevel.SAFE),
                new DecisionInput.Blast(1, 1, List.of(), true), DecisionInput.Calendar.open(),
                DecisionInput.Incidents.none(), DecisionInput.Patch.changed(), "--- a/main.tf\n+++ b/main.tf\n",
                List.of(new DecisionInput.EvidenceItem("s3.http_requests_90d", 0L, NOW)),
                new DecisionInput.Settings("autonomous", 10, 25, List.of(), true));
    }

    static Rci rci(RciLevel level) {
        return new Rci(level, 1.0, List.of(new RciReason("evidence", "test", "test level " + level, level)));
    }

    static DecisionInput withRci(DecisionInput in, RciLevel level) {
        return new DecisionInput(in.now(), in.resource(), in.finding(), in.playbook(), in.actions(), in.environment(),
                rci(level), in.blastRadius(), in.calendar(), in.incidents(), in.patch(), in.diff(), in.evidence(),
                in.config());
    }

    static DecisionInput withResource(DecisionInput in, DecisionInput.Resource r) {
        return new DecisionInput(in.now(), r, in.finding(), in.playbook(), in.actions(), in.environment(), in.rci(),
                in.blastRadius(), in.calendar(), in.incidents(), in.patch(), in.diff(), in.evidence(), in.config());
    }

    static DecisionInput withCalendar(DecisionInput in, DecisionInput.Calendar c) {
        return new DecisionInput(in.now(), in.resource(), in.finding(), in.playbook(), in.actions(), in.environment(),
                in.rci(), in.blastRadius(), c, in.incidents(), in.patch(), in.diff(), in.evidence(), in.config());
    }

    static DecisionInput withIncidents(DecisionInput in, DecisionInput.Incidents i) {
        return new DecisionInput(in.now(), in.resource(), in.finding(), in.playbook(), in.actions(), in.environment(),
                in.rci(), in.blastRadius(), in.calendar(), i, in.patch(), in.diff(), in.evidence(), in.config());
    }

    static DecisionInput with(DecisionInput in, List<String> actions, String environment, DecisionInput.Blast blast,
                              DecisionInput.Patch patch, DecisionInput.PlaybookInfo playbook) {
        return new DecisionInput(in.now(), in.resource(), in.finding(), playbook, actions, environment, in.rci(), blast,
                in.calendar(), in.incidents(), patch, in.diff(), in.evidence(), in.config());
    }
}
