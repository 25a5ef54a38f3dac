package dev.fixgate.app.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.jobs.JobWorkers;
import dev.fixgate.app.jobs.WorkerSettings;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Installation tokens, App JWTs and the private key never reach a log line: every path that handles them runs
 * with DEBUG logging on, a careless caller logs the objects themselves, and a job fails with an error that
 * quotes the token. The captured events are rendered with the converters logback.xml installs (the way they
 * reach stderr in production) and searched for the secrets.
 */
class SecretsStayOutOfLogsTest {

    /** The shape of a real installation token (ghs_ + 36 characters). */
    private static final String TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

    @TempDir
    Path home;
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger fixgate = context.getLogger("dev.fixgate");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level before;

    @BeforeEach
    void capture() {
        before = fixgate.getLevel();
        fixgate.setLevel(Level.DEBUG);
        captured.setContext(context);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
        fixgate.setLevel(before);
    }

    private String rendered() {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern("%logger %msg %kvp%n%rex");
        layout.start();
        return captured.list.stream().map(layout::doLayout).collect(Collectors.joining());
    }

    @Test
    void noTokenJwtOrKeyIsLogged() throws Exception {
        Secret pem = TestKeys.pkcs1Pem(TestKeys.RSA_2048);
        MutableClock clock = new MutableClock(Instant.now());
        InstallationTokens tokens = new InstallationTokens(
                id -> new InstallationToken(Secret.of(TOKEN), clock.instant().plus(Duration.ofHours(1))), clock);
        GitHubAppCredentials credentials = GitHubAppCredentials.of(99, pem);
        GitHubClients clients = new GitHubClients(URI.create("https://ghe.example.test/api/v3"), credentials, clock,
                RateLimitPolicy.defaults(clock), tokens);
        String jwt = clients.appAuthorization().getEncodedAuthorization().substring("Bearer ".length());
        assertThat(clients.installationAuthorization(4).getEncodedAuthorization()).isEqualTo("token " + TOKEN);

        org.slf4j.Logger careless = LoggerFactory.getLogger("dev.fixgate.app.careless");
        careless.atInfo().setMessage("wiring").addKeyValue("clients", clients).addKeyValue("credentials", credentials)
                .addKeyValue("tokens", tokens).addKeyValue("token", tokens.token(4))
                .addKeyValue("installation", new InstallationToken(tokens.token(4), clock.instant())).log();
        careless.info("jwt {}", credentials.jwt(clock.instant()));

        // A job whose failure quotes the token, as an HTTP library's error might.
        try (Database db = Database.open(Database.embeddedUrl(home), "", Secret.none(), 2)) {
            JobQueue queue = new JobQueue(db);
            long id = queue.enqueue("github.call", "{}", Optional.empty(), 1, Instant.now());
            try (JobWorkers workers = JobWorkers.builder(queue)
                    .settings(WorkerSettings.defaults(1).withPollInterval(Duration.ofMillis(20)))
                    .register(new dev.fixgate.app.jobs.JobHandler() {
                        @Override
                        public String kind() {
                            return "github.call";
                        }

                        @Override
                        public void handle(JobQueue.Job job) throws Exception {
                            throw new IOException("401 Bad credentials; sent Authorization: token "
                                    + tokens.token(4).reveal() + " and Bearer " + jwt,
                                    new IllegalStateException("key was " + pem.reveal()));
                        }
                    }).build().start()) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> queue.find(id).orElseThrow().status() == JobQueue.Status.DEAD);
            }
            assertThat(queue.find(id).orElseThrow().lastError()).contains("401 Bad credentials")
                    .doesNotContain(TOKEN).doesNotContain(jwt);
        }

        String logs = rendered();
        assertThat(logs).contains("job failed on its last attempt", "401 Bad credentials", "appId=99");
        assertThat(logs).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(4));
        assertThat(logs).doesNotContain(jwt).doesNotContain(jwt.split("\\.")[2]);
        String keyLine = pem.reveal().lines().skip(2).findFirst().orElseThrow();
        assertThat(logs).doesNotContain(keyLine);
    }
}
