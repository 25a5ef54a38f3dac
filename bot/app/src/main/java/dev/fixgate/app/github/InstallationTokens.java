package dev.fixgate.app.github;

import dev.fixgate.app.config.Secret;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Installation access tokens by installation id. A token is reused until less than {@link #DEFAULT_REFRESH_MARGIN}
 * of its life remains, then fetched again; callers that need the same installation's token while it is being
 * fetched wait for that one fetch instead of starting their own. Tokens are {@link Secret}s and are never logged.
 */
public final class InstallationTokens {

    /** Creates an installation token (the default asks GitHub: {@link GitHubClients#tokenFetcher}). */
    @FunctionalInterface
    public interface Fetcher {
        InstallationToken fetch(long installationId) throws IOException;
    }

    /** GitHub's tokens live an hour; one with less than five minutes left is replaced before it is handed out. */
    public static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofMinutes(5);

    private final Fetcher fetcher;
    private final Clock clock;
    private final Duration refreshMargin;
    private final Map<Long, InstallationToken> cached = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<InstallationToken>> inFlight = new ConcurrentHashMap<>();

    public InstallationTokens(Fetcher fetcher, Clock clock, Duration refreshMargin) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refreshMargin = Objects.requireNonNull(refreshMargin, "refreshMargin");
    }

    public InstallationTokens(Fetcher fetcher, Clock clock) {
        this(fetcher, clock, DEFAULT_REFRESH_MARGIN);
    }

    /** A token for {@code installationId} with more than the refresh margin left (fetched if needed). */
    public Secret token(long installationId) throws IOException {
        InstallationToken current = cached.get(installationId);
        if (current != null && fresh(current)) {
            return current.token();
        }
        CompletableFuture<InstallationToken> mine = new CompletableFuture<>();
        CompletableFuture<InstallationToken> running = inFlight.putIfAbsent(installationId, mine);
        if (running != null) {
            return await(running).token();
        }
        try {
            // Another caller may have finished a fetch between our look at the cache and taking the slot.
            InstallationToken again = cached.get(installationId);
            InstallationToken token = again != null && fresh(again) ? again : fetcher.fetch(installationId);
            cached.put(installationId, token);
            mine.complete(token);
            return token.token();
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(installationId, mine);
        }
    }

    /** Forgets the token of {@code installationId} (GitHub refused it: revoked, or the installation changed). */
    public void invalidate(long installationId) {
        cached.remove(installationId);
    }

    private boolean fresh(InstallationToken token) {
        Instant now = clock.instant();
        return Duration.between(now, token.expiresAt()).compareTo(refreshMargin) > 0;
    }

    private static InstallationToken await(CompletableFuture<InstallationToken> fetch) throws IOException {
        try {
            return fetch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an installation token");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            switch (cause) {
                case IOException io -> throw new IOException("fetching the installation token failed: " + io.getMessage(), io);
                case RuntimeException re -> throw re;
                case Error err -> throw err;
                default -> throw new UncheckedIOException(new IOException(cause));
            }
        }
    }

    @Override
    public String toString() {
        return "InstallationTokens[cached=" + cached.size() + "]";
    }
}
