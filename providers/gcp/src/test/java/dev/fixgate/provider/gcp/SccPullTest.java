package dev.fixgate.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.NoCredentials;
import dev.fixgate.localgcp.LocalGcp;
import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.ControlResolver;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.ParseLimits;
import dev.fixgate.spi.finding.Severity;
import dev.fixgate.spi.intake.FindingSource;
import dev.fixgate.spi.intake.PullFailedException;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SCC pull through the real client's REST transport against test/local-gcp, and its pages read back. */
class SccPullTest {

    static final String PROJECT = "shop-prod";
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    static final String FINDINGS = "/v1/projects/" + PROJECT + "/sources/-/findings";

    private LocalGcp gcp;
    private final ControlResolver controls = (tool, id) -> tool.equals("scc") && id.equals("BUCKET_POLICY_ONLY_DISABLED")
            ? ControlId.canonical("gcp.storage.bucket.uniform_access") : ControlId.unmapped(tool, id);

    @BeforeEach
    void start() {
        gcp = LocalGcp.start().maxPageSize(2);
        gcp.model()
                .sccFinding(PROJECT, "f1", "BUCKET_POLICY_ONLY_DISABLED", "ACTIVE", "MEDIUM",
                        "//storage.googleapis.com/shop-assets", "google.cloud.storage.Bucket", Instant.parse("2026-12-01T08:00:00Z"), T0)
                .sccFinding(PROJECT, "f2", "OPEN_SSH_PORT", "ACTIVE", "HIGH",
                        "//compute.googleapis.com/projects/shop-prod/global/firewalls/allow-ssh", "google.compute.Firewall",
                        Instant.parse("2026-12-01T09:00:00Z"), T0)
                .sccFinding(PROJECT, "f3", "PUBLIC_IP_ADDRESS", "INACTIVE", "HIGH",
                        "//compute.googleapis.com/projects/shop-prod/zones/europe-west1-b/instances/web-1",
                        "google.compute.Instance", Instant.parse("2026-12-01T07:00:00Z"), T0);
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    private FindingSource source() {
        var settings = new ProviderSettings(Map.of(SccFindings.ENDPOINT, gcp.endpoint()),
                List.of(new ProviderSettings.AccountAccess(PROJECT, "", "")), List.of(), Duration.ofSeconds(10),
                Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC), Map.of());
        return new GcpFindingSources().sources(settings, new GcpAccess(a -> NoCredentials.getInstance())).getFirst();
    }

    private List<Finding> read(List<FindingSource.Page> pages) {
        List<Finding> out = new ArrayList<>();
        for (FindingSource.Page p : pages) {
            Parsed parsed = Parsed.stream(new SccFindingParser(), new ByteArrayInputStream(p.body()),
                    Parsed.context(p.name(), controls, ParseLimits.defaults()));
            assertThat(parsed.rejections).isEmpty();
            out.addAll(parsed.findings);
        }
        return out;
    }

    @Test
    void everyPageOldestFirstActiveOpensInactiveResolvesAndTheCursorFiltersTheNextPull() throws Exception {
        FindingSource source = source();
        assertThat(source.id()).isEqualTo("gcp-scc");
        List<FindingSource.Page> pages = new ArrayList<>();

        source.pull(PROJECT, Instant.EPOCH, pages::add);

        assertThat(pages).hasSize(2);
        assertThat(pages).extracting(FindingSource.Page::newest)
                .containsExactly(Instant.parse("2026-12-01T08:00:00Z"), Instant.parse("2026-12-01T09:00:00Z"));
        List<Finding> findings = read(pages);
        assertThat(findings).extracting(Finding::sourceControlId)
                .containsExactly("PUBLIC_IP_ADDRESS", "BUCKET_POLICY_ONLY_DISABLED", "OPEN_SSH_PORT");
        assertThat(findings).extracting(Finding::active).containsExactly(false, true, true);
        Finding bucket = findings.get(1);
        assertThat(bucket.control().value()).isEqualTo("gcp.storage.bucket.uniform_access");
        assertThat(bucket.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(bucket.firstSeen()).isEqualTo(T0);
        assertThat(bucket.lastSeen()).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        CloudResource r = (CloudResource) bucket.resource();
        assertThat(r.key()).isEqualTo("//storage.googleapis.com/shop-assets");
        assertThat(r.account()).isEqualTo(PROJECT);
        assertThat(findings.get(2).control().value()).isEqualTo("unmapped:scc:OPEN_SSH_PORT");
        assertThat(gcp.calls()).allSatisfy(c -> assertThat(c.path()).isEqualTo(FINDINGS));
        assertThat(gcp.calls().getFirst().query()).contains("orderBy=event_time").doesNotContain("filter=");

        gcp.clearCalls();
        List<FindingSource.Page> next = new ArrayList<>();
        source.pull(PROJECT, Instant.parse("2026-12-01T09:00:00Z"), next::add);
        assertThat(read(next)).extracting(Finding::sourceControlId).containsExactly("OPEN_SSH_PORT");
        assertThat(java.net.URLDecoder.decode(gcp.calls().getFirst().query(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("event_time >= \"2026-12-01T09:00:00Z\"");
    }

    @Test
    void aDeniedListFailsThePullWithTheReadNamed() {
        gcp.fail(FINDINGS, 403, "PERMISSION_DENIED", 0, 1);
        List<FindingSource.Page> pages = new ArrayList<>();

        assertThatThrownBy(() -> source().pull(PROJECT, Instant.EPOCH, pages::add))
                .isInstanceOfSatisfying(PullFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PullFailedException.Reason.DENIED);
                    assertThat(e.getMessage()).contains("project " + PROJECT, "securitycenter.findings.list",
                            "PERMISSION_DENIED");
                });
        assertThat(pages).isEmpty();
    }

    @Test
    void throttlingIsAThrottledFailure() {
        gcp.fail(FINDINGS, 429, "RESOURCE_EXHAUSTED", 5, 1);
        assertThatThrownBy(() -> source().pull(PROJECT, Instant.EPOCH, p -> { }))
                .isInstanceOfSatisfying(PullFailedException.class,
                        e -> assertThat(e.reason()).isEqualTo(PullFailedException.Reason.THROTTLED));
    }
}
