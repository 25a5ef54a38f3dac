package dev.fixgate.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.NoCredentials;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.fixgate.provider.common.testing.ReadOnlyCalls;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The GCP collectors call only read operations, and only those they declare. The registry maps each client method
 * (with its parameter types where overloads send different requests) to the REST method it sends.
 */
class ReadOnlyTest {

    static final String STORAGE = "com.google.cloud.storage.Storage.";
    static final String REST = "dev.fixgate.provider.gcp.GoogleRest.";
    static final Map<String, String> REGISTRY = Map.ofEntries(
            Map.entry("com.google.cloud.asset.v1.AssetServiceClient.searchAllResources", "assets.searchAllResources"),
            Map.entry("com.google.cloud.compute.v1.InstancesClient.get", "instances.get"),
            Map.entry("com.google.cloud.compute.v1.DisksClient.get", "disks.get"),
            Map.entry("com.google.cloud.compute.v1.ImagesClient.get", "images.get"),
            Map.entry("com.google.cloud.compute.v1.FirewallsClient.get", "firewalls.get"),
            Map.entry(STORAGE + "get(java.lang.String, [Lcom.google.cloud.storage.Storage$BucketGetOption;)", "buckets.get"),
            Map.entry(STORAGE + "getIamPolicy(java.lang.String, [Lcom.google.cloud.storage.Storage$BucketSourceOption;)",
                    "buckets.getIamPolicy"),
            Map.entry(STORAGE + "listAcls(java.lang.String)", "bucketAccessControls.list"),
            Map.entry(STORAGE + "listAcls(com.google.cloud.storage.BlobId)", "objectAccessControls.list"),
            Map.entry(STORAGE + "list(java.lang.String, [Lcom.google.cloud.storage.Storage$BlobListOption;)", "objects.list"),
            Map.entry(REST + "listLogEntries", "entries.list"),
            Map.entry(REST + "listEvents", "events.list"),
            Map.entry(REST + "getBinauthzPolicy", "projects.getPolicy"),
            // the SCC pull: ListFindings through the callable (its page loop is ours)
            Map.entry("com.google.cloud.securitycenter.v1.SecurityCenterClient.listFindingsCallable",
                    "organizations.sources.findings.list"));

    static boolean surface(String className) {
        return className.startsWith("com.google.cloud.") && className.endsWith("Client")
                || className.equals("com.google.cloud.storage.Storage")
                || className.equals("dev.fixgate.provider.gcp.GoogleRest");
    }

    static final ReadOnlyCalls RULE = new ReadOnlyCalls(ReadOnlyTest::surface, REGISTRY, Map.of(), Set.of("dev.fixgate.provider."));

    static JavaClasses main() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.fixgate.provider.gcp", "dev.fixgate.provider.common");
    }

    static List<EvidenceCollector> collectors() {
        return new GcpEvidenceProvider().collectors(ProviderSettings.defaults(Clock.systemUTC()),
                new GcpAccess(a -> NoCredentials.getInstance()));
    }

    @Test
    void theSccPullCallsOnlyTheReadsItDeclares() {
        Set<String> ops = RULE.operations(main(), SccFindings.class);
        assertThat(ops).as("the pull reads something").isNotEmpty().allSatisfy(full -> {
            String op = full.substring(0, full.indexOf('('));
            assertThat(op.substring(op.lastIndexOf('.') + 1)).matches(ReadOnlyCalls.READ_VERB);
            assertThat(REGISTRY).as(op + " is a registered read").containsKey(op);
            assertThat(SccFindings.READS).extracting(dev.fixgate.spi.evidence.ReadAction::operation)
                    .as(op + " is declared").contains(REGISTRY.get(op));
        });
    }

    @Test
    void everyCollectorCallsOnlyTheReadsItDeclares() {
        JavaClasses classes = main();
        List<String> violations = new ArrayList<>();
        for (EvidenceCollector c : collectors()) {
            assertThat(RULE.operations(classes, c.getClass())).as(c.id() + " reads something").isNotEmpty();
            violations.addAll(RULE.violations(classes, c));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theRawHttpClientIsUsedOnlyByTheRestClient() {
        var senders = main().stream().flatMap(c -> c.getMethodCallsFromSelf().stream())
                .filter(call -> call.getTargetOwner().getName().equals("java.net.http.HttpClient") && call.getName().startsWith("send"))
                .map(call -> call.getOriginOwner().getName()).distinct().toList();
        assertThat(senders).containsExactly("dev.fixgate.provider.gcp.GoogleRest");
    }

    @Test
    void theRuleCatchesAWriteAndAnUndeclaredRead() {
        JavaClasses classes = new ClassFileImporter().importPackages("dev.fixgate.provider.gcp", "dev.fixgate.provider.common");
        var settings = ProviderSettings.defaults(Clock.systemUTC());
        var clients = new GcpClients(settings, new GcpAccess(a -> NoCredentials.getInstance()));

        assertThat(RULE.violations(classes, new PlantedCollectors.Writer(clients, settings))).contains(
                "planted.writer calls com.google.cloud.storage.Storage.delete, whose name is not a read",
                "planted.writer calls com.google.cloud.storage.Storage.delete, which is not a known read operation");
        assertThat(RULE.violations(classes, new PlantedCollectors.Undeclared(clients, settings))).containsExactly(
                "planted.undeclared calls com.google.cloud.compute.v1.FirewallsClient.get (firewalls.get) but does not"
                + " declare it in reads()");
    }
}
