package dev.fixgate.app.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.jobs.PermanentJobFailure;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.PullCursors;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.localazure.LocalAzure;
import dev.fixgate.provider.azure.AzureAccess;
import dev.fixgate.provider.azure.AzureFindingSources;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.finding.FindingState;
import dev.fixgate.spi.intake.FindingSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The Defender for Cloud pull end to end below the job worker: the real Resource Graph client (azure-core's pipeline,
 * bearer policy, JDK HTTP client) against {@code test/local-azure}'s {@code securityresources} table, pages of two
 * rows, the real parsers and control catalog, intake and the store, the cursor in the database.
 */
class DefenderPullTest {

    static final String SUB = "00000000-0000-0000-0000-0000000000d1";
    static final String RG = "/subscriptions/" + SUB + "/resourceGroups/rg-data";
    static final String STORAGE = RG + "/providers/Microsoft.Storage/storageAccounts/stlogs";
    static final String SQL = RG + "/providers/Microsoft.Sql/servers/sql-orders";
    static final String VM = RG + "/providers/Microsoft.Compute/virtualMachines/vm-jump";
    /** Defender keys: secure transfer, SQL public network access, management ports closed (not mapped), NSG on subnets. */
    static final String SECURE_TRANSFER = "1c5de8e1-f68d-6a17-e0d2-ec259c42768c";
    static final String SQL_PUBLIC = "22e93e92-4a31-b4cd-d640-3ef908430aa6";
    static final String MGMT_PORTS = "bc303248-3d14-44c2-96a0-55f5c326b5fe";
    static final String SUBNET_NSG = "eade5b56-eefd-444f-95c8-23f29e5d93cb";
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    static final String RESOURCE_GRAPH = "/providers/Microsoft.ResourceGraph/resources";

    @TempDir
    Path home;
    private LocalAzure azure;
    private Database db;
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @BeforeEach
    void start() {
        azure = LocalAzure.start().graphPageSize(2);
        azure.model()
                .assessment(STORAGE, SECURE_TRANSFER, "Secure transfer to storage accounts should be enabled", "Unhealthy",
                        "High", T0, Instant.parse("2026-12-01T08:00:00Z"))
                .assessment(SQL, SQL_PUBLIC, "Public network access on Azure SQL Database should be disabled",
                        "Unhealthy", "Medium", T0, Instant.parse("2026-12-01T08:30:00Z"))
                .assessment(VM, MGMT_PORTS, "Management ports should be closed on your virtual machines", "Unhealthy",
                        "Medium", T0, Instant.parse("2026-12-01T09:00:00Z"))
                .assessment(RG + "/providers/Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet", SUBNET_NSG,
                        "Subnets should be associated with a network security group", "NotApplicable", "Low", T0,
                        Instant.parse("2026-12-01T07:00:00Z"));
        db = open();
    }

    @AfterEach
    void stop() {
        db.close();
        azure.close();
    }

    private Database open() {
        return Database.open(Database.embeddedUrl(home), "", Secret.none(), 2);
    }

    /** A credential that hands out the stand-in's token: no identity platform is reachable in tests. */
    static final class StaticToken implements TokenCredential {
        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.just(new AccessToken(LocalAzure.TOKEN, OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)));
        }
    }

    private FindingSource source() {
        Duration budget = Duration.ofSeconds(10);
        var client = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(azure.clientSslContext()))
                .responseTimeout(budget).readTimeout(budget).build();
        var settings = new ProviderSettings(Map.of("management", azure.managementEndpoint()),
                List.of(new ProviderSettings.AccountAccess(SUB, "", "")), List.of(), budget, clock, Map.of());
        List<FindingSource> sources = new AzureFindingSources().sources(settings, new AzureAccess(a -> new StaticToken(), client));
        assertThat(sources).extracting(FindingSource::id).containsExactly("azure-defender");
        return sources.getFirst();
    }

    private PullJobHandler handler(Database on) {
        return new PullJobHandler(source(), Wiring.intake(on, clock, id -> { }), new PullCursors(on), new JobQueue(on),
                Duration.ofMinutes(60), clock);
    }

    private Map<String, FindingState> states(Database on) {
        return new FindingStore(on).all().stream()
                .collect(Collectors.toMap(f -> f.control().value(), FindingStore.StoredFinding::state));
    }

    private List<String> graphQueries() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new java.util.ArrayList<>();
        for (var call : azure.calls()) {
            if (call.path().equalsIgnoreCase(RESOURCE_GRAPH)) {
                out.add(json.readTree(call.body()).path("query").asText());
            }
        }
        return out;
    }

    @Test
    void everyPageIsIngestedUnhealthyOpensNotApplicableIsCountedAndTheCatalogMapsTheKeys() throws Exception {
        List<PullJobHandler.AccountPull> pulls = handler(db).pullNow();

        assertThat(pulls).singleElement().satisfies(p -> {
            assertThat(p.failure()).isEmpty();
            assertThat(p.records()).isEqualTo(4);
            assertThat(p.notApplicable()).isEqualTo(1);
            assertThat(p.stored()).containsEntry("new", 3L);
            assertThat(p.cursor()).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
        });
        assertThat(states(db)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "azure.storage.account.https_only", FindingState.NEW,
                "azure.sql.server.public_network_access", FindingState.NEW,
                "unmapped:defender:" + MGMT_PORTS, FindingState.NEW));
        var storage = new FindingStore(db).all().stream()
                .filter(f -> f.control().value().equals("azure.storage.account.https_only")).findFirst().orElseThrow();
        assertThat(storage.resource().toString()).contains(STORAGE);
        assertThat(storage.firstSeen()).isEqualTo(T0);
        assertThat(storage.lastSeen()).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        // four rows in pages of two: two queries, the second with the first's $skipToken; the first pull reads everything
        assertThat(graphQueries()).hasSize(2).allSatisfy(q -> assertThat(q)
                .startsWith("securityresources").contains("where type == 'microsoft.security/assessments'")
                .doesNotContain("datetime("));
        assertThat(azure.calls().get(1).body()).contains("\"$skipToken\":\"2\"");
        assertThat(new PullCursors(db).position("azure-defender", SUB)).contains(Instant.parse("2026-12-01T09:00:00Z"));
    }

    @Test
    void aHealthyRecordResolvesTheOpenFindingAndTheCursorSurvivesARestart() throws Exception {
        handler(db).pullNow();
        db.close();
        azure.model().assessment(STORAGE, SECURE_TRANSFER, "Secure transfer to storage accounts should be enabled",
                "Healthy", "High", T0, Instant.parse("2026-12-01T10:00:00Z"));
        azure.clearCalls();

        db = open(); // a new process on the same database
        List<PullJobHandler.AccountPull> second = handler(db).pullNow();

        assertThat(graphQueries()).singleElement().asString()
                .contains("where todatetime(properties.status.statusChangeDate) >= datetime(2026-12-01T09:00:00Z)");
        assertThat(second).singleElement().satisfies(p -> {
            assertThat(p.from()).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
            assertThat(p.records()).isEqualTo(2); // the 09:00 row again (the cursor is inclusive) and the 10:00 change
            assertThat(p.stored()).containsEntry("resolved", 1L).containsEntry("unchanged", 1L).containsEntry("new", 0L);
            assertThat(p.cursor()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        });
        assertThat(states(db)).containsEntry("azure.storage.account.https_only", FindingState.RESOLVED)
                .containsEntry("azure.sql.server.public_network_access", FindingState.NEW);

        // the same records once more change nothing
        long findings = new FindingStore(db).count();
        List<PullJobHandler.AccountPull> third = handler(db).pullNow();
        assertThat(third.getFirst().stored()).containsEntry("unchanged", 1L).containsEntry("resolved", 0L)
                .containsEntry("new", 0L);
        assertThat(new FindingStore(db).count()).isEqualTo(findings);
        assertThat(states(db)).containsEntry("azure.storage.account.https_only", FindingState.RESOLVED);
    }

    @Test
    void aDeniedReadFailsTheRunWithTheReasonKeepsTheCursorAndTheNextSlotRuns() throws Exception {
        azure.fail(RESOURCE_GRAPH, 403, "AuthorizationFailed", 0, 1);
        PullJobHandler handler = handler(db);
        JobQueue queue = new JobQueue(db);

        assertThatThrownBy(() -> handler.handle(job()))
                .isInstanceOf(PermanentJobFailure.class)
                .hasMessageContaining("pull azure-defender failed for 1 of 1 account(s)")
                .hasMessageContaining("AuthorizationFailed (403)")
                .hasMessageContaining("Microsoft.Security/assessments/read")
                .hasMessageContaining(SUB)
                .hasMessageNotContaining(LocalAzure.TOKEN);
        assertThat(new PullCursors(db).position("azure-defender", SUB)).isEmpty();
        assertThat(new FindingStore(db).count()).isZero();
        // the next slot is queued before the read, so a failed pull is tried again on the schedule
        assertThat(queue.list(Optional.of(JobQueue.Status.QUEUED), 10)).singleElement().satisfies(j -> {
            assertThat(j.kind()).isEqualTo("fixgate.pull.azure-defender");
            assertThat(j.runAfter()).isEqualTo(Instant.parse("2026-12-07T13:00:00Z"));
            assertThat(j.maxAttempts()).isEqualTo(1);
        });

        handler.handle(job()); // the fault was once: the next run reads everything
        assertThat(new FindingStore(db).count()).isEqualTo(3);
    }

    @Test
    void throttlingFailsTheRunWithTheServicesRetryAfter() {
        azure.fail(RESOURCE_GRAPH, 429, "RateLimiting", 30, 1);

        List<PullJobHandler.AccountPull> pulls = handler(db).pullNow();

        assertThat(pulls).singleElement().satisfies(p -> {
            assertThat(p.failure()).contains("throttled").contains("RateLimiting (429)")
                    .contains("retry after 30 s");
            assertThat(p.cursor()).isEqualTo(Instant.EPOCH);
        });
        assertThat(new PullCursors(db).position("azure-defender", SUB)).isEmpty();
    }

    private static JobQueue.Job job() {
        return new JobQueue.Job(1, "fixgate.pull.azure-defender", "{}", JobQueue.Status.RUNNING, 1, 1, NOW, "", "test",
                NOW, NOW);
    }
}
