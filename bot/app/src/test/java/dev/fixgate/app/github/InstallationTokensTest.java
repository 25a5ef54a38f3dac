package dev.fixgate.app.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.app.config.Secret;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InstallationTokensTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final AtomicInteger fetches = new AtomicInteger();

    /** Like GitHub: a new token per fetch, valid for an hour. */
    private InstallationToken issue(long installationId) {
        int n = fetches.incrementAndGet();
        return new InstallationToken(Secret.of("ghs_" + installationId + "x" + n), clock.instant().plus(Duration.ofHours(1)));
    }

    @Test
    void aTokenIsReusedUntilFiveMinutesAreLeftThenReplaced() throws IOException {
        InstallationTokens tokens = new InstallationTokens(this::issue, clock);

        Secret first = tokens.token(7);
        assertThat(tokens.token(7)).isEqualTo(first);
        clock.advance(Duration.ofMinutes(54));                  // 6 minutes left
        assertThat(tokens.token(7)).isEqualTo(first);
        assertThat(fetches).hasValue(1);

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));     // 4:59 left
        Secret second = tokens.token(7);
        assertThat(second).isNotEqualTo(first);
        assertThat(second.reveal()).isEqualTo("ghs_7x2");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void installationsHaveTheirOwnTokens() throws IOException {
        InstallationTokens tokens = new InstallationTokens(this::issue, clock);

        assertThat(tokens.token(1).reveal()).isEqualTo("ghs_1x1");
        assertThat(tokens.token(2).reveal()).isEqualTo("ghs_2x2");
        assertThat(tokens.token(1).reveal()).isEqualTo("ghs_1x1");
        tokens.invalidate(1);
        assertThat(tokens.token(1).reveal()).isEqualTo("ghs_1x3");
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        CountDownLatch inFetch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InstallationTokens tokens = new InstallationTokens(id -> {
            inFetch.countDown();
            await(release);
            return issue(id);
        }, clock);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<Secret>> callers = new ArrayList<>();
            callers.add(pool.submit(() -> tokens.token(9)));
            assertThat(inFetch.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 15; i++) {
                callers.add(pool.submit(() -> tokens.token(9)));
            }
            Thread.sleep(100); // let them all reach the in-flight fetch
            release.countDown();
            for (Future<Secret> f : callers) {
                assertThat(f.get(5, TimeUnit.SECONDS).reveal()).isEqualTo("ghs_9x1");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fetches).hasValue(1);
    }

    @Test
    void aFailedFetchFailsItsWaitersAndTheNextCallTriesAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch inFetch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InstallationTokens tokens = new InstallationTokens(id -> {
            if (calls.incrementAndGet() == 1) {
                inFetch.countDown();
                await(release);
                throw new IOException("GitHub returned 502");
            }
            return issue(id);
        }, clock);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<Secret> first = pool.submit(() -> tokens.token(3));
            assertThat(inFetch.await(5, TimeUnit.SECONDS)).isTrue();
            Future<Secret> waiter = pool.submit(() -> tokens.token(3));
            Thread.sleep(100);
            release.countDown();
            assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("GitHub returned 502");
            assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("GitHub returned 502");
        } finally {
            pool.shutdownNow();
        }
        assertThat(tokens.token(3).reveal()).startsWith("ghs_3x");
        assertThat(calls).hasValue(2);
    }

    @Test
    void theInstallationClientSendsTheCachedToken() throws Exception {
        InstallationTokens tokens = new InstallationTokens(this::issue, clock);
        GitHubClients clients = new GitHubClients(java.net.URI.create("http://127.0.0.1:1/api/v3"),
                GitHubAppCredentials.of(5, TestKeys.pkcs1Pem(TestKeys.RSA_2048)), clock,
                RateLimitPolicy.defaults(clock), tokens);

        assertThat(clients.installationAuthorization(11).getEncodedAuthorization()).isEqualTo("token ghs_11x1");
        assertThat(clients.installationAuthorization(11).getEncodedAuthorization()).isEqualTo("token ghs_11x1");
        assertThat(clients.installation(11)).isSameAs(clients.installation(11));
        String app = clients.appAuthorization().getEncodedAuthorization();
        assertThat(app).startsWith("Bearer ey");
        assertThat(GitHubAppCredentialsTest.verifies(app.substring(7), TestKeys.RSA_2048.getPublic())).isTrue();
        assertThat(clients.appAuthorization().getEncodedAuthorization()).as("the JWT is reused").isEqualTo(app);
        clock.advance(Duration.ofMinutes(8));
        assertThat(clients.appAuthorization().getEncodedAuthorization()).as("and replaced before it expires").isNotEqualTo(app);
        assertThat(fetches).hasValue(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
