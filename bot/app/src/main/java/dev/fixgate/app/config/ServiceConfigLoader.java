package dev.fixgate.app.config;

import static dev.fixgate.app.config.ConfigText.list;
import static dev.fixgate.app.config.ConfigText.map;
import static dev.fixgate.app.config.ConfigText.number;
import static dev.fixgate.app.config.ConfigText.string;
import static dev.fixgate.app.config.ConfigText.strings;

import dev.fixgate.app.config.ServiceConfig.ApiToken;
import dev.fixgate.spi.error.SourceLocation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link ServiceConfig} from {@code fixgate.yml} (validated against {@code fixgate.schema.json}), the
 * environment and the defaults. The environment wins over the file, so a deployment can keep secrets out of
 * the file entirely. All problems are collected and reported together.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>FIXGATE_GITHUB_API_URL</td><td>github.api_url</td></tr>
 *   <tr><td>FIXGATE_GITHUB_APP_ID</td><td>github.app_id</td></tr>
 *   <tr><td>FIXGATE_GITHUB_PRIVATE_KEY / _FILE</td><td>github.private_key (the PEM itself) / github.private_key_file</td></tr>
 *   <tr><td>FIXGATE_GITHUB_WEBHOOK_SECRET / _FILE</td><td>github.webhook_secret / _file</td></tr>
 *   <tr><td>FIXGATE_DATABASE_URL, _USERNAME, _PASSWORD</td><td>database.*</td></tr>
 *   <tr><td>FIXGATE_API_TOKEN</td><td>one more API token, named {@code env}</td></tr>
 *   <tr><td>FIXGATE_AUDIT_ANCHOR_SIGNING_KEY / _FILE</td><td>audit.anchor.signing_key_file (the key itself / a file)</td></tr>
 *   <tr><td>FIXGATE_AUDIT_ANCHOR_TOKEN / _FILE</td><td>audit.anchor.token_file</td></tr>
 * </table>
 */
public final class ServiceConfigLoader {

    /** The schema, compiled on first use: a command that reads no configuration file does not pay for it. */
    private static final class Schema {
        static final SchemaCheck CHECK = SchemaCheck.load("fixgate.schema.json");
    }

    private final Map<String, String> env;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ServiceConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    /**
     * @param file an explicit configuration file (must exist), or empty to use {@code home/fixgate.yml} when it
     *             exists and the defaults otherwise
     */
    public static ServiceConfig load(Optional<Path> file, Path home, Map<String, String> env) {
        Optional<Path> chosen = file.isPresent() ? file
                : Optional.of(home.resolve("fixgate.yml")).filter(Files::isRegularFile);
        if (chosen.isEmpty()) {
            return new ServiceConfigLoader(env).build(YamlDocument.parse("environment (no fixgate.yml)", ""), Path.of("."));
        }
        Path path = chosen.get();
        String text = ConfigText.read(path, "config.not-found");
        return fromText(path.toString(), text, path.toAbsolutePath().getParent(), env);
    }

    /** Parses configuration text; relative {@code *_file} paths resolve against {@code baseDir}. */
    public static ServiceConfig fromText(String source, String text, Path baseDir, Map<String, String> env) {
        YamlDocument doc = YamlDocument.parse(source, text);
        if (!(doc.value() instanceof Map)) {
            throw ConfigException.single(new ConfigProblem("config.wrong-type", doc.valueAt(""), "",
                    "expected a map of keys at the top of the file"));
        }
        List<ConfigProblem> schemaProblems = Schema.CHECK.check(doc);
        if (!schemaProblems.isEmpty()) {
            throw new ConfigException(schemaProblems);
        }
        return new ServiceConfigLoader(env).build(doc, baseDir);
    }

    @SuppressWarnings("unchecked")
    private ServiceConfig build(YamlDocument doc, Path baseDir) {
        Map<String, Object> root = (Map<String, Object>) doc.value();
        SecretSource secrets = new SecretSource(doc, baseDir, problems);

        Map<String, Object> gh = map(root, "github");
        URI apiUrl = URI.create(envOr("FIXGATE_GITHUB_API_URL", string(gh, "api_url", ServiceConfig.GITHUB_DOT_COM.toString())));
        long appId = number(gh, "app_id", 0);
        String appIdEnv = env.get("FIXGATE_GITHUB_APP_ID");
        if (appIdEnv != null && !appIdEnv.isBlank()) {
            try {
                appId = Long.parseLong(appIdEnv.trim());
            } catch (NumberFormatException e) {
                problems.add(new ConfigProblem("config.wrong-type", SourceLocation.of("env FIXGATE_GITHUB_APP_ID"), "",
                        "expected an integer"));
            }
        }
        Secret privateKey = secrets.resolve("/github", gh, "private_key", "private_key_file",
                "FIXGATE_GITHUB_PRIVATE_KEY", env);
        Secret webhookSecret = secrets.resolve("/github", gh, "webhook_secret", "webhook_secret_file",
                "FIXGATE_GITHUB_WEBHOOK_SECRET", env);

        Map<String, Object> db = map(root, "database");
        String url = envOr("FIXGATE_DATABASE_URL", string(db, "url", ""));
        String username = envOr("FIXGATE_DATABASE_USERNAME", string(db, "username", ""));
        Secret password = secrets.resolve("/database", db, "password", "password_file", "FIXGATE_DATABASE_PASSWORD", env);
        int poolSize = (int) number(db, "pool_size", 10);

        Map<String, Object> server = map(root, "server");
        Map<String, Object> api = map(root, "api");
        List<ApiToken> tokens = new ArrayList<>();
        List<Object> tokenList = list(api, "tokens");
        for (int i = 0; i < tokenList.size(); i++) {
            Map<String, Object> t = (Map<String, Object>) tokenList.get(i);
            tokens.add(new ApiToken(string(t, "name", ""),
                    secrets.resolve("/api/tokens/" + i, t, "token", "token_file", null, env)));
        }
        String envToken = env.get("FIXGATE_API_TOKEN");
        if (envToken != null && !envToken.isBlank()) {
            if (envToken.length() < 32) {
                problems.add(new ConfigProblem("config.invalid-value", SourceLocation.of("env FIXGATE_API_TOKEN"), "",
                        "an API token must be at least 32 characters"));
            }
            tokens.add(new ApiToken("env", Secret.of(envToken)));
        }
        Map<String, Object> limits = map(root, "limits");
        ServiceConfig.Gate gate = gate(doc, root, secrets, baseDir);
        ServiceConfig.Evidence evidence = evidence(root);
        ServiceConfig.AuditAnchor anchor = anchor(root, secrets, baseDir);
        ServiceConfig.Pull pull = pull(doc, root, evidence);

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ServiceConfig(doc.source(),
                new ServiceConfig.Github(apiUrl, appId, privateKey, webhookSecret),
                new ServiceConfig.Database(url, username, password, poolSize),
                new ServiceConfig.Server(string(server, "bind", "127.0.0.1"), (int) number(server, "port", 8080)),
                tokens,
                new ServiceConfig.Limits(number(limits, "max_request_bytes", 25L << 20),
                        number(limits, "max_webhook_bytes", 25L << 20), (int) number(limits, "worker_threads", 2)),
                gate, evidence, anchor, terraformState(map(root, "terraform_state")), pull);
    }

    /** Which pull sources run, and how often ({@code intake}); each needs its cloud's accounts under {@code clouds}. */
    private ServiceConfig.Pull pull(YamlDocument doc, Map<String, Object> root, ServiceConfig.Evidence evidence) {
        Map<String, Object> intake = map(root, "intake");
        List<String> sources = strings(intake, "pull");
        long minutes = number(intake, "pull_every_minutes", 60);
        if (sources.isEmpty()) {
            return ServiceConfig.Pull.none();
        }
        if (minutes <= 0) {
            problems.add(new ConfigProblem("config.invalid-value", doc.valueAt("/intake/pull_every_minutes"),
                    "/intake/pull_every_minutes", "intake.pull names sources, so they need a period of at least one"
                    + " minute (remove intake.pull to pull nothing)"));
            return ServiceConfig.Pull.none();
        }
        for (int i = 0; i < sources.size(); i++) {
            String cloud = sources.get(i).substring(0, sources.get(i).indexOf('-'));
            ServiceConfig.CloudAccess access = evidence.clouds().get(cloud);
            if (access == null || access.accounts().isEmpty()) {
                problems.add(new ConfigProblem("config.missing-key", doc.valueAt("/intake/pull/" + i),
                        "/intake/pull/" + i, "the pull source '" + sources.get(i) + "' reads the accounts under clouds."
                        + cloud + ".accounts, and none are configured there"));
            }
        }
        return new ServiceConfig.Pull(Duration.ofMinutes(minutes), sources);
    }

    @SuppressWarnings("unchecked")
    private static ServiceConfig.Evidence evidence(Map<String, Object> root) {
        Map<String, Object> e = map(root, "evidence");
        Map<String, ServiceConfig.CloudAccess> clouds = new java.util.LinkedHashMap<>();
        Map<String, Object> c = map(root, "clouds");
        for (String cloud : List.of("aws", "azure", "gcp")) {
            if (!c.containsKey(cloud)) {
                continue;
            }
            Map<String, Object> a = map(c, cloud);
            List<ServiceConfig.Account> accounts = new ArrayList<>();
            for (Object o : list(a, "accounts")) {
                Map<String, Object> acct = (Map<String, Object>) o;
                accounts.add(new ServiceConfig.Account(String.valueOf(acct.get("id")), string(acct, "role", ""),
                        string(acct, "external_id", ""), string(acct, "environment", "")));
            }
            clouds.put(cloud, new ServiceConfig.CloudAccess(strings(a, "regions"), texts(map(a, "endpoints")), accounts,
                    texts(map(a, "options"))));
        }
        return new ServiceConfig.Evidence(Duration.ofMinutes(number(e, "ttl_minutes", 60)),
                Duration.ofMinutes(number(e, "unavailable_ttl_minutes", 5)),
                Duration.ofSeconds(number(e, "budget_seconds", 60)), (int) number(e, "per_cloud", 8),
                Duration.ofMinutes(number(e, "reassess_every_minutes", 360)), clouds);
    }

    private static Map<String, String> texts(Map<String, Object> m) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static ServiceConfig.TerraformState terraformState(Map<String, Object> t) {
        Map<String, Object> s3 = map(t, "s3");
        return new ServiceConfig.TerraformState(number(t, "max_bytes", ServiceConfig.TerraformState.DEFAULT_MAX_BYTES),
                ConfigText.bool(s3, "enabled", true), string(s3, "region", "us-east-1"), string(s3, "endpoint", ""),
                ConfigText.bool(s3, "path_style", false), Duration.ofSeconds(number(s3, "timeout_seconds", 30)));
    }

    private ServiceConfig.Gate gate(YamlDocument doc, Map<String, Object> root, SecretSource secrets, Path baseDir) {
        Map<String, Object> r = map(root, "reasoning");
        String provider = string(r, "provider", "none");
        ServiceConfig.Reasoning reasoning = new ServiceConfig.Reasoning(provider, string(r, "base_url", ""),
                string(r, "model", ""), secrets.resolve("/reasoning", r, "api_key", "api_key_file",
                        "FIXGATE_REASONING_API_KEY", env), Duration.ofSeconds(number(r, "timeout_seconds", 30)));
        if (reasoning.configured() && (reasoning.baseUrl().isEmpty() || reasoning.model().isEmpty())) {
            problems.add(new ConfigProblem("config.missing-key", doc.valueAt("/reasoning"), "/reasoning",
                    "reasoning provider '" + provider + "' needs base_url and model"));
        }
        Map<String, Object> o = map(root, "opa");
        ServiceConfig.Opa opa = new ServiceConfig.Opa(string(o, "url", ""), string(o, "path", "fixgate/decision"),
                Duration.ofMillis(number(o, "timeout_ms", 2000)));
        List<Path> dirs = strings(map(root, "policies"), "directories").stream().map(baseDir::resolve).toList();
        return new ServiceConfig.Gate(reasoning, opa, dirs);
    }

    private ServiceConfig.AuditAnchor anchor(Map<String, Object> root, SecretSource secrets, Path baseDir) {
        Map<String, Object> a = map(map(root, "audit"), "anchor");
        String repository = string(a, "repository", "");
        if (repository.isEmpty()) {
            return ServiceConfig.AuditAnchor.none();
        }
        // a URL stays as it is; a path is resolved against the configuration's directory
        if (!repository.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            repository = baseDir.resolve(repository).toAbsolutePath().normalize().toString();
        }
        return new ServiceConfig.AuditAnchor(repository, string(a, "branch", "fixgate-audit-anchors"),
                Duration.ofMinutes(number(a, "interval_minutes", 60)),
                secrets.resolve("/audit/anchor", a, null, "signing_key_file", "FIXGATE_AUDIT_ANCHOR_SIGNING_KEY", env),
                string(a, "public_key", ""),
                secrets.resolve("/audit/anchor", a, null, "token_file", "FIXGATE_AUDIT_ANCHOR_TOKEN", env),
                string(a, "committer_name", "fixgate"), string(a, "committer_email", "fixgate@localhost"));
    }

    private String envOr(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
