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
 * @param terraformState how locate reads Terraform state
 */
public record ServiceConfig(String source, Github github, Database database, Server server, List<ApiToken> apiTokens,
                            Limits limits, Gate gate, TerraformState terraformState) {

    public static final URI GITHUB_DOT_COM = URI.create("https://api.github.com");

    public ServiceConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(github, "github");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(terraformState, "terraformState");
        apiTokens = List.copyOf(apiTokens);
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
