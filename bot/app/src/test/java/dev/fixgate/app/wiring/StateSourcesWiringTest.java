package dev.fixgate.app.wiring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.ConfigProblem;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.config.ServiceConfigLoader;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.locate.StateSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fixgate.yml's terraform_state section, and the S3 reader the wiring builds from it, against a local S3 stand-in. */
class StateSourcesWiringTest {

    @TempDir
    Path dir;

    private final WireMockServer s3 = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    @BeforeEach
    void start() {
        s3.start();
        // the SDK's default credential chain reads these first; set for this test only
        System.setProperty("aws.accessKeyId", "AKIDWIRING");
        System.setProperty("aws.secretAccessKey", "wiring-test-secret");
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        s3.stop();
    }

    @Test
    void theConfiguredEndpointRegionAndPathStyleReachTheStateObject() throws Exception {
        ServiceConfig config = ServiceConfigLoader.fromText("fixgate.yml", """
                terraform_state:
                  max_bytes: 4096
                  s3:
                    endpoint: %s
                    path_style: true
                    region: eu-central-1
                    timeout_seconds: 5
                """.formatted(s3.baseUrl()), dir, Map.of());
        s3.stubFor(get(urlPathEqualTo("/acme-tfstate/app.tfstate")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"version": 4, "resources": [{"mode": "managed", "type": "aws_s3_bucket", "name": "b",
                          "instances": [{"attributes": {"id": "acme-b", "arn": "arn:aws:s3:::acme-b"}}]}]}""")));
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("main.tf"), """
                terraform {
                  backend "s3" {
                    bucket = "acme-tfstate"
                    key    = "app.tfstate"
                  }
                }
                resource "aws_s3_bucket" "b" {
                  bucket = "acme-b"
                }
                """);

        StateSources.Result result;
        try (StateSources sources = Wiring.stateSources(config.terraformState())) {
            result = sources.load(RepoScan.of(repo), List.of("default"));
        }

        assertThat(config.terraformState().s3Timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(result.problems()).isEmpty();
        assertThat(result.states()).singleElement().satisfies(s -> {
            assertThat(s.state().source()).isEqualTo("s3://acme-tfstate/app.tfstate");
            assertThat(s.state().instances()).extracting(i -> i.address()).containsExactly("aws_s3_bucket.b");
        });
        s3.verify(getRequestedFor(urlPathEqualTo("/acme-tfstate/app.tfstate")).withHeader("Authorization",
                matching("AWS4-HMAC-SHA256 Credential=AKIDWIRING/\\d{8}/eu-central-1/s3/aws4_request.*")));
        s3.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void s3TurnedOffReadsNothingRemoteAndBadSettingsNameTheKey() throws Exception {
        ServiceConfig off = ServiceConfigLoader.fromText("fixgate.yml", "terraform_state:\n  s3: {enabled: false}\n",
                dir, Map.of());
        assertThat(off.terraformState().s3Enabled()).isFalse();
        assertThat(ServiceConfigLoader.load(java.util.Optional.empty(), dir, Map.of()).terraformState())
                .isEqualTo(ServiceConfig.TerraformState.defaults());
        Path repo = Files.createDirectories(dir.resolve("off"));
        Files.writeString(repo.resolve("main.tf"), "terraform {\n  backend \"s3\" {\n    bucket = \"b\"\n    key = \"k\"\n  }\n}\n");
        try (StateSources sources = Wiring.stateSources(off.terraformState())) {
            assertThat(sources.load(RepoScan.of(repo), List.of("default")).problems())
                    .extracting(StateSources.Problem::code).containsExactly(StateSources.S3_OFF);
        }
        s3.verify(0, anyRequestedFor(anyUrl()));

        ConfigException bad = catchThrowableOfType(ConfigException.class, () -> ServiceConfigLoader.fromText("fixgate.yml",
                "terraform_state:\n  max_bytes: 10\n  s3:\n    endpoint: ftp://nope\n    regoin: x\n", dir, Map.of()));
        assertThat(bad.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "terraform_state.max_bytes", "terraform_state.s3.endpoint", "terraform_state.s3.regoin");
    }
}
