package dev.fixgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigLoaderTest {

    private static final String WEBHOOK_SECRET = "whsec-0123456789abcdef-do-not-print";

    @TempDir
    Path dir;

    private ServiceConfig parse(String yaml, Map<String, String> env) {
        return ServiceConfigLoader.fromText("fixgate.yml", yaml, dir, env);
    }

    private ConfigException invalid(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> parse(yaml, Map.of()));
    }

    @Test
    void noFileMeansDefaultsWithTheEmbeddedDatabase() {
        ServiceConfig config = ServiceConfigLoader.load(Optional.empty(), dir, Map.of());

        assertThat(config.database().embedded()).isTrue();
        assertThat(config.server().bind()).isEqualTo("127.0.0.1");
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.github().apiUrl()).isEqualTo(ServiceConfig.GITHUB_DOT_COM);
        assertThat(config.limits().maxRequestBytes()).isEqualTo(25L << 20);
        assertThat(config.apiTokens()).isEmpty();
    }

    @Test
    void theStateDirectorysFileIsUsedWhenNoneIsGiven() throws Exception {
        Files.writeString(dir.resolve("fixgate.yml"), "server:\n  port: 9999\n");
        assertThat(ServiceConfigLoader.load(Optional.empty(), dir, Map.of()).server().port()).isEqualTo(9999);
    }

    @Test
    void anExplicitFileThatDoesNotExistIsAnError() {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> ServiceConfigLoader.load(Optional.of(missing), dir, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("file not found");
    }

    @Test
    void readsEverySectionAndSecretFiles() throws Exception {
        Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("hook"), WEBHOOK_SECRET + "\n");
        ServiceConfig config = parse("""
                github:
                  api_url: http://127.0.0.1:9000/api/v3
                  app_id: 42
                  private_key_file: key.pem
                  webhook_secret_file: hook
                database:
                  url: jdbc:postgresql://db:5432/fixgate
                  username: fixgate
                  pool_size: 4
                server: {bind: 0.0.0.0, port: 8443}
                api:
                  tokens:
                    - name: prowler-ci
                      token: 0123456789abcdef0123456789abcdef
                limits:
                  max_request_bytes: 2048
                """, Map.of());

        assertThat(config.github().appId()).isEqualTo(42);
        assertThat(config.github().privateKeyPem().reveal()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(config.github().webhookSecret().reveal()).isEqualTo(WEBHOOK_SECRET);
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db:5432/fixgate");
        assertThat(config.database().poolSize()).isEqualTo(4);
        assertThat(config.server().port()).isEqualTo(8443);
        assertThat(config.apiTokens()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("prowler-ci");
            assertThat(t.token().matches("0123456789abcdef0123456789abcdef")).isTrue();
        });
        assertThat(config.limits().maxRequestBytes()).isEqualTo(2048);
        assertThat(config.requireGithubApp().appId()).isEqualTo(42);
    }

    @Test
    void theEnvironmentOverridesTheFileAndSecretsNeverPrint() {
        ServiceConfig config = parse("""
                github:
                  app_id: 1
                  webhook_secret: inline-secret-that-loses
                database:
                  url: jdbc:postgresql://db/fixgate?password=hunter2
                """, Map.of(
                "FIXGATE_GITHUB_APP_ID", "77",
                "FIXGATE_GITHUB_WEBHOOK_SECRET", WEBHOOK_SECRET,
                "FIXGATE_GITHUB_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----\nxyz\n-----END PRIVATE KEY-----",
                "FIXGATE_DATABASE_PASSWORD", "s3cr3t-db-password"));

        assertThat(config.github().appId()).isEqualTo(77);
        assertThat(config.github().webhookSecret().reveal()).isEqualTo(WEBHOOK_SECRET);
        assertThat(config.toString())
                .doesNotContain(WEBHOOK_SECRET, "xyz", "s3cr3t-db-password", "hunter2")
                .contains("****");
    }

    @Test
    void thePrivateKeyMayBeInlineButAFileWins() throws Exception {
        String inline = "-----BEGIN RSA PRIVATE KEY-----\ninline\n-----END RSA PRIVATE KEY-----";
        ServiceConfig config = parse("github:\n  private_key: |\n    " + inline.replace("\n", "\n    ") + "\n", Map.of());
        assertThat(config.github().privateKeyPem().reveal().strip()).isEqualTo(inline);

        Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nfile\n-----END PRIVATE KEY-----\n");
        ServiceConfig both = parse("github:\n  private_key_file: key.pem\n  private_key: |\n    "
                + inline.replace("\n", "\n    ") + "\n", Map.of());
        assertThat(both.github().privateKeyPem().reveal()).contains("file");

        assertThat(invalid("github:\n  private_key: not a pem\n").getMessage()).contains("github.private_key");
    }

    @Test
    void serveNeedsTheAppIdKeyAndWebhookSecretAndSaysWhereToPutThem() {
        ServiceConfig config = parse("github:\n  app_id: 5\n", Map.of());

        ConfigException e = catchThrowableOfType(ConfigException.class, config::requireGithubApp);

        assertThat(e.problems()).extracting(ConfigProblem::code).containsOnly("config.missing-secret");
        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactly("github.private_key_file", "github.webhook_secret_file");
        assertThat(e.getMessage()).contains("FIXGATE_GITHUB_PRIVATE_KEY", "FIXGATE_GITHUB_WEBHOOK_SECRET");
    }

    @Test
    void anUnreadableSecretFileIsReportedAtTheKeyThatNamesIt() {
        ConfigException e = invalid("github:\n  webhook_secret_file: does-not-exist\n");

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("config.secret-file");
            assertThat(p.location().line()).isEqualTo(2);
            assertThat(p.key()).isEqualTo("github.webhook_secret_file");
        });
    }

    @Test
    void unknownKeysAreErrorsWithALineAndASuggestion() {
        ConfigException e = invalid("""
                server:
                  bind: 0.0.0.0
                  prot: 8080
                databse:
                  url: jdbc:h2:mem:x
                """);

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0)).satisfies(p -> {
            assertThat(p.code()).isEqualTo("config.unknown-key");
            assertThat(p.location().line()).isEqualTo(3);
            assertThat(p.location().column()).isEqualTo(3);
            assertThat(p.message()).isEqualTo("unknown key 'prot'; did you mean 'port'?");
        });
        assertThat(e.problems().get(1).message()).contains("'databse'", "did you mean 'database'?");
        assertThat(e.problems().get(1).location().line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("fixgate.yml:3:3: server.prot: unknown key 'prot'");
    }

    @Test
    void wrongTypesNameTheValueTheKeyAndTheLine() {
        ConfigException e = invalid("""
                server:
                  port: eighty
                database:
                  pool_size: [1, 2]
                """);

        assertThat(e.problems()).extracting(ConfigProblem::code).containsOnly("config.wrong-type");
        assertThat(e.problems().get(0).toString())
                .isEqualTo("fixgate.yml:2:9: server.port: expected an integer, got the text \"eighty\" [config.wrong-type]");
        assertThat(e.problems().get(1).location().line()).isEqualTo(4);
        assertThat(e.problems().get(1).message()).isEqualTo("expected an integer, got a list");
    }

    @Test
    void valuesOutOfRangeAreRejected() {
        ConfigException e = invalid("server:\n  port: 70000\napi:\n  tokens:\n    - name: short\n      token: abc\n");

        assertThat(e.problems()).extracting(ConfigProblem::key).contains("server.port", "api.tokens[0].token");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.location().line()).isPositive());
    }

    @Test
    void aTokenNeedsExactlyOneOfTokenOrTokenFile() {
        ConfigException e = invalid("api:\n  tokens:\n    - name: ci\n");
        assertThat(e.getMessage()).contains("api.tokens[0]", "give exactly one of: token, token_file");
    }

    @Test
    void yamlSyntaxErrorsPointAtTheLine() {
        ConfigException e = invalid("server:\n  bind: 127.0.0.1\n   port: 80\n");
        assertThat(e.code()).isEqualTo("config.yaml-syntax");
        assertThat(e.problems().getFirst().location().line()).isEqualTo(3);
    }

    @Test
    void duplicateKeysAreRefused() {
        ConfigException e = invalid("server:\n  port: 1\n  port: 2\n");
        assertThat(e.code()).isEqualTo("config.duplicate-key");
        assertThat(e.problems().getFirst().location().line()).isEqualTo(3);
    }

    @Test
    void anAliasBombIsRefusedWithoutExpandingIt() {
        String bomb = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                """;
        long start = System.nanoTime();
        ConfigException e = invalid(bomb);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(e.code()).isEqualTo("config.yaml-limit");
        assertThat(e.getMessage()).contains("refused");
        // 9^9 strings if expanded; refusing it must not take the time or memory expansion would.
        assertThat(millis).isLessThan(5_000);
    }

    @Test
    void aFewAliasesThatExpandPastTheNodeBudgetAreRefusedToo() {
        // 19 aliases (under the alias limit) doubling each level would still reach 2^19 nodes.
        StringBuilder yaml = new StringBuilder("l0: &l0 [x, x]\n");
        for (int i = 1; i < 20; i++) {
            yaml.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
                    .append(i - 1).append("]\n");
        }
        ConfigException e = invalid(yaml.toString());
        assertThat(e.code()).isEqualTo("config.yaml-limit");
    }

    @Test
    void anythingButAMapAtTheTopIsRefused() {
        assertThat(invalid("- a\n- b\n").code()).isEqualTo("config.wrong-type");
    }

    @Test
    void fileThatIsNotUtf8IsRefused() throws Exception {
        Path file = dir.resolve("latin1.yml");
        Files.write(file, new byte[] {'s', 'e', 'r', 'v', 'e', 'r', ':', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> ServiceConfigLoader.load(Optional.of(file), dir, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.code()).isEqualTo("config.encoding"));
    }

    @Test
    void environmentValuesAreCheckedToo() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> parse("", Map.of("FIXGATE_GITHUB_APP_ID", "abc", "FIXGATE_API_TOKEN", "short")));
        assertThat(e.problems()).extracting(p -> p.location().source())
                .containsExactly("env FIXGATE_GITHUB_APP_ID", "env FIXGATE_API_TOKEN");
    }

    @Test
    void cloudsAreReadOnlyWhenListedWithTheirAccountsAndEvidenceSettings() {
        ServiceConfig none = parse("server:\n  port: 1\n", Map.of());
        assertThat(none.evidence().clouds()).isEmpty();
        assertThat(none.evidence().ttl()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(none.evidence().reassessEvery()).isEqualTo(java.time.Duration.ofHours(6));

        ServiceConfig config = parse("""
                evidence:
                  ttl_minutes: 30
                  budget_seconds: 20
                  reassess_every_minutes: 0
                clouds:
                  aws:
                    regions: [eu-west-1, us-east-1]
                    endpoints: {s3: "http://127.0.0.1:4566"}
                    accounts:
                      - id: "111111111111"
                        role: arn:aws:iam::111111111111:role/fixgate-readonly
                        external_id: acme-fixgate
                        environment: production
                    options: {cloudtrail.event_data_store: eds-1}
                  gcp: {}
                """, Map.of());
        assertThat(config.evidence().ttl()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(config.evidence().budget()).isEqualTo(java.time.Duration.ofSeconds(20));
        assertThat(config.evidence().reassessEvery()).isZero();
        assertThat(config.evidence().clouds()).containsOnlyKeys("aws", "gcp");
        ServiceConfig.CloudAccess aws = config.evidence().clouds().get("aws");
        assertThat(aws.regions()).containsExactly("eu-west-1", "us-east-1");
        assertThat(aws.endpoints()).containsEntry("s3", "http://127.0.0.1:4566");
        assertThat(aws.accounts()).containsExactly(new ServiceConfig.Account("111111111111",
                "arn:aws:iam::111111111111:role/fixgate-readonly", "acme-fixgate", "production"));
        assertThat(aws.options()).containsEntry("cloudtrail.event_data_store", "eds-1");
        assertThat(config.evidence().clouds().get("gcp")).isEqualTo(ServiceConfig.CloudAccess.defaults());
    }

    @Test
    void pullSourcesRunOnlyWhenNamedAndReadTheirCloudsAccounts() {
        assertThat(parse("server:\n  port: 1\n", Map.of()).pull().sources()).isEmpty();

        ServiceConfig config = parse("""
                clouds:
                  azure:
                    accounts:
                      - id: 00000000-0000-0000-0000-0000000000d1
                intake:
                  pull: [azure-defender]
                  pull_every_minutes: 15
                """, Map.of());
        assertThat(config.pull().sources()).containsExactly("azure-defender");
        assertThat(config.pull().every()).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(parse("clouds:\n  azure:\n    accounts: [{id: s1}]\nintake:\n  pull: [azure-defender]\n", Map.of())
                .pull().every()).isEqualTo(java.time.Duration.ofHours(1));
    }

    @Test
    void aBadPullSettingNamesItsPlace() {
        assertThat(invalid("intake:\n  pull: [azure-defender]\n  pull_every_minutes: 0\n").getMessage())
                .contains("fixgate.yml:3:23: intake.pull_every_minutes:");
        assertThat(invalid("intake:\n  pull_every_minutes: hourly\n").getMessage())
                .contains("fixgate.yml:2:23: intake.pull_every_minutes: expected an integer");
        assertThat(invalid("intake:\n  pull: [aws-securityhub]\n").getMessage()).contains("intake.pull[0]");
        ConfigException noAccounts = invalid("clouds:\n  azure: {}\nintake:\n  pull: [azure-defender]\n");
        assertThat(noAccounts.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("intake.pull[0]");
            assertThat(p.location().line()).isEqualTo(4);
            assertThat(p.message()).contains("clouds.azure.accounts");
        });
    }

    @Test
    void anAccountIdWrittenAsANumberIsRefusedWithItsPlace() {
        ConfigException e = invalid("clouds:\n  aws:\n    accounts:\n      - id: 111111111111\n");
        assertThat(e.getMessage()).contains("fixgate.yml:4:13: clouds.aws.accounts[0].id: expected a string");
    }

    @Test
    void theAuditAnchorIsOffByDefaultAndReadsItsKeyFromAFileOrTheEnvironment() throws Exception {
        assertThat(parse("", Map.of()).auditAnchor().configured()).isFalse();
        Files.writeString(dir.resolve("anchor.key"), "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n");
        ServiceConfig config = parse("""
                audit:
                  anchor:
                    repository: anchors.git
                    interval_minutes: 15
                    signing_key_file: anchor.key
                """, Map.of());
        ServiceConfig.AuditAnchor a = config.auditAnchor();
        assertThat(a.repository()).isEqualTo(dir.resolve("anchors.git").toAbsolutePath().toString());
        assertThat(a.branch()).isEqualTo("fixgate-audit-anchors");
        assertThat(a.interval()).hasMinutes(15);
        assertThat(a.signingKey().reveal()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(a.toString()).doesNotContain("abc");
        ServiceConfig url = parse("audit:\n  anchor:\n    repository: https://github.com/acme/audit.git\n",
                Map.of("FIXGATE_AUDIT_ANCHOR_TOKEN", "t0ken-value"));
        assertThat(url.auditAnchor().repository()).isEqualTo("https://github.com/acme/audit.git");
        assertThat(url.auditAnchor().token().reveal()).isEqualTo("t0ken-value");
        assertThat(invalid("audit:\n  anchor:\n    branch: x\n").getMessage()).contains("repository");
    }
}
