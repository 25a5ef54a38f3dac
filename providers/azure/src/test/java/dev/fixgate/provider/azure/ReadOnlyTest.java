package dev.fixgate.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.fixgate.localazure.LocalAzure;
import dev.fixgate.provider.common.testing.ReadOnlyCalls;
import dev.fixgate.spi.evidence.EvidenceCollector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Azure collectors call only read operations, and only those they declare. The registry below is the test's
 * knowledge of the SDK: which REST operation each SDK method sends. A method not in it fails the rule, so adding a
 * call means adding it here — where a reviewer sees whether it reads.
 */
class ReadOnlyTest {

    static final String FLUENT = "com.azure.resourcemanager.";
    static final Map<String, String> REGISTRY = Map.of(
            FLUENT + "resourcegraph.fluent.ResourceProvidersClient.resources", "Resources - Resources",
            FLUENT + "monitor.fluent.MetricsClient.listWithResponse", "Metrics - List",
            FLUENT + "monitor.fluent.DiagnosticSettingsOperationsClient.list", "Diagnostic Settings - List",
            FLUENT + "storage.fluent.StorageAccountsClient.getByResourceGroup", "Storage Accounts - Get Properties",
            FLUENT + "storage.fluent.BlobContainersClient.list", "Blob Containers - List",
            "dev.fixgate.provider.azure.LogAnalytics.queryCount", "Query - Execute");
    static final Map<String, String> NOT_A_VERB_BUT_READS = Map.of(
            FLUENT + "resourcegraph.fluent.ResourceProvidersClient.resources",
            "Resource Graph's query is POST /providers/Microsoft.ResourceGraph/resources: it only reads, and needs"
            + " Microsoft.ResourceGraph/resources/read",
            "dev.fixgate.provider.azure.LogAnalytics.queryCount",
            "a Log Analytics query (POST …/api/query) only reads; needs Microsoft.OperationalInsights/workspaces/query/read");

    /** SDK clients and managers, and our own REST client. */
    static boolean surface(String className) {
        return className.startsWith(FLUENT) && (className.endsWith("Client") || className.endsWith("Manager"))
                || className.equals("dev.fixgate.provider.azure.LogAnalytics")
                || className.equals("com.azure.core.http.HttpPipeline");
    }

    static final ReadOnlyCalls RULE = new ReadOnlyCalls(ReadOnlyTest::surface, REGISTRY, NOT_A_VERB_BUT_READS,
            Set.of("dev.fixgate.provider."));

    static LocalAzure azure;

    @BeforeAll
    static void start() {
        azure = LocalAzure.start();
    }

    @AfterAll
    static void stop() {
        azure.close();
    }

    static JavaClasses main() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.fixgate.provider.azure", "dev.fixgate.provider.common");
    }

    @Test
    void theDefenderPullCallsOnlyTheReadsItDeclares() {
        Set<String> ops = RULE.operations(main(), DefenderAssessments.class);
        assertThat(ops).as("the pull reads something").isNotEmpty().allSatisfy(full -> {
            String op = full.substring(0, full.indexOf('('));
            assertThat(REGISTRY).as(op + " is a registered read").containsKey(op);
            assertThat(DefenderAssessments.READS).extracting(dev.fixgate.spi.evidence.ReadAction::operation)
                    .as(op + " is declared").contains(REGISTRY.get(op));
        });
    }

    @Test
    void everyCollectorCallsOnlyTheReadsItDeclares() {
        JavaClasses classes = main();
        List<EvidenceCollector> collectors = StandIn.collectors(azure, Duration.ofSeconds(5));
        List<String> violations = new ArrayList<>();
        for (EvidenceCollector c : collectors) {
            assertThat(RULE.operations(classes, c.getClass())).as(c.id() + " reads something").isNotEmpty();
            violations.addAll(RULE.violations(classes, c));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theRawPipelineIsSentOnlyByTheLogAnalyticsClient() {
        var sends = main().stream().flatMap(c -> c.getMethodCallsFromSelf().stream())
                .filter(call -> call.getTargetOwner().getName().equals("com.azure.core.http.HttpPipeline")
                        && call.getName().startsWith("send"))
                .map(call -> call.getOriginOwner().getName()).distinct().toList();
        assertThat(sends).containsExactly("dev.fixgate.provider.azure.LogAnalytics");
    }

    @Test
    void theRuleCatchesAWriteAndAnUndeclaredRead() {
        JavaClasses classes = new ClassFileImporter().importPackages("dev.fixgate.provider.azure", "dev.fixgate.provider.common");
        AzureClients clients = new AzureClients(StandIn.settings(azure, Duration.ofSeconds(5)),
                new AzureAccess(a -> new StandIn.StaticToken(), com.azure.core.http.HttpClient.createDefault()));
        var settings = StandIn.settings(azure, Duration.ofSeconds(5));

        List<String> writer = RULE.violations(classes, new PlantedCollectors.Writer(clients, settings));
        assertThat(writer).contains(
                "planted.writer calls com.azure.resourcemanager.storage.fluent.StorageAccountsClient.delete, whose name is not a read",
                "planted.writer calls com.azure.resourcemanager.storage.fluent.StorageAccountsClient.delete, which is not a known read operation");

        List<String> undeclared = RULE.violations(classes, new PlantedCollectors.Undeclared(clients, settings));
        assertThat(undeclared).containsExactly(
                "planted.undeclared calls com.azure.resourcemanager.monitor.fluent.MetricsClient.listWithResponse (Metrics - List)"
                + " but does not declare it in reads()",
                "planted.undeclared declares Storage Accounts - Get Properties in reads() but no code of it calls that operation");
    }
}
