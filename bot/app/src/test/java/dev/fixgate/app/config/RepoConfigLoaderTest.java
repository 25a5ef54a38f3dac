package dev.fixgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fixgate.app.config.RepoConfig.Mode;
import dev.fixgate.spi.assess.RciLevel;
import java.time.DayOfWeek;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RepoConfigLoaderTest {

    private static ConfigException invalid(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> RepoConfigLoader.parse(".github/fixgate.yml", yaml));
    }

    @Test
    void theSchemaAcceptsAnEmptyConfigurationSoTheDefaultsNeedNotCompileIt() {
        // RepoConfigLoader skips the schema for an empty mapping (the defaults); that is only right while it passes
        assertThat(SchemaCheck.load("repo-config.schema.json").check(YamlDocument.parse("defaults", ""))).isEmpty();
        assertThat(SchemaCheck.load("repo-config.schema.json").check(YamlDocument.parse("x", "{}"))).isEmpty();
    }

    @Test
    void aRepositoryWithoutConfigurationGetsAssistModeAndConservativeDefaults() {
        RepoConfig config = RepoConfig.defaults();

        assertThat(config.mode()).isEqualTo(Mode.ASSIST);
        assertThat(config.automerge().levels()).containsExactly(RciLevel.SAFE);
        assertThat(config.automerge().mergeMethod()).isEqualTo(RepoConfig.MergeMethod.SQUASH);
        assertThat(config.reviewers().requiredApprovals()).isEqualTo(1);
        assertThat(config.caps().maxOpenPullRequests()).isEqualTo(5);
        assertThat(config.inChangeWindow(Instant.parse("2026-11-22T03:00:00Z"))).isTrue();
    }

    @Test
    void readsAFullConfiguration() {
        RepoConfig config = RepoConfigLoader.parse("fixgate.yml", """
                mode: autonomous
                reviewers:
                  users: [alice]
                  teams: [acme/platform-security]
                  required_approvals: 2
                change_windows:
                  - days: [mon, tue, wed, thu]
                    start: "09:00"
                    end: "17:00"
                    timezone: Europe/Berlin
                exclusions:
                  paths: ["legacy/**", "*.tfvars"]
                  controls: [aws.s3.bucket.logging]
                  resources: ["arn:aws:s3:::legacy-*"]
                automerge:
                  required_checks: [terraform-plan]
                  merge_method: rebase
                caps:
                  max_open_pull_requests: 2
                """);

        assertThat(config.mode()).isEqualTo(Mode.AUTONOMOUS);
        assertThat(config.reviewers().teams()).containsExactly("acme/platform-security");
        assertThat(config.reviewers().requiredApprovals()).isEqualTo(2);
        assertThat(config.changeWindows()).singleElement().satisfies(w ->
                assertThat(w.days()).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.TUESDAY,
                        DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY));
        // Monday 2026-11-23 10:00 Berlin = 09:00 UTC; Friday is outside.
        assertThat(config.inChangeWindow(Instant.parse("2026-11-23T09:00:00Z"))).isTrue();
        assertThat(config.inChangeWindow(Instant.parse("2026-11-23T16:30:00Z"))).isFalse();
        assertThat(config.inChangeWindow(Instant.parse("2026-11-27T09:00:00Z"))).isFalse();
        assertThat(config.exclusions().excludesPath("legacy/s3/main.tf")).isTrue();
        assertThat(config.exclusions().excludesPath("prod.tfvars")).isTrue();
        assertThat(config.exclusions().excludesPath("env/prod.tfvars")).isFalse();
        assertThat(config.exclusions().excludesPath("modules/s3/main.tf")).isFalse();
        assertThat(config.exclusions().excludesResource("arn:aws:s3:::legacy-logs")).isTrue();
        assertThat(config.exclusions().excludesControl("aws.s3.bucket.logging")).isTrue();
        assertThat(config.automerge().requiredChecks()).containsExactly("terraform-plan");
        assertThat(config.automerge().mergeMethod()).isEqualTo(RepoConfig.MergeMethod.REBASE);
        assertThat(config.caps().maxOpenPullRequests()).isEqualTo(2);
        assertThat(config.caps().maxPullRequestsPerDay()).isEqualTo(10);
    }

    @Test
    void readsEveryCapWithItsDefault() {
        RepoConfig.Caps defaults = RepoConfig.defaults().caps();
        assertThat(defaults).isEqualTo(new RepoConfig.Caps(5, 5, 10, 20));

        RepoConfig config = RepoConfigLoader.parse("f", """
                caps:
                  max_open_pull_requests: 0
                  max_pull_requests_per_hour: 2
                  max_pull_requests_per_day: 7
                  max_files_per_pull_request: 3
                """);
        assertThat(config.caps()).isEqualTo(new RepoConfig.Caps(0, 2, 7, 3));

        ConfigException e = invalid("caps:\n  max_pull_requests_per_hour: -1\n");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("caps.max_pull_requests_per_hour");
            assertThat(p.location().line()).isEqualTo(2);
        });
    }

    @Test
    void aWindowThatEndsBeforeItStartsRunsPastMidnight() {
        RepoConfig config = RepoConfigLoader.parse("f", """
                change_windows:
                  - {days: [sat], start: "22:00", end: "04:00"}
                """);
        assertThat(config.inChangeWindow(Instant.parse("2026-11-28T23:00:00Z"))).isTrue();  // Sat 23:00
        assertThat(config.inChangeWindow(Instant.parse("2026-11-29T03:59:00Z"))).isTrue();  // Sun 03:59
        assertThat(config.inChangeWindow(Instant.parse("2026-11-29T04:00:00Z"))).isFalse(); // Sun 04:00
        assertThat(config.inChangeWindow(Instant.parse("2026-11-28T21:00:00Z"))).isFalse(); // Sat 21:00
    }

    @Test
    void accountsListWhichCloudAccountsTheCodeDeploysAndBadOnesAreNamedByPointer() {
        RepoConfig config = RepoConfigLoader.parse("f", "accounts: [\"111111111111\", my-gcp-project]\n");
        assertThat(config.accounts()).containsExactly("111111111111", "my-gcp-project");
        assertThat(RepoConfig.defaults().accounts()).isEmpty();

        ConfigException e = invalid("accounts: [\"111111111111\", \" spaced\"]\n");
        assertThat(e.getMessage()).contains(".github/fixgate.yml:1:28").contains("accounts[1]");
    }

    @Test
    void stacksMapStackNamesAndPatternsToTemplatesInFileOrder() {
        RepoConfig config = RepoConfigLoader.parse("f", """
                stacks:
                  acme-web-prod: cloudformation/web.yaml
                  "acme-data-*": ./cloudformation/data.yaml
                terraform:
                  workspaces: [default, prod]
                """);

        assertThat(config.stacks()).extracting(RepoConfig.Stack::stack, RepoConfig.Stack::template).containsExactly(
                org.assertj.core.groups.Tuple.tuple("acme-web-prod", "cloudformation/web.yaml"),
                org.assertj.core.groups.Tuple.tuple("acme-data-*", "cloudformation/data.yaml"));
        assertThat(config.stacks().get(1).matches("acme-data-eu")).isTrue();
        assertThat(config.stacks().get(1).matches("acme-web-prod")).isFalse();
        assertThat(config.stacks().get(0).matches("acme-web-prod2")).isFalse();
        assertThat(config.terraform().workspaces()).containsExactly("default", "prod");
        assertThat(RepoConfig.defaults().stacks()).isEmpty();
        assertThat(RepoConfig.defaults().terraform().workspaces()).containsExactly("default");
    }

    @Test
    void aBadStackOrTemplateIsNamedByItsKey() {
        ConfigException e = invalid("""
                stacks:
                  web: ../other-repo/web.yaml
                  "bad name!": web.yaml
                  data: /etc/passwd
                  api: 42
                terraform:
                  workspaces: []
                """);

        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("stacks.api", "terraform.workspaces");
        // the schema's problems come first; the paths are checked once the file is schema-valid
        ConfigException paths = invalid("""
                stacks:
                  web: ../other-repo/web.yaml
                  "bad name!": web.yaml
                  data: /etc/passwd
                """);
        assertThat(paths.problems()).extracting(ConfigProblem::key).containsExactly("stacks.web", "stacks.bad name!",
                "stacks.data");
        assertThat(paths.problems().getFirst().message()).contains("relative to the repository root");
        assertThat(paths.problems().getFirst().location().line()).isEqualTo(2);
        assertThat(paths.problems().get(1).message()).contains("not a CloudFormation stack name");
    }

    @Test
    void playbookParamsAreReadPerPlaybookAndMisshapenOnesNamed() {
        RepoConfig config = RepoConfigLoader.parse("f", """
                playbooks:
                  s3_bucket_access_logging:
                    params:
                      target_bucket: central-access-logs
                      target_prefix: s3/
                  required_tags:
                    params:
                      required_tags: {Owner: payments}
                """);
        assertThat(config.params("s3_bucket_access_logging")).containsEntry("target_bucket", "central-access-logs")
                .containsEntry("target_prefix", "s3/");
        assertThat(config.params("required_tags")).containsKey("required_tags");
        assertThat(config.params("vpc_flow_logs")).isEmpty();
        assertThat(RepoConfig.defaults().playbookParams()).isEmpty();

        assertThat(invalid("playbooks:\n  s3_bucket_access_logging:\n    parms: {}\n").getMessage()).contains("parms");
    }

    @Test
    void guardrailsNameTheirRepositoryAndTargetsAndBadOnesAreLocated() {
        RepoConfig config = RepoConfigLoader.parse("f", """
                guardrails:
                  repository: acme/org-guardrails
                  targets:
                    aws: [ou-ab12-cdef3456, "111122223333"]
                    gcp: [folders/42]
                  parameters: {customer-id: C01abcd23}
                """);
        assertThat(config.guardrails().configured()).isTrue();
        assertThat(config.guardrails().repository()).isEqualTo("acme/org-guardrails");
        assertThat(config.guardrails().path()).isEqualTo("guardrails");
        assertThat(config.guardrails().format()).isEqualTo("terraform");
        assertThat(config.guardrails().targets("aws")).containsExactly("ou-ab12-cdef3456", "111122223333");
        assertThat(config.guardrails().targets("azure")).isEmpty();
        assertThat(config.guardrails().parameters()).containsEntry("customer-id", "C01abcd23");
        assertThat(config.guardrails().awsPoliciesPerTarget()).isEqualTo(4);
        assertThat(RepoConfig.defaults().guardrails().configured()).isFalse();

        ConfigException target = invalid("""
                guardrails:
                  repository: acme/g
                  targets: {aws: [ou-nope]}
                """);
        assertThat(target.getMessage()).contains(".github/fixgate.yml:3:19").contains("guardrails.targets.aws[0]");
        ConfigException path = invalid("guardrails: {repository: acme/g, path: ../elsewhere}\n");
        assertThat(path.getMessage()).contains("guardrails.path");
        ConfigException missing = invalid("guardrails: {format: json}\n");
        assertThat(missing.getMessage()).contains("repository");
        ConfigException slots = invalid("guardrails: {repository: acme/g, aws_policies_per_target: 6}\n");
        assertThat(slots.getMessage()).contains("aws_policies_per_target");
    }

    @Test
    void aMisspeltTopLevelKeyGetsASuggestion() {
        ConfigException e = invalid("mdoe: autonomous\n");
        assertThat(e.getMessage()).isEqualTo(
                "invalid configuration: .github/fixgate.yml:1:1: mdoe: unknown key 'mdoe'; did you mean 'mode'? [config.unknown-key]");
    }

    @Test
    void aKeyFarFromAnyKnownOneListsTheKnownKeys() {
        ConfigException e = invalid("automerge:\n  colour: blue\n");
        assertThat(e.problems().getFirst().message())
                .isEqualTo("unknown key 'colour'; known keys: enabled, levels, required_checks, merge_method, delete_branch");
    }

    @Test
    void invalidValuesAreReportedEachWithItsLine() {
        ConfigException e = invalid("""
                mode: yolo
                automerge:
                  levels: [SAFE, RISKY]
                change_windows:
                  - days: [mon]
                    start: "9am"
                    end: "17:00"
                    timezone: Mars/Olympus_Mons
                """);

        assertThat(e.problems()).extracting(ConfigProblem::key)
                .contains("mode", "automerge.levels[1]", "change_windows[0].start");
        assertThat(e.problems()).filteredOn(p -> p.key().equals("mode")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("\"yolo\"", "detect", "autonomous"));
        assertThat(e.problems()).filteredOn(p -> p.key().equals("automerge.levels[1]")).singleElement()
                .satisfies(p -> assertThat(p.location().line()).isEqualTo(3));
    }

    @Test
    void anUnknownTimeZoneIsCaughtAfterTheSchema() {
        ConfigException e = invalid("change_windows:\n  - {days: [mon], start: \"09:00\", end: \"10:00\", timezone: Mars/Base}\n");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("change_windows[0].timezone");
            assertThat(p.message()).contains("unknown time zone 'Mars/Base'");
            assertThat(p.location().line()).isEqualTo(2);
        });
    }

    @Test
    void wrongTypesInListsAreNamed() {
        ConfigException e = invalid("reviewers:\n  users: alice\n");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("config.wrong-type");
            assertThat(p.message()).isEqualTo("expected a list, got the text \"alice\"");
        });
    }

    @Test
    void anchorsAndMergeKeysWorkAndLocalKeysWin() {
        RepoConfig config = RepoConfigLoader.parse("f", """
                change_windows:
                  - &office {days: [mon, tue], start: "09:00", end: "17:00", timezone: UTC}
                  - <<: *office
                    days: [sat]
                """);
        assertThat(config.changeWindows()).hasSize(2);
        assertThat(config.changeWindows().get(1).days()).containsExactly(DayOfWeek.SATURDAY);
        assertThat(config.changeWindows().get(1).start()).isEqualTo(config.changeWindows().get(0).start());
    }

    @Test
    void aDuplicateKeyIsRefusedAtItsSecondOccurrence() {
        ConfigException e = invalid("mode: detect\nreviewers: {}\nmode: autonomous\n");
        assertThat(e.code()).isEqualTo("config.duplicate-key");
        assertThat(e.problems().getFirst().location().line()).isEqualTo(3);
    }
}
