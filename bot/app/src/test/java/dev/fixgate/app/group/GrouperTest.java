package dev.fixgate.app.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.ResourceRef;
import dev.fixgate.spi.finding.Severity;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GrouperTest {

    private static final ControlId PAB = ControlId.canonical("aws.s3.bucket.public_access_block");
    private static final Instant T = Instant.parse("2026-11-20T08:00:00Z");

    private static Finding f(String tool, ResourceRef r, Severity s, boolean active) {
        return new Finding(tool, tool + r.key(), PAB, "x", s, s.name(), r, "", active, T, T, SourceLocation.of("f"));
    }

    private static CloudResource bucket(String account, String name) {
        return new CloudResource(Cloud.AWS, account, "", "AwsS3Bucket", "arn:aws:s3:::" + name);
    }

    @Test
    void groupsByControlAndAccountAndCountsEachFingerprintOnce() {
        Grouper g = new Grouper();
        Finding a = f("securityhub", bucket("1", "a"), Severity.MEDIUM, true);

        Grouper.Placement first = g.accept(a, a.fingerprint());
        Grouper.Placement again = g.accept(f("prowler", bucket("1", "a"), Severity.CRITICAL, true), a.fingerprint());
        g.accept(f("securityhub", bucket("1", "b"), Severity.LOW, true), f("securityhub", bucket("1", "b"), Severity.LOW, true).fingerprint());
        Finding other = f("securityhub", bucket("2", "c"), Severity.LOW, true);
        g.accept(other, other.fingerprint());

        assertThat(first).isEqualTo(new Grouper.Placement.Grouped(InitiativeId.of(PAB, "account:aws:1")));
        assertThat(again).isInstanceOf(Grouper.Placement.Duplicate.class);
        assertThat(g.distinctFindings()).isEqualTo(3);
        assertThat(g.tallies()).extracting(Grouper.Tally::scope, Grouper.Tally::findings, Grouper.Tally::severity)
                .containsExactly(
                        tuple("account:aws:1", 2, Severity.CRITICAL),
                        tuple("account:aws:2", 1, Severity.LOW));
    }

    @Test
    void codeFindingsAreGroupedByRepositoryAndModule() {
        assertThat(Scopes.of(new CodeResource("acme/infra", "modules/s3/main.tf", "aws_s3_bucket.b", "", 3)))
                .isEqualTo("repo:acme/infra:modules/s3");
        assertThat(Scopes.of(new CodeResource("", "main.tf", "", "", 3))).isEqualTo("repo:unknown:.");
        assertThat(Scopes.of(bucket("", "x"))).isEqualTo("account:aws:unknown");
    }

    @Test
    void inactiveFindingsAreCountedButJoinNoInitiative() {
        Grouper g = new Grouper();
        Finding passed = f("prowler", bucket("1", "a"), Severity.HIGH, false);
        assertThat(g.accept(passed, passed.fingerprint())).isInstanceOf(Grouper.Placement.Inactive.class);
        assertThat(g.distinctFindings()).isEqualTo(1);
        assertThat(g.tallies()).isEmpty();
    }

    @Test
    void aMillionFingerprintsFitInTheSet() {
        FingerprintSet set = new FingerprintSet();
        for (int i = 0; i < 1_000_000; i++) {
            set.add(Fingerprint.of(PAB, bucket("1", "b" + i)));
        }
        assertThat(set.size()).isEqualTo(1_000_000);
        assertThat(set.add(Fingerprint.of(PAB, bucket("1", "b42")))).isFalse();
    }
}
