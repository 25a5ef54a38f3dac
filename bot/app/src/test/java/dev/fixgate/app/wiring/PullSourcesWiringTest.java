package dev.fixgate.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.intake.FindingSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pull sources intake.pull names are found on the class path and read their clouds' accounts. */
class PullSourcesWiringTest {

    private static ServiceConfig.CloudAccess access(String account) {
        return new ServiceConfig.CloudAccess(List.of(), Map.of(), List.of(new ServiceConfig.Account(account, "", "", "")),
                Map.of());
    }

    @Test
    void eachNamedSourceIsBuiltForItsCloudsAccounts() {
        ServiceConfig.Evidence evidence = ServiceConfig.Evidence.defaults().withClouds(Map.of(
                "azure", access("00000000-0000-0000-0000-0000000000d1"), "gcp", access("shop-prod")));

        List<FindingSource> sources = Wiring.findingSources(new ServiceConfig.Pull(Duration.ofMinutes(30),
                List.of("azure-defender", "gcp-scc")), evidence, Clock.systemUTC());

        assertThat(sources).extracting(FindingSource::id).containsExactly("azure-defender", "gcp-scc");
        assertThat(sources).extracting(FindingSource::cloud).containsExactly(Cloud.AZURE, Cloud.GCP);
        assertThat(sources.get(0).accounts()).containsExactly("00000000-0000-0000-0000-0000000000d1");
        assertThat(sources.get(1).accounts()).containsExactly("shop-prod");
        assertThat(Wiring.findingSources(ServiceConfig.Pull.none(), evidence, Clock.systemUTC())).isEmpty();
    }

    @Test
    void aSourceWhoseCloudIsNotConfiguredIsRefused() {
        assertThatThrownBy(() -> Wiring.findingSources(new ServiceConfig.Pull(Duration.ofMinutes(30), List.of("gcp-scc")),
                ServiceConfig.Evidence.defaults(), Clock.systemUTC()))
                .isInstanceOf(FixgateException.class).hasMessageContaining("clouds.gcp is not configured");
    }

    @Test
    void theCatalogMapsTheSourcedDefenderKeysAndSccCategories() {
        assertThat(Wiring.controls().resolve("defender", "1c5de8e1-f68d-6a17-e0d2-ec259c42768c").value())
                .isEqualTo("azure.storage.account.https_only");
        assertThat(Wiring.controls().resolve("defender", "22e93e92-4a31-b4cd-d640-3ef908430aa6").value())
                .isEqualTo("azure.sql.server.public_network_access");
        assertThat(Wiring.controls().resolve("scc", "BUCKET_POLICY_ONLY_DISABLED").value())
                .isEqualTo("gcp.storage.bucket.uniform_access");
        assertThat(Wiring.controls().resolve("scc", "SSL_NOT_ENFORCED").value()).isEqualTo("gcp.sql.instance.require_ssl");
        assertThat(Wiring.controls().resolve("defender", "bc303248-3d14-44c2-96a0-55f5c326b5fe").isMapped()).isFalse();
    }
}
