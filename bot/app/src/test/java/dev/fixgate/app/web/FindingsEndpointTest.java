package dev.fixgate.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.config.ServiceConfig.ApiToken;
import dev.fixgate.app.github.WebhookReceiver;
import dev.fixgate.app.group.Intake;
import dev.fixgate.app.group.LineParser;
import dev.fixgate.app.ingest.ParserRegistry;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.spi.finding.ControlResolver;
import dev.fixgate.spi.finding.ParseLimits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /api/v1/findings over a real socket. */
class FindingsEndpointTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef-ci";
    private static final String BODY = """
            securityhub|sh-1|S3.8|acme-logs|true|MEDIUM|2026-11-20T08:00:00Z
            !not a record
            prowler|pr-1|S3.8|acme-logs|true|HIGH|2026-11-20T08:00:00Z
            """;

    @TempDir
    Path home;
    private Database db;
    private WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        db = Database.open(Database.embeddedUrl(home), "", Secret.none(), 4);
        Intake intake = new Intake(new ParserRegistry(List.of(new LineParser())), ControlResolver.none(),
                new FindingStore(db), new InitiativeStore(db), new AuditLog(db), Clock.systemUTC(), ParseLimits.defaults());
        FindingsEndpoint findings = new FindingsEndpoint(() -> intake,
                List.of(new ApiToken("other", Secret.of("x".repeat(32))), new ApiToken("prowler-ci", Secret.of(TOKEN))), 4096);
        WebhookReceiver webhooks = new WebhookReceiver(Secret.of("s".repeat(32)), new WebhookDeliveries(db), Clock.systemUTC());
        server = WebServer.start("127.0.0.1", 0, new WebServer.Routes(db, webhooks, findings,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 4096, () -> true));
    }

    @AfterEach
    void stop() {
        server.close();
        db.close();
    }

    private HttpResponse<String> post(String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + FindingsEndpoint.PATH))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ingestsWithAValidTokenAndAnswersWithTheSummary() throws Exception {
        HttpResponse<String> r = post(BODY, "Bearer " + TOKEN);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"records\":3", "\"findings\":2", "\"duplicates\":0", "\"rejected\":1",
                "\"errors_total\":1", "\"unmapped\":[", "\"initiatives\":[");
        assertThat(new AuditLog(db).recent(Optional.empty(), 1)).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo("api:prowler-ci"));
    }

    @Test
    void repostingTheSameBodyChangesNothing() throws Exception {
        post(BODY, "Bearer " + TOKEN);
        HttpResponse<String> again = post(BODY, "Bearer " + TOKEN);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"unchanged\":2", "\"new\":0");
        assertThat(new FindingStore(db).count()).isEqualTo(2);
    }

    @Test
    void refusesMissingOrWrongTokens() throws Exception {
        assertThat(post(BODY, null).statusCode()).isEqualTo(401);
        assertThat(post(BODY, "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(post(BODY, "Basic " + TOKEN).statusCode()).isEqualTo(401);
        assertThat(post(BODY, null).headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"fixgate\"");
        assertThat(new FindingStore(db).count()).isZero();
    }

    @Test
    void refusesBodiesOverTheLimitButKeepsNothingHalfDone() throws Exception {
        String big = BODY.repeat(200);
        HttpResponse<String> r = post(big, "Bearer " + TOKEN);
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void anUnreadableBodyIsABadRequestWithTheReason() throws Exception {
        HttpResponse<String> r = post("plain prose, no format", "Bearer " + TOKEN);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("ingest.unknown-format");
    }
}
