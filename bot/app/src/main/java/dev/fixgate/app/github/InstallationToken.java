package dev.fixgate.app.github;

import dev.fixgate.app.config.Secret;
import java.util.Objects;
import java.time.Instant;

/** An installation access token and when it expires. The token is a {@link Secret}: it never prints. */
public record InstallationToken(Secret token, Instant expiresAt) {
    public InstallationToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
