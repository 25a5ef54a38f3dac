package dev.fixgate.app.config;

import dev.fixgate.spi.error.SourceLocation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The service's configuration after the file, the environment and the defaults have been combined and every
 * secret file read. Values are never null: "not set" is {@code 0}, the empty string or {@link Secret#none()}.
 *
 * @param source   where it came from ({@code fixgate.yml}, or {@code defaults}), for messages
 * @param github   the GitHub App
 * @param database the database
 * @param server   the HTTP listener
 * @param apiTokens bearer tokens accepted by the REST API
 * @param limits   input limits
 * @param evidence how evidence is collected, and from which clouds
 * @param auditAnchor where the audit log's head is anchored
 * @param terraformState how locate reads Terraform state
 * @param pull     which clouds' own findings are pulled on a schedule ({@code intake})
 */
public record ServiceConfig(String source, Github github, Database database, Server server, List<ApiToken> apiTokens,
                            Limits limits, Gate gate, Evidence evidence, AuditAnchor auditAnchor,
                            TerraformState terraformState, Pull pull) {

    public static final URI GITHUB_DOT_COM = URI.create("https://api.github.com");

    public ServiceConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(github, "github");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(auditAnchor, "auditAnchor");
        Objects.requireNonNull(terraformState, "terraformState");
        Objects.requireNonNull(pull, "pull");
        apiTokens = List.copyOf(apiTokens);
    }

    /** The same configuration reading evidence as {@code evidence} says (the demo points it at its local cloud). */
    public ServiceConfig withEvidence(Evidence evidence) {
        return new ServiceConfig(source, github, database, server, apiTokens, limits, gate, evidence, auditAnchor,
                terraformState, pull);
    }

    /** The same configuration pulling findings as {@code pull} says. */
    public ServiceConfig withPull(Pull pull) {
        return new ServiceConfig(source, github, database, server, apiTokens, limits, gate, evidence, auditAnchor,
                terraformState, pull);
    }

    /**
     * The scheduled pulls of the clouds' own findings ({@code intake.pull}): each source reads the accounts of its cloud
     * under {@code clouds.<cloud>.accounts}, every {@code every}.
     *
     * @param every   how often each source is pulled
     * @param sources the source ids ({@code azure-defender}); empty: no pull
     */
    public record Pull(Duration every, List<String> sources) {
        public Pull {
            Objects.requireNonNull(every, "every");
            sources = List.copyOf(sources);
            if (!sources.isEmpty() && (every.isZero() || every.isNegative())) {
                throw new IllegalArgumentException("a pull needs a positive period");
            }
        }

        public static Pull none() {
            return new Pull(Duration.ofMinutes(60), List.of());
        }
    }

    /**
     * @param ttl            how long an observed value is reused
     * @param unavailableTtl how long a failed read is remembered
     * @param budget         how long one resource's collection may take
     * @param perCloud       reads in flight per cloud
     * @param reassessEvery  how often open remediations are re-assessed; zero: never
     * @param clouds         the clouds read, by {@link dev.fixgate.spi.finding.Cloud#id()}; a cloud not listed is not read
     */
    public record Evidence(java.time.Duration ttl, java.time.Duration unavailableTtl, java.time.Duration budget,
                           int perCloud, java.time.Duration reassessEvery, java.util.Map<String, CloudAccess> clouds) {
        public Evidence {
            Objects.requireNonNull(ttl, "ttl");
            Objects.requireNonNull(unavailableTtl, "unavailableTtl");
            Objects.requireNonNull(budget, "budget");
            Objects.requireNonNull(reassessEvery, "reassessEvery");
            clouds = java.util.Map.copyOf(clouds);
        }

        public static Evidence defaults() {
            return new Evidence(java.time.Duration.ofHours(1), java.time.Duration.ofMinutes(5),
                    java.time.Duration.ofSeconds(60), 8, java.time.Duration.ofHours(6), java.util.Map.of());
        }

        public Evidence withClouds(java.util.Map<String, CloudAccess> clouds) {
            return new Evidence(ttl, unavailableTtl, budget, perCloud, reassessEvery, clouds);
        }
    }

    /**
     * One cloud's access: nothing here is secret (credentials come from the SDK's default chain).
     *
     * @param accounts per account, subscription or project: the role to use and the environment it serves
     */
    public record CloudAccess(List<String> regions, java.util.Map<String, String> endpoints, List<Account> accounts,
                              java.util.Map<String, String> options) {
        public CloudAccess {
            regions = List.copyOf(regions);
            endpoints = java.util.Map.copyOf(endpoints);
            accounts = List.copyOf(accounts);
            options = java.util.Map.copyOf(options);
        }

        public static CloudAccess defaults() {
            return new CloudAccess(List.of(), java.util.Map.of(), List.of(), java.util.Map.of());
        }
    }

    /** @param environment empty when not declared */
    public record Account(String id, String role, String externalId, String environment) {
        public Account {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(externalId, "externalId");
            Objects.requireNonNull(environment, "environment");
        }
    }

    /**
     * How locate reads Terraform state (read-only).
     *
     * @param maxBytes     the largest state read
     * @param s3Enabled    whether the objects {@code backend "s3"} blocks name are read (GetObject)
     * @param s3Region     the region of a backend that names none
     * @param s3Endpoint   an S3-compatible endpoint instead of AWS's; empty for AWS
     * @param s3PathStyle  path-style bucket addressing
     * @param s3Timeout    one download's budget, retries included
     */
    public record TerraformState(long maxBytes, boolean s3Enabled, String s3Region, String s3Endpoint,
                                 boolean s3PathStyle, Duration s3Timeout) {
        public static final long DEFAULT_MAX_BYTES = 32L << 20;

        public TerraformState {
            Objects.requireNonNull(s3Region, "s3Region");
            Objects.requireNonNull(s3Endpoint, "s3Endpoint");
            Objects.requireNonNull(s3Timeout, "s3Timeout");
        }

        public static TerraformState defaults() {
            return new TerraformState(DEFAULT_MAX_BYTES, true, "us-east-1", "", false, Duration.ofSeconds(30));
        }
    }

    /**
     * @param appId         0 when not configured
     * @param privateKeyPem the App's PEM private key
     * @param webhookSecret the secret webhook deliveries are signed with
     */
    public record Github(URI apiUrl, long appId, Secret privateKeyPem, Secret webhookSecret) {
        public Github {
            Objects.requireNonNull(apiUrl, "apiUrl");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
            Objects.requireNonNull(webhookSecret, "webhookSecret");
        }
    }

    /** @param url empty for the embedded H2 database under the state directory */
    public record Database(String url, String username, Secret password, int poolSize) {
        public Database {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        public boolean embedded() {
            return url.isEmpty();
        }

        /** The URL without any inline password ({@code password=...} parameters are masked). */
        public String redactedUrl() {
            return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
        }

        @Override
        public String toString() {
            return "Database[url=" + (embedded() ? "(embedded H2)" : redactedUrl()) + ", username=" + username
                    + ", password=" + password + ", poolSize=" + poolSize + "]";
        }
    }

    public record Server(String bind, int port) {
        public Server {
            Objects.requireNonNull(bind, "bind");
        }
    }

    public record ApiToken(String name, Secret token) {
        public ApiToken {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(token, "token");
        }
    }

    public record Limits(long maxRequestBytes, long maxWebhookBytes, int workerThreads) {
    }

    /**
     * The gate's external parts.
     *
     * @param reasoning        the layer-2 model; provider {@code none} when not configured
     * @param opa              the optional OPA decision point; {@code url} empty when not configured
     * @param policyDirectories directories of user policy files, resolved against the configuration's directory
     */
    public record Gate(Reasoning reasoning, Opa opa, List<Path> policyDirectories) {
        public Gate {
            Objects.requireNonNull(reasoning, "reasoning");
            Objects.requireNonNull(opa, "opa");
            policyDirectories = List.copyOf(policyDirectories);
        }

        public static Gate none() {
            return new Gate(new Reasoning("none", "", "", Secret.none(), Duration.ofSeconds(30)),
                    new Opa("", "fixgate/decision", Duration.ofSeconds(2)), List.of());
        }
    }

    /**
     * Where the audit log's head is anchored ({@code audit.anchor}).
     *
     * @param repository      a local path (absolute, resolved against the configuration's directory) or a URL;
     *                        empty when anchoring is not configured
     * @param interval        how often serve anchors; zero: only {@code fixgate audit anchor}
     * @param signingKey      an OpenSSH Ed25519 private key, or none (anchors unsigned)
     * @param publicKey       an OpenSSH public key line to verify with; empty: the signing key's own
     * @param token           the password for an https repository (user {@code x-access-token}), or none
     */
    public record AuditAnchor(String repository, String branch, Duration interval, Secret signingKey, String publicKey,
                              Secret token, String committerName, String committerEmail) {
        public AuditAnchor {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(signingKey, "signingKey");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(committerName, "committerName");
            Objects.requireNonNull(committerEmail, "committerEmail");
        }

        public static AuditAnchor none() {
            return new AuditAnchor("", "fixgate-audit-anchors", Duration.ZERO, Secret.none(), "", Secret.none(),
                    "fixgate", "fixgate@localhost");
        }

        public boolean configured() {
            return !repository.isEmpty();
        }
    }

    /** @param provider none | openai | azure-openai | anthropic | ollama */
    public record Reasoning(String provider, String baseUrl, String model, Secret apiKey, Duration timeout) {
        public Reasoning {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(timeout, "timeout");
        }

        public boolean configured() {
            return !provider.equals("none");
        }
    }

    /** @param url empty when no OPA is configured */
    public record Opa(String url, String path, Duration timeout) {
        public Opa {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(timeout, "timeout");
        }

        public boolean configured() {
            return !url.isEmpty();
        }
    }

    /**
     * Checks that everything {@code fixgate serve} needs to act as a GitHub App is present, naming for each
     * missing piece the key and the environment variable that would supply it.
     */
    public Github requireGithubApp() {
        List<ConfigProblem> missing = new ArrayList<>();
        SourceLocation where = SourceLocation.of(source);
        if (github.appId() <= 0) {
            missing.add(new ConfigProblem("config.missing-secret", where, "/github/app_id",
                    "the GitHub App id is not set (github.app_id or env FIXGATE_GITHUB_APP_ID)"));
        }
        if (!github.privateKeyPem().isPresent()) {
            missing.add(new ConfigProblem("config.missing-secret", where, "/github/private_key_file",
                    "the GitHub App private key is not set (github.private_key_file or github.private_key, or env"
                            + " FIXGATE_GITHUB_PRIVATE_KEY holding the PEM)"));
        }
        if (!github.webhookSecret().isPresent()) {
            missing.add(new ConfigProblem("config.missing-secret", where, "/github/webhook_secret_file",
                    "the webhook secret is not set (github.webhook_secret_file or env FIXGATE_GITHUB_WEBHOOK_SECRET);"
                            + " fixgate refuses unsigned webhooks"));
        }
        if (!missing.isEmpty()) {
            throw new ConfigException(missing);
        }
        return github;
    }
}
