package dev.fixgate.localgithub;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * How to start a {@link LocalGitHub}.
 *
 * @param dataDir          where the bare repositories are kept ({@code <owner>/<repo>.git})
 * @param host             the address to listen on (loopback by default)
 * @param port             the port; 0 picks a free one
 * @param clock            the clock for timestamps, token and JWT expiry
 * @param exchangeListener sees every REST request and response (tests validate them); a no-op by default
 * @param partialClone     whether git serves partial clones (filters, reachable objects wanted by id) as GitHub
 *                         does; on by default, off to play a git server without them
 */
public record LocalGitHubOptions(Path dataDir, String host, int port, Clock clock, Consumer<Exchange> exchangeListener,
                                 boolean partialClone) {

    public static LocalGitHubOptions in(Path dataDir) {
        return new LocalGitHubOptions(dataDir, "127.0.0.1", 0, Clock.systemUTC(), e -> { }, true);
    }

    public LocalGitHubOptions withPort(int newPort) {
        return new LocalGitHubOptions(dataDir, host, newPort, clock, exchangeListener, partialClone);
    }

    public LocalGitHubOptions withClock(Clock newClock) {
        return new LocalGitHubOptions(dataDir, host, port, newClock, exchangeListener, partialClone);
    }

    public LocalGitHubOptions withExchangeListener(Consumer<Exchange> listener) {
        return new LocalGitHubOptions(dataDir, host, port, clock, listener, partialClone);
    }

    public LocalGitHubOptions withoutPartialClone() {
        return new LocalGitHubOptions(dataDir, host, port, clock, exchangeListener, false);
    }
}
