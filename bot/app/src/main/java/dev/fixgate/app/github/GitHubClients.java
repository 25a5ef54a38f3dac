package dev.fixgate.app.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.json.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.authorization.AuthorizationProvider;
import org.kohsuke.github.connector.GitHubConnector;

/**
 * github-api clients authenticated as fixgate's GitHub App: {@link #app()} with the App's JWT (for {@code /app}
 * endpoints), {@link #installation(long)} with an installation token from {@link InstallationTokens} (for
 * everything done in a customer's repositories). Both are built on the configured API URL (github.com, GitHub
 * Enterprise Server or the local GitHub) with fixgate's {@link RateLimitPolicy}.
 *
 * <p>Clients are cached and cheap to ask for; their authorization is looked up on every request, so a cached
 * client keeps working as tokens are refreshed. Each has its own {@link MetadataCache} for the repository metadata every
 * stage reads again within moments.
 */
public final class GitHubClients {

    /** Reuse a JWT until it has this little of its nine minutes left. */
    private static final Duration JWT_REFRESH_MARGIN = Duration.ofMinutes(2);

    private final URI apiUrl;
    private final GitHubAppCredentials credentials;
    private final Clock clock;
    private final RateLimitPolicy rateLimits;
    private final InstallationTokens tokens;
    private final Map<Long, GitHub> installations = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private volatile GitHub app;
    private volatile Jwt jwt;

    private record Jwt(Secret value, Instant refreshAt) {
    }

    /** Clients whose installation tokens are created through the App's own client ({@link #tokenFetcher}). */
    public GitHubClients(URI apiUrl, GitHubAppCredentials credentials, Clock clock, RateLimitPolicy rateLimits) {
        this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
        this.tokens = new InstallationTokens(tokenFetcher(), clock);
    }

    /** Clients with a token cache of the caller's (tests, or a fetcher other than the App's client). */
    public GitHubClients(URI apiUrl, GitHubAppCredentials credentials, Clock clock, RateLimitPolicy rateLimits,
                         InstallationTokens tokens) {
        this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /** The client authenticated as the App (JWT): {@code getApp()}, installations, creating tokens. */
    public GitHub app() throws IOException {
        GitHub client = app;
        if (client == null) {
            synchronized (this) {
                if (app == null) {
                    app = build(appAuthorization());
                }
                client = app;
            }
        }
        return client;
    }

    /**
     * The client authenticated as installation {@code installationId} ({@code token <installation token>}), with
     * its {@link MetadataCache}: repository metadata up to a minute old.
     */
    public GitHub installation(long installationId) throws IOException {
        if (installationId <= 0) {
            throw new IllegalArgumentException("an installation id is positive");
        }
        GitHub client = installations.get(installationId);
        if (client != null) {
            return client;
        }
        GitHub built = build(installationAuthorization(installationId));
        GitHub raced = installations.putIfAbsent(installationId, built);
        return raced != null ? raced : built;
    }

    public InstallationTokens tokens() {
        return tokens;
    }

    public URI apiUrl() {
        return apiUrl;
    }

    /**
     * Creates installation tokens in one request, {@code POST /app/installations/{id}/access_tokens} with the App's
     * JWT — github-api's route ({@code getApp()}, {@code getInstallationById}, then the token) costs three.
     * 404: the installation is gone (a {@link FileNotFoundException}); any other answer but 201 is an {@link IOException}
     * naming the status and GitHub's message, never the token.
     */
    public InstallationTokens.Fetcher tokenFetcher() {
        return installationId -> {
            URI uri = URI.create(apiUrl.toString().replaceAll("/+$", "") + "/app/installations/" + installationId
                    + "/access_tokens");
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
                    .header("Authorization", "Bearer " + currentJwt().reveal())
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while creating an installation token");
            }
            JsonNode body = Json.mapper().readTree(r.body().isEmpty() ? "{}" : r.body());
            if (r.statusCode() == 404) {
                throw new FileNotFoundException("installation " + installationId + " not found (HTTP 404)");
            }
            String token = body.path("token").asText("");
            String expires = body.path("expires_at").asText("");
            if (r.statusCode() != 201 || token.isEmpty() || expires.isEmpty()) {
                throw new IOException("creating a token for installation " + installationId + ": HTTP "
                        + r.statusCode() + " " + body.path("message").asText(""));
            }
            return new InstallationToken(Secret.of(token), Instant.parse(expires));
        };
    }

    /** {@code Bearer <JWT>}, a JWT reused until two minutes before it expires. */
    AuthorizationProvider appAuthorization() {
        return () -> "Bearer " + currentJwt().reveal();
    }

    /** {@code token <installation token>}, looked up in the cache on every request. */
    AuthorizationProvider installationAuthorization(long installationId) {
        return () -> "token " + tokens.token(installationId).reveal();
    }

    private GitHub build(AuthorizationProvider authorization) throws IOException {
        return new GitHubBuilder()
                .withEndpoint(apiUrl.toString().replaceAll("/+$", ""))
                .withConnector(new MetadataCache(GitHubConnector.DEFAULT, clock, apiUrl.getPath()))
                .withAuthorizationProvider(authorization)
                .withRateLimitHandler(rateLimits.primary())
                .withAbuseLimitHandler(rateLimits.secondary())
                .build();
    }

    private Secret currentJwt() {
        Instant now = clock.instant();
        Jwt current = jwt;
        if (current == null || !now.isBefore(current.refreshAt())) {
            current = new Jwt(credentials.jwt(now), now.plus(GitHubAppCredentials.LIFETIME).minus(JWT_REFRESH_MARGIN));
            jwt = current;
        }
        return current.value();
    }

    @Override
    public String toString() {
        return "GitHubClients[apiUrl=" + apiUrl + ", appId=" + credentials.appId() + "]";
    }
}
