package dev.fixgate.app.locate;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where state comes from: local files and workspaces, S3 backends completed by *.tfbackend files, and the limits. */
class StateSourcesTest {

    @TempDir
    Path repo;

    private final S3StandIn s3 = new S3StandIn();

    @AfterEach
    void stop() {
        s3.close();
    }

    private void write(String path, String text) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String bucketState(String module, String key, String bucket) {
        return """
                {"version": 4, "terraform_version": "1.6.2", "serial": 9, "lineage": "l", "outputs": {},
                 "resources": [{"module": "%s", "mode": "managed", "type": "aws_s3_bucket", "name": "this", "each": "map",
                   "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
                   "instances": [{"index_key": "%s", "schema_version": 0,
                     "attributes": {"id": "%s", "arn": "arn:aws:s3:::%s", "bucket": "%s"}}]}]}
                """.formatted(module, key, bucket, bucket, bucket);
    }

    private static Finding bucket(String name) {
        return new Finding("securityhub", "sh-" + name, new ControlId("aws.s3.bucket.versioning"), "S3.14", Severity.LOW,
                "LOW", new CloudResource(Cloud.AWS, "111111111111", "", "AwsS3Bucket", "arn:aws:s3:::" + name), "t", true,
                Instant.EPOCH, Instant.EPOCH, SourceLocation.of("t"));
    }

    private void liveModule() throws IOException {
        write("live/main.tf", """
                terraform {
                  backend "s3" {
                    encrypt = true
                  }
                }
                module "buckets" {
                  source = "../modules/buckets"
                }
                """);
        write("live/prod.s3.tfbackend", """
                bucket               = "acme-tfstate"
                key                  = "live/terraform.tfstate"
                region               = "eu-west-1"
                workspace_key_prefix = "workspaces"
                """);
        write("modules/buckets/main.tf", """
                resource "aws_s3_bucket" "this" {
                  for_each = var.buckets
                  bucket   = each.value
                }
                """);
    }

    @Test
    void anS3BackendCompletedByItsTfbackendFileIsReadForEachWorkspaceThroughTheSdk() throws IOException {
        liveModule();
        s3.object("acme-tfstate", "live/terraform.tfstate", bucketState("module.buckets", "logs", "acme-logs"));
        s3.object("acme-tfstate", "workspaces/prod/live/terraform.tfstate",
                bucketState("module.buckets", "logs", "acme-prod-logs"));
        try (StateSources sources = new StateSources(Optional.of(s3.reader()), 1 << 20)) {
            CloudMap map = CloudMap.of(RepoScan.of(repo), "acme/infra",
                    RepoConfigLoader.parse("t", "terraform:\n  workspaces: [default, prod]\n"), sources);

            FindingLocator.Result prod = FindingLocator.locate(map, bucket("acme-prod-logs"),
                    PlaybookCatalog.builtIn().byId("s3_bucket_versioning").orElseThrow());

            assertThat(prod).isInstanceOfSatisfying(FindingLocator.Result.Found.class, f -> {
                assertThat(f.located().resource().file()).isEqualTo("modules/buckets/main.tf");
                assertThat(f.located().resource().address()).isEqualTo("aws_s3_bucket.this");
                assertThat(f.via()).isEqualTo("terraform state s3://acme-tfstate/workspaces/prod/live/terraform.tfstate"
                        + " (workspace prod): module.buckets.aws_s3_bucket.this[\"logs\"]");
            });
            assertThat(map.problems()).isEmpty();
            assertThat(map.stateInstances()).isEqualTo(2);
        }
        s3.server.verify(getRequestedFor(urlPathEqualTo("/acme-tfstate/live/terraform.tfstate")));
        s3.server.verify(getRequestedFor(urlPathEqualTo("/acme-tfstate/workspaces/prod/live/terraform.tfstate")));
        s3.server.verify(2, anyRequestedFor(anyUrl()));
    }

    @Test
    void aPartialBackendOrS3TurnedOffIsInformationAMissingObjectIsNot() throws IOException {
        liveModule();
        write("other/main.tf", "terraform {\n  backend \"s3\" {\n    encrypt = true\n  }\n}\n");
        s3.error("acme-tfstate", "live/terraform.tfstate", 404, "NoSuchKey", "The specified key does not exist.");

        StateSources.Result off = StateSources.localOnly().load(RepoScan.of(repo), List.of("default"));
        StateSources.Result on;
        try (StateSources sources = new StateSources(Optional.of(s3.reader()), 1 << 20)) {
            on = sources.load(RepoScan.of(repo), List.of("default"));
        }

        assertThat(off.blocked()).isFalse();
        assertThat(off.problems()).extracting(StateSources.Problem::toString).containsExactlyInAnyOrder(
                "live/main.tf:2: s3://acme-tfstate/live/terraform.tfstate is not read: terraform_state.s3 is turned off"
                        + " in fixgate.yml [locate.backend-not-read]",
                "other/main.tf:2: backend \"s3\" names no bucket (given to terraform init); add a *.tfbackend file beside"
                        + " it with bucket, key and region for fixgate to read the state [locate.backend-partial]");
        assertThat(on.blocked()).isTrue();
        assertThat(on.problems()).extracting(StateSources.Problem::code)
                .containsExactlyInAnyOrder(S3StateReader.MISSING, StateSources.PARTIAL_BACKEND);
    }

    @Test
    void localStateIsBoundedAndSymbolicLinksAreNotFollowed() throws IOException {
        write("a/main.tf", "resource \"aws_s3_bucket\" \"this\" {\n  bucket = \"x\"\n}\n");
        write("a/terraform.tfstate", bucketState("", "k", "acme-a") + " ".repeat(4096));
        write("b/main.tf", "resource \"aws_s3_bucket\" \"this\" {\n  bucket = \"y\"\n}\n");
        Path secret = Files.writeString(repo.getParent().resolve(repo.getFileName() + "-outside.json"),
                bucketState("", "k", "acme-b"));
        Files.createSymbolicLink(repo.resolve("b/terraform.tfstate"), secret);
        try {
            StateSources.Result r = new StateSources(Optional.empty(), 2048).load(RepoScan.of(repo), List.of("default"));

            assertThat(r.states()).isEmpty();
            assertThat(r.problems()).extracting(StateSources.Problem::toString).containsExactlyInAnyOrder(
                    "a/terraform.tfstate: the state is " + Files.size(repo.resolve("a/terraform.tfstate"))
                            + " bytes, over the limit of 2048 bytes (terraform_state.max_bytes in fixgate.yml); not read"
                            + " [locate.state-too-large]",
                    "b/terraform.tfstate: a symbolic link; not followed [locate.state-symlink]");
            assertThat(r.blocked()).isTrue();
        } finally {
            Files.delete(secret);
        }
    }

    @Test
    void aCheckoutWithMoreStatesThanTheLimitReadsTheFirstAndSaysSoOnce() throws IOException {
        for (int i = 0; i < StateSources.MAX_STATES + 2; i++) {
            String dir = "stack%03d/".formatted(i);
            write(dir + "main.tf", "resource \"aws_s3_bucket\" \"this\" {\n  bucket = \"b\"\n}\n");
            write(dir + "terraform.tfstate", bucketState("", "k", "acme-" + i));
        }

        StateSources.Result r = StateSources.localOnly().load(RepoScan.of(repo), List.of("default"));

        assertThat(r.states()).hasSize(StateSources.MAX_STATES);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("locate.state-limit");
            assertThat(p.blocking()).isTrue();
        });
    }

    @Test
    void backendKeysOfWorkspaces() {
        ModuleSettings.Backend b = new ModuleSettings.Backend("main.tf:1", "b", "app/terraform.tfstate", "", "");
        assertThat(b.keyOf("default")).isEqualTo("app/terraform.tfstate");
        assertThat(b.keyOf("prod")).isEqualTo("env:/prod/app/terraform.tfstate");
        assertThat(CloudMap.join("live", "../modules/x")).contains("modules/x");
        assertThat(CloudMap.join(".", "./m")).contains("m");
        assertThat(CloudMap.join("live", "../../outside")).isEmpty();
    }
}
