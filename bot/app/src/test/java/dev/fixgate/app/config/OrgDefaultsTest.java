package dev.fixgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fixgate.app.config.RepoConfig.Mode;
import dev.fixgate.app.config.RepoConfigLoader.Source;
import dev.fixgate.spi.error.SourceLocation;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An organisation's {@code .github} defaults under a repository's own {@code .github/fixgate.yml}. */
class OrgDefaultsTest {

    private static final String ORG = "acme/.github:.github/fixgate.yml";
    private static final String REPO = "acme/infra:.github/fixgate.yml";

    private static RepoConfig merged(String org, String repo) {
        return RepoConfigLoader.parse(Optional.of(new Source(ORG, org)), Optional.of(new Source(REPO, repo)));
    }

    private static ConfigException invalid(String org, String repo) {
        return catchThrowableOfType(ConfigException.class, () -> merged(org, repo));
    }

    @Test
    void theRepositoryOverridesTheDefaultsKeyByKeyAndMappingsMergeDeeply() {
        RepoConfig config = merged("""
                mode: detect
                reviewers:
                  teams: [acme/platform-security]
                  required_approvals: 2
                caps:
                  max_open_pull_requests: 3
                  max_pull_requests_per_day: 4
                grouping: control_directory
                """, """
                mode: assist
                reviewers:
                  required_approvals: 1
                caps:
                  max_open_pull_requests: 1
                """);

        assertThat(config.mode()).isEqualTo(Mode.ASSIST);
        assertThat(config.reviewers().teams()).containsExactly("acme/platform-security");
        assertThat(config.reviewers().requiredApprovals()).isEqualTo(1);
        assertThat(config.caps().maxOpenPullRequests()).isEqualTo(1);
        assertThat(config.caps().maxPullRequestsPerDay()).isEqualTo(4);
        assertThat(config.caps().maxPullRequestsPerHour()).as("set by neither: the default").isEqualTo(5);
        assertThat(config.grouping()).isEqualTo(RepoConfig.Grouping.CONTROL_DIRECTORY);
    }

    @Test
    void listsReplaceTheDefaultsListInsteadOfAppendingToIt() {
        RepoConfig config = merged("""
                exclusions:
                  paths: ["legacy/**", "vendor/**"]
                  controls: [aws.s3.bucket.logging]
                change_windows:
                  - {days: [mon], start: "09:00", end: "17:00"}
                  - {days: [tue], start: "09:00", end: "17:00"}
                """, """
                exclusions:
                  paths: ["generated/**"]
                change_windows: []
                """);

        assertThat(config.exclusions().paths()).containsExactly("generated/**");
        assertThat(config.exclusions().controls()).as("a sibling key the repository does not set")
                .containsExactly("aws.s3.bucket.logging");
        assertThat(config.changeWindows()).as("an empty list replaces too").isEmpty();
    }

    @Test
    void theDefaultsAloneApplyWithoutARepositoryFileAndAnEmptyRepositoryFileChangesNothing() {
        RepoConfig onlyOrg = RepoConfigLoader.parse(Optional.of(new Source(ORG, "mode: detect\n")), Optional.empty());
        assertThat(onlyOrg.mode()).isEqualTo(Mode.DETECT);
        assertThat(onlyOrg.origin().files()).containsExactly(ORG);

        assertThat(merged("mode: detect\n", "# nothing here\n").mode()).isEqualTo(Mode.DETECT);
        assertThat(merged("", "mode: supervised\n").mode()).isEqualTo(Mode.SUPERVISED);
        assertThat(RepoConfigLoader.parse(Optional.empty(), Optional.empty())).isEqualTo(RepoConfig.defaults());
    }

    @Test
    void theOriginNamesTheFileAndLineThatSetEachKey() {
        RepoConfig config = merged("""
                mode: detect
                caps:
                  max_pull_requests_per_day: 4
                """, """
                caps:
                  max_open_pull_requests: 1
                """);

        assertThat(config.origin().files()).containsExactly(ORG, REPO);
        assertThat(config.origin().describe("/caps/max_open_pull_requests")).isEqualTo(REPO + ":2:3");
        assertThat(config.origin().describe("/caps/max_pull_requests_per_day")).isEqualTo(ORG + ":3:3");
        assertThat(config.origin().describe("/mode")).isEqualTo(ORG + ":1:1");
        assertThat(config.origin().describe("/caps/max_files_per_pull_request"))
                .isEqualTo("default; not set in " + ORG + " or " + REPO);
        assertThat(RepoConfig.defaults().origin().describe("/mode")).isEqualTo("default; no fixgate.yml found");
    }

    @Test
    void anInvalidDefaultsFileFailsClosedNamingItsFileAndLine() {
        ConfigException e = invalid("""
                mode: detect
                caps:
                  max_open_pull_requets: 2
                """, "mode: assist\n");

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(SourceLocation.at(ORG, 3, 3));
            assertThat(p.code()).isEqualTo("config.unknown-key");
        });
        assertThat(e.getMessage()).startsWith("invalid configuration: " + ORG + ":3:3: caps.max_open_pull_requets: "
                + "unknown key 'max_open_pull_requets'; did you mean 'max_open_pull_requests'?");
    }

    @Test
    void aDefaultsFileMustBeValidOnItsOwnEvenWhereTheRepositoryOverridesTheBrokenKey() {
        ConfigException e = invalid("""
                change_windows:
                  - {days: [mon], start: "09:00", end: "10:00", timezone: Mars/Base}
                """, """
                change_windows: []
                """);

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location().source()).isEqualTo(ORG);
            assertThat(p.location().line()).isEqualTo(2);
            assertThat(p.message()).contains("unknown time zone 'Mars/Base'");
        });
    }

    @Test
    void problemsInBothFilesAreListedEachInItsOwnFile() {
        ConfigException e = invalid("mode: yolo\n", "\nreviewers:\n  users: alice\n");

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0).location()).isEqualTo(SourceLocation.at(ORG, 1, 7));
        assertThat(e.problems().get(1).location().source()).isEqualTo(REPO);
        assertThat(e.problems().get(1).location().line()).isEqualTo(3);
        assertThat(e.getMessage()).contains(ORG + ":1:7: mode:", REPO + ":3:");
    }

    @Test
    void aDefaultsFileThatIsNotAMappingIsRefusedInThatFile() {
        ConfigException e = invalid("- mode: detect\n", "mode: assist\n");

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("config.wrong-type");
            assertThat(p.location().source()).isEqualTo(ORG);
        });
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedNamingIt() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> Source.utf8(ORG, new byte[] {'m', 'o', 'd', 'e', ':', ' ', (byte) 0xff, '\n'}));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("config.encoding");
            assertThat(p.location().source()).isEqualTo(ORG);
        });
        assertThat(Source.utf8(ORG, "mode: detect\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)).text())
                .isEqualTo("mode: detect\n");
    }

    @Test
    void theMergedDocumentKeepsEachValuesLocationInTheFileThatSuppliedIt() {
        YamlDocument org = YamlDocument.parse(ORG, "caps:\n  max_open_pull_requests: 3\n  max_pull_requests_per_day: 4\n");
        YamlDocument repo = YamlDocument.parse(REPO, "mode: assist\ncaps:\n  max_open_pull_requests: 1\n");

        YamlDocument merged = YamlDocument.overlay(org, repo);

        assertThat(merged.valueAt("/caps/max_open_pull_requests")).isEqualTo(SourceLocation.at(REPO, 3, 27));
        assertThat(merged.valueAt("/caps/max_pull_requests_per_day")).isEqualTo(SourceLocation.at(ORG, 3, 30));
        assertThat(merged.keyAt("/mode")).isEqualTo(SourceLocation.at(REPO, 1, 1));
        assertThat(org.value()).as("the inputs are not changed")
                .isEqualTo(java.util.Map.of("caps", java.util.Map.of("max_open_pull_requests", 3L,
                        "max_pull_requests_per_day", 4L)));
    }

    @Test
    void aMappingOverAValueOrAValueOverAMappingReplacesIt() {
        YamlDocument org = YamlDocument.parse(ORG, "a: {b: 1}\nc: 2\n");
        YamlDocument repo = YamlDocument.parse(REPO, "a: 5\nc: {d: 3}\n");

        YamlDocument merged = YamlDocument.overlay(org, repo);

        assertThat(merged.value()).isEqualTo(java.util.Map.of("a", 5L, "c", java.util.Map.of("d", 3L)));
        assertThat(merged.valueAt("/a/b")).as("gone with its value").isEqualTo(SourceLocation.of(REPO));
        assertThat(merged.valueAt("/c/d").source()).isEqualTo(REPO);
    }
}
