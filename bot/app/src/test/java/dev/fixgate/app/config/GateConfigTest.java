package dev.fixgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration keys the gate reads, in both files, through the same schema-validating loaders. */
class GateConfigTest {

    @TempDir
    Path dir;

    @Test
    void repoConfigDefaultsAreConservative() {
        RepoConfig c = RepoConfig.defaults();
        assertThat(c.safety().maxResources()).isEqualTo(10);
        assertThat(c.safety().maxInstances()).isEqualTo(25);
        assertThat(c.safety().productionRequiresApproval()).isTrue();
        assertThat(c.reviewers().codeowners()).isTrue();
        assertThat(c.reviewers().approvalExpiryDays()).isZero();
        assertThat(c.exclusions().tags()).isEmpty();
    }

    @Test
    void repoConfigReadsTheGateKeys() {
        RepoConfig c = RepoConfigLoader.parse("f", """
                reviewers: {users: [alice], codeowners: false, approval_expiry_days: 7}
                exclusions: {tags: ["fixgate:skip", "team=legacy"]}
                blackouts:
                  - {name: year-end freeze, from: 2026-12-20T00:00:00Z, to: "2027-01-04T00:00:00Z"}
                high_traffic_events:
                  - {name: black friday, from: "2026-11-27T00:00:00Z", to: "2026-11-30T00:00:00Z"}
                blast_radius: {max_resources: 3, max_instances: 5}
                production: {require_approval: false}
                """);
        assertThat(c.reviewers().codeowners()).isFalse();
        assertThat(c.reviewers().approvalExpiryDays()).isEqualTo(7);
        assertThat(c.exclusions().tags()).containsExactly("fixgate:skip", "team=legacy");
        assertThat(c.safety().blackoutAt(Instant.parse("2026-12-24T00:00:00Z"))).map(RepoConfig.Period::name)
                .contains("year-end freeze");
        assertThat(c.safety().blackoutAt(Instant.parse("2027-01-04T00:00:00Z"))).isEmpty();
        assertThat(c.safety().highTrafficAt(Instant.parse("2026-11-28T00:00:00Z"))).containsExactly("black friday");
        assertThat(c.safety().maxResources()).isEqualTo(3);
        assertThat(c.safety().productionRequiresApproval()).isFalse();
    }

    @Test
    void badPeriodsAndUnknownKeysAreReported() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> RepoConfigLoader.parse("f", """
                blackouts: [{name: x, from: "2026-12-20T00:00:00Z", to: "2026-12-19T00:00:00Z"}]
                """));
        assertThat(e.getMessage()).contains("must end after it starts");
        e = catchThrowableOfType(ConfigException.class, () -> RepoConfigLoader.parse("f", "blast_radius: {max_resource: 3}\n"));
        assertThat(e.getMessage()).contains("did you mean 'max_resources'");
        e = catchThrowableOfType(ConfigException.class, () -> RepoConfigLoader.parse("f",
                "blackouts: [{name: x, from: next week, to: \"2026-12-19T00:00:00Z\"}]\n"));
        assertThat(e).isNotNull();
    }

    @Test
    void serviceConfigReadsReasoningOpaAndPolicies() {
        String key = "sk-live-0123456789abcdef-never-print";
        ServiceConfig c = ServiceConfigLoader.fromText("fixgate.yml", """
                reasoning: {provider: azure-openai, base_url: "https://acme.openai.azure.com/openai/v1", model: gpt-4o, timeout_seconds: 20}
                opa: {url: "http://127.0.0.1:8181", timeout_ms: 500}
                policies: {directories: [policies.d]}
                """, dir, Map.of("FIXGATE_REASONING_API_KEY", key));
        assertThat(c.gate().reasoning().configured()).isTrue();
        assertThat(c.gate().reasoning().apiKey().reveal()).isEqualTo(key);
        assertThat(c.gate().reasoning().timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.gate().opa().configured()).isTrue();
        assertThat(c.gate().opa().path()).isEqualTo("fixgate/decision");
        assertThat(c.gate().opa().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.gate().policyDirectories()).containsExactly(dir.resolve("policies.d"));
        assertThat(c.toString()).doesNotContain(key);
    }

    @Test
    void aModelWithoutEndpointIsAConfigurationError() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ServiceConfigLoader.fromText("fixgate.yml", "reasoning: {provider: openai}\n", dir, Map.of()));
        assertThat(e.getMessage()).contains("needs base_url and model");
        assertThat(ServiceConfigLoader.fromText("fixgate.yml", "", dir, Map.of()).gate().reasoning().configured()).isFalse();
        assertThat(List.of("none", "openai", "azure-openai", "anthropic", "ollama")).allSatisfy(p ->
                assertThat(ServiceConfigLoader.fromText("fixgate.yml", "reasoning: {provider: " + p
                        + ", base_url: \"http://x/v1\", model: m}\n", dir, Map.of()).gate().reasoning().provider()).isEqualTo(p));
    }
}
