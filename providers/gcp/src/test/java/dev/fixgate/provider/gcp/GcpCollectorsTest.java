package dev.fixgate.provider.gcp;

import static dev.fixgate.provider.gcp.StandIn.NOW;
import static dev.fixgate.provider.gcp.StandIn.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.localgcp.LocalGcp;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every GCP collector through the real Google clients against the local GCP, including its failure modes. */
class GcpCollectorsTest {

    static final String BUCKET = "//storage.googleapis.com/projects/_/buckets/shop-assets";
    static final String VM = "//compute.googleapis.com/projects/" + PROJECT + "/zones/europe-west1-b/instances/web-1";
    static final String FIREWALL = "//compute.googleapis.com/projects/" + PROJECT + "/global/firewalls/allow-ssh";
    static final String CLUSTER = "//container.googleapis.com/projects/" + PROJECT + "/locations/europe-west1/clusters/shop";
    static final String SQL = "//sqladmin.googleapis.com/projects/" + PROJECT + "/instances/orders-db";

    LocalGcp gcp;
    List<EvidenceCollector> collectors;

    @BeforeEach
    void start() {
        gcp = LocalGcp.start();
        collectors = StandIn.collectors(gcp, Duration.ofSeconds(20));
        gcp.model().asset(PROJECT, "//cloudresourcemanager.googleapis.com/projects/" + PROJECT,
                        "cloudresourcemanager.googleapis.com/Project", "global", Map.of("env", "prod"))
                .asset(PROJECT, "//storage.googleapis.com/shop-assets", "storage.googleapis.com/Bucket", "eu",
                        Map.of("team", "web-platform"))
                .asset(PROJECT, VM, "compute.googleapis.com/Instance", "europe-west1-b",
                        Map.of("environment", "staging", "owner", "ops"))
                .bucket("shop-assets", false);
    }

    @AfterEach
    void stop() {
        // What reached the wire: reads only — GETs, and the one POST that is a log query.
        assertThat(gcp.calls()).allSatisfy(c -> assertThat(c.method().equals("GET")
                || c.method().equals("POST") && c.path().equals("/v2/entries:list")).as(c.method() + " " + c.path()).isTrue());
        gcp.close();
    }

    Map<String, Observed> collect(String collector, String id, String... kinds) {
        return StandIn.collect(StandIn.collector(collectors, collector), StandIn.resource(id), kinds);
    }

    @Test
    void labelsEnvironmentAndOwnerComeFromCloudAssetInventory() {
        Map<String, Observed> bucket = collect("gcp.asset", BUCKET, "tags", "environment", "owner");

        assertThat(bucket.get("tags").value()).isEqualTo(Map.of("team", "web-platform"));
        assertThat(bucket.get("owner").value()).isEqualTo("web-platform");
        assertThat(bucket.get("environment").value()).as("from the project's label").isEqualTo("production");
        assertThat(bucket.get("tags").provenance().api()).isEqualTo("cloudasset.assets.searchAllResources");
        assertThat(bucket.get("tags").provenance().account()).isEqualTo(PROJECT);
        assertThat(bucket.get("tags").provenance().role()).isEqualTo("fixgate-reader@shop-prod.iam.gserviceaccount.com");

        Map<String, Observed> vm = collect("gcp.asset", VM, "environment", "owner");
        assertThat(vm.get("environment").value()).isEqualTo("staging");
        assertThat(vm.get("owner").value()).isEqualTo("ops");
        assertThat(java.net.URLDecoder.decode(gcp.calls().getFirst().query(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("query=name:\"//storage.googleapis.com/shop-assets\"");
    }

    @Test
    void assetSearchPagesAreFollowedAndTheExactNameIsPicked() {
        gcp.model().asset(PROJECT, "//storage.googleapis.com/shop-assets-old", "storage.googleapis.com/Bucket", "eu",
                        Map.of("copy", "a longer name the query also matches"))
                .asset(PROJECT, "//storage.googleapis.com/shop-assets", "storage.googleapis.com/Bucket", "eu",
                        Map.of("copy", "the exact one, on the second page"));
        gcp.maxPageSize(1);

        assertThat(collect("gcp.asset", BUCKET, "tags").get("tags").value())
                .isEqualTo(Map.of("copy", "the exact one, on the second page"));
        assertThat(gcp.calls().stream().filter(c -> c.path().endsWith("searchAllResources")).toList()).hasSize(2)
                .last().extracting(dev.fixgate.localcloud.StandInServer.Call::query).asString().contains("pageToken=1");
    }

    @Test
    void anAssetCloudAssetInventoryDoesNotKnowIsNotFound() {
        Observed tags = collect("gcp.asset", "//storage.googleapis.com/gone", "tags").get("tags");
        assertThat(tags.unavailable()).startsWith("not found: Cloud Asset Inventory has no //storage.googleapis.com/gone");
    }

    @Test
    void publicAndAclGrantsCountIamMembersAndAclEntriesUnlessUniformAccessVoidsAcls() {
        gcp.model().bucketBinding("shop-assets", "roles/storage.objectViewer", "allUsers")
                .bucketBinding("shop-assets", "roles/storage.objectViewer", "group:web@example.com")
                .bucketBinding("shop-assets", "roles/storage.legacyBucketReader", "allAuthenticatedUsers")
                .bucketAcl("shop-assets", "project-owners-123", "OWNER")
                .bucketAcl("shop-assets", "user-alice@example.com", "WRITER")
                .object("shop-assets", "index.html", "project-owners-123", "OWNER", "allUsers", "READER")
                .object("shop-assets", "logo.png", "project-editors-123", "OWNER");

        Map<String, Observed> got = collect("gcp.storage", BUCKET, "gcs.public_grants", "gcs.acl_grants");

        assertThat(got.get("gcs.public_grants").value()).as("2 IAM members + 1 object ACL entry").isEqualTo(3L);
        assertThat(got.get("gcs.acl_grants").value()).as("alice on the bucket, allUsers on index.html").isEqualTo(2L);

        gcp.model().bucket("shop-assets", true);
        got = collect("gcp.storage", BUCKET, "gcs.public_grants", "gcs.acl_grants");
        assertThat(got.get("gcs.acl_grants").value()).isEqualTo(0L);
        assertThat(got.get("gcs.public_grants").value()).as("IAM still counts").isEqualTo(2L);
    }

    @Test
    void objectListingPagesStopAtTheSample() {
        gcp.maxPageSize(3);
        for (int i = 0; i < 5; i++) {
            gcp.model().object("shop-assets", "o" + i, "user-bob@example.com", "READER");
        }
        assertThat(collect("gcp.storage", BUCKET, "gcs.acl_grants").get("gcs.acl_grants").value())
                .as("five objects over two pages").isEqualTo(5L);
    }

    @Test
    void aBucketNamedWithoutItsProjectIsReadInTheOneConfiguredProject() {
        CloudResource bare = new CloudResource(Cloud.GCP, "", "", "google_storage_bucket", "shop-assets");
        Observed got = StandIn.collect(StandIn.collector(collectors, "gcp.asset"), bare, "tags").get("tags");
        assertThat(got.value()).isEqualTo(Map.of("team", "web-platform"));
        assertThat(got.provenance().account()).isEqualTo(PROJECT);
    }

    @Test
    void aBucketThatDoesNotExistIsNotFound() {
        Observed got = collect("gcp.storage", "//storage.googleapis.com/projects/_/buckets/gone", "gcs.acl_grants")
                .get("gcs.acl_grants");
        assertThat(got.unavailable()).isEqualTo("not found: no bucket gone");
    }

    @Test
    void shieldedVmSupportFollowsTheBootDiskToItsImage() {
        gcp.model().instance(PROJECT, "europe-west1-b", "web-1", 4242L, "web-1-boot", List.of())
                .disk(PROJECT, "europe-west1-b", "web-1-boot",
                        "https://www.googleapis.com/compute/v1/projects/debian-cloud/global/images/debian-12-v1", List.of())
                .image("debian-cloud", "debian-12-v1", List.of("UEFI_COMPATIBLE", "VIRTIO_SCSI_MULTIQUEUE"));

        assertThat(collect("gcp.compute", VM, "compute.image_supports_shielded_vm").get("compute.image_supports_shielded_vm")
                .value()).isEqualTo(true);

        gcp.model().image("debian-cloud", "debian-12-v1", List.of("VIRTIO_SCSI_MULTIQUEUE"));
        assertThat(collect("gcp.compute", VM, "compute.image_supports_shielded_vm").get("compute.image_supports_shielded_vm")
                .value()).isEqualTo(false);
    }

    @Test
    void serialConsoleSessionsAreTheInstancesSerialPortAuditEntries() {
        gcp.model().instance(PROJECT, "europe-west1-b", "web-1", 4242L, "web-1-boot", List.of("UEFI_COMPATIBLE"));
        for (int days : new int[] {1, 3, 40}) {
            gcp.model().logEntry(PROJECT, NOW.minus(days, ChronoUnit.DAYS), serial("4242"));
        }
        gcp.model().logEntry(PROJECT, NOW.minus(2, ChronoUnit.DAYS), serial("9999"));

        Observed n = collect("gcp.compute", VM, "compute.serial_console_sessions_30d").get("compute.serial_console_sessions_30d");

        assertThat(n.value()).isEqualTo(2L);
        assertThat(n.provenance().api()).contains("logging.logEntries.list");
    }

    static String serial(String instanceId) {
        return "{\"logName\": \"projects/" + PROJECT + "/logs/cloudaudit.googleapis.com%2Fdata_access\","
                + " \"resource\": {\"type\": \"gce_instance\", \"labels\": {\"instance_id\": \"" + instanceId + "\"}},"
                + " \"protoPayload\": {\"serviceName\": \"ssh-serialport.googleapis.com\","
                + " \"methodName\": \"google.ssh-serialport.v1.connect\"}}";
    }

    @Test
    void firewallInternetHitsLeaveOutIapAndPrivateSourcesAndNeedLogging() {
        gcp.model().firewall(PROJECT, "allow-ssh", "default", false);
        assertThat(collect("gcp.firewall", FIREWALL, "firewall.internet_hits_30d").get("firewall.internet_hits_30d").unavailable())
                .isEqualTo("firewall rules logging is off for allow-ssh: its hits cannot be counted");

        gcp.model().firewall(PROJECT, "allow-ssh", "default", true);
        for (String ip : new String[] {"203.0.113.9", "198.51.100.7", "35.235.241.12", "10.1.2.3", "192.168.4.4"}) {
            gcp.model().logEntry(PROJECT, NOW.minus(2, ChronoUnit.DAYS), hit("allow-ssh", ip));
        }
        gcp.model().logEntry(PROJECT, NOW.minus(2, ChronoUnit.DAYS), hit("allow-rdp", "203.0.113.9"));
        gcp.model().logEntry(PROJECT, NOW.minus(31, ChronoUnit.DAYS), hit("allow-ssh", "203.0.113.9"));

        assertThat(collect("gcp.firewall", FIREWALL, "firewall.internet_hits_30d").get("firewall.internet_hits_30d").value())
                .isEqualTo(2L);
    }

    static String hit(String rule, String source) {
        return "{\"logName\": \"projects/" + PROJECT + "/logs/compute.googleapis.com%2Ffirewall\", \"jsonPayload\":"
                + " {\"rule_details\": {\"reference\": \"network:default/firewall:" + rule + "\"},"
                + " \"connection\": {\"src_ip\": \"" + source + "\", \"dest_port\": 22}}}";
    }

    @Test
    void logEntryPagesAreFollowed() {
        gcp.model().firewall(PROJECT, "allow-ssh", "default", true);
        for (int i = 0; i < 7; i++) {
            gcp.model().logEntry(PROJECT, NOW.minus(i + 1, ChronoUnit.HOURS), hit("allow-ssh", "203.0.113." + (i + 1)));
        }
        gcp.maxPageSize(3);

        assertThat(collect("gcp.firewall", FIREWALL, "firewall.internet_hits_30d").get("firewall.internet_hits_30d").value())
                .isEqualTo(7L);
        assertThat(gcp.calls().stream().filter(c -> c.path().equals("/v2/entries:list")).map(dev.fixgate.localcloud.StandInServer.Call::body))
                .hasSize(3).last().asString().contains("\"pageToken\":\"6\"");
    }

    @Test
    void abacOnlyAuthorizationsAreAllowedRequestsWhoseReasonIsNeitherRbacNorIam() {
        gcp.model().logEntry(PROJECT, NOW.minus(1, ChronoUnit.DAYS), k8s("shop", "allow", null))
                .logEntry(PROJECT, NOW.minus(1, ChronoUnit.DAYS), k8s("shop", "allow", "RBAC: allowed by ClusterRoleBinding \\\"admin\\\""))
                .logEntry(PROJECT, NOW.minus(2, ChronoUnit.DAYS), k8s("shop", "allow", "access granted by IAM permissions."))
                .logEntry(PROJECT, NOW.minus(2, ChronoUnit.DAYS), k8s("shop", "forbid", null))
                .logEntry(PROJECT, NOW.minus(2, ChronoUnit.DAYS), k8s("other", "allow", null))
                .logEntry(PROJECT, NOW.minus(9, ChronoUnit.DAYS), k8s("shop", "allow", null));

        assertThat(collect("gcp.gke", CLUSTER, "gke.abac_only_authorizations_7d").get("gke.abac_only_authorizations_7d").value())
                .isEqualTo(1L);
    }

    @Test
    void binaryAuthorizationRuleIsTheClustersOwnRuleElseTheProjectDefault() {
        String kind = "binauthz.project_policy_default_rule";
        Observed never = collect("gcp.binauthz", CLUSTER, kind).get(kind);
        assertThat(never.value()).as("a project that never set a policy gets the service's default").isEqualTo("ALWAYS_ALLOW");
        assertThat(never.provenance().api()).isEqualTo("binaryauthorization.policy.get");
        assertThat(gcp.calls()).extracting(dev.fixgate.localcloud.StandInServer.Call::path)
                .containsExactly("/v1/projects/" + PROJECT + "/policy");

        gcp.model().binauthzPolicy(PROJECT, "ALWAYS_ALLOW", Map.of("europe-west1.shop", "REQUIRE_ATTESTATION"));
        assertThat(collect("gcp.binauthz", CLUSTER, kind).get(kind).value())
                .as("the cluster-specific rule wins over an allowing default").isEqualTo("REQUIRE_ATTESTATION");

        gcp.model().binauthzPolicy(PROJECT, "ALWAYS_DENY", Map.of("europe-west1.other", "ALWAYS_ALLOW"));
        assertThat(collect("gcp.binauthz", CLUSTER, kind).get(kind).value()).isEqualTo("ALWAYS_DENY");

        gcp.fail("/v1/projects/.*/policy", 403, "PERMISSION_DENIED", -1, 5);
        Observed denied = collect("gcp.binauthz", CLUSTER, kind).get(kind);
        assertThat(denied.value()).isNull();
        assertThat(denied.unavailable()).isEqualTo("PERMISSION_DENIED (403) on binaryauthorization.policy.get (projects.getPolicy)");
    }

    static String k8s(String cluster, String decision, String reason) {
        return "{\"resource\": {\"type\": \"k8s_cluster\", \"labels\": {\"cluster_name\": \"" + cluster
                + "\", \"location\": \"europe-west1\"}}, \"labels\": {\"authorization.k8s.io/decision\": \"" + decision + "\""
                + (reason == null ? "" : ", \"authorization.k8s.io/reason\": \"" + reason + "\"") + "}}";
    }

    @Test
    void unencryptedConnectionsArePostgresConnectionLinesWithoutSslAndNeedSuchLines() {
        Observed none = collect("gcp.cloudsql", SQL, "cloudsql.unencrypted_connections_7d").get("cloudsql.unencrypted_connections_7d");
        assertThat(none.unavailable()).startsWith("no PostgreSQL connection log lines in 7 days");

        gcp.model().logEntry(PROJECT, NOW.minus(1, ChronoUnit.DAYS), pg("connection authorized: user=app database=orders"
                        + " SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)"))
                .logEntry(PROJECT, NOW.minus(2, ChronoUnit.DAYS), pg("connection authorized: user=report database=orders"))
                .logEntry(PROJECT, NOW.minus(3, ChronoUnit.DAYS), pg("connection received: host=10.0.0.5 port=5432"));

        assertThat(collect("gcp.cloudsql", SQL, "cloudsql.unencrypted_connections_7d").get("cloudsql.unencrypted_connections_7d")
                .value()).isEqualTo(1L);
    }

    static String pg(String text) {
        return "{\"logName\": \"projects/" + PROJECT + "/logs/cloudsql.googleapis.com%2Fpostgres.log\", \"resource\":"
                + " {\"type\": \"cloudsql_database\", \"labels\": {\"database_id\": \"" + PROJECT + ":orders-db\"}},"
                + " \"textPayload\": \"" + text + "\"}";
    }

    @Test
    void anIncidentIsAnActiveServiceHealthEventOnTheResourcesProductAndPlace() {
        assertThat(collect("gcp.servicehealth", VM, "incident.active").get("incident.active").value()).isEqualTo(false);

        gcp.model().healthEvent(PROJECT, "gcs-outage", "ACTIVE", "Cloud Storage", "us-central1")
                .healthEvent(PROJECT, "old", "CLOSED", "Google Compute Engine", "europe-west1");
        assertThat(collect("gcp.servicehealth", VM, "incident.active").get("incident.active").value()).isEqualTo(false);

        gcp.model().healthEvent(PROJECT, "gce-degraded", "ACTIVE", "Google Compute Engine", "europe-west1");
        assertThat(collect("gcp.servicehealth", VM, "incident.active").get("incident.active").value()).isEqualTo(true);
        assertThat(gcp.calls().getLast().query()).isEqualTo("filter=state%3DACTIVE");
    }

    @Test
    void throttlingIsRetriedWithinTheBudget() {
        gcp.fail("/storage/v1/b/shop-assets/iam", 429, "RESOURCE_EXHAUSTED", 0, 2);

        assertThat(collect("gcp.storage", BUCKET, "gcs.public_grants").get("gcs.public_grants").value()).isEqualTo(0L);
        assertThat(gcp.calls().stream().filter(c -> c.path().endsWith("/iam")).count()).isEqualTo(3);
    }

    @Test
    void throttlingBeyondTheBudgetIsUnavailable() {
        gcp.model().firewall(PROJECT, "allow-ssh", "default", true);
        gcp.fail("/v2/entries:list", 429, "RESOURCE_EXHAUSTED", 60, 5);

        Observed n = collect("gcp.firewall", FIREWALL, "firewall.internet_hits_30d").get("firewall.internet_hits_30d");

        assertThat(n.unavailable()).isEqualTo(
                "throttled beyond the budget on logging.logEntries.list (entries.list): RESOURCE_EXHAUSTED (429)");
    }

    @Test
    void accessDeniedNamesThePermission() {
        gcp.fail("/compute/v1/projects/shop-prod/zones/europe-west1-b/instances/web-1", 403, "PERMISSION_DENIED", -1, 5);

        Observed n = collect("gcp.compute", VM, "compute.image_supports_shielded_vm").get("compute.image_supports_shielded_vm");

        assertThat(n.unavailable()).isEqualTo("PERMISSION_DENIED (403) on compute.instances.get (instances.get)");
    }

    @Test
    void anAssetSearchDeniedNamesThePermission() {
        gcp.fail(":searchAllResources", 403, "PERMISSION_DENIED", -1, 5);

        assertThat(collect("gcp.asset", BUCKET, "tags").get("tags").unavailable())
                .isEqualTo("PERMISSION_DENIED (403) on cloudasset.assets.searchAllResources (assets.searchAllResources)");
    }

    @Test
    void aSlowAnswerTimesOut() {
        List<EvidenceCollector> quick = StandIn.collectors(gcp, Duration.ofMillis(1500));
        gcp.model().firewall(PROJECT, "allow-ssh", "default", true);
        gcp.delay("/v2/entries:list", Duration.ofSeconds(4), 5);

        Observed n = StandIn.collect(StandIn.collector(quick, "gcp.firewall"), StandIn.resource(FIREWALL),
                "firewall.internet_hits_30d").get("firewall.internet_hits_30d");

        assertThat(n.unavailable()).startsWith("timed out on logging.logEntries.list");
    }

    @Test
    void withoutApplicationDefaultCredentialsEveryReadIsUnavailable() {
        List<EvidenceCollector> none = new GcpEvidenceProvider().collectors(StandIn.settings(gcp, Duration.ofSeconds(5)),
                new GcpAccess(a -> {
                    throw new java.io.UncheckedIOException("no Application Default Credentials",
                            new java.io.IOException("not found"));
                }));

        assertThat(StandIn.collect(StandIn.collector(none, "gcp.storage"), StandIn.resource(BUCKET), "gcs.acl_grants")
                .get("gcs.acl_grants").unavailable()).isEqualTo("NoCredentials on storage.buckets.get (buckets.get)");
        assertThat(StandIn.collect(StandIn.collector(none, "gcp.firewall"), StandIn.resource(FIREWALL), "firewall.internet_hits_30d")
                .get("firewall.internet_hits_30d").unavailable()).isEqualTo("NoCredentials on compute.firewalls.get (firewalls.get)");
        assertThat(gcp.calls()).isEmpty();
    }

    @Test
    void aComputeResourceThatDoesNotExistIsNotFound() {
        Observed n = collect("gcp.firewall", FIREWALL, "firewall.internet_hits_30d").get("firewall.internet_hits_30d");
        assertThat(n.unavailable()).isEqualTo("not found (NOT_FOUND (404)) on compute.firewalls.get (firewalls.get)");
    }

    @Test
    void namesAreParsedAndAnUnknownProjectOrMalformedNameIsUnavailableWithoutACall() {
        EvidenceCollector storage = StandIn.collector(collectors, "gcp.storage");
        CloudResource noProject = new CloudResource(Cloud.GCP, "", "", "google_storage_bucket", "shop-assets");
        CloudResource malformed = new CloudResource(Cloud.GCP, PROJECT, "", "x", "//compute.googleapis.com/projects/p/zones/z");

        EvidenceCollector twoProjects = StandIn.collector(new GcpEvidenceProvider().collectors(new dev.fixgate.spi.evidence.ProviderSettings(
                java.util.Map.of(), List.of(new dev.fixgate.spi.evidence.ProviderSettings.AccountAccess("a", "", ""),
                        new dev.fixgate.spi.evidence.ProviderSettings.AccountAccess("b", "", "")), List.of(), Duration.ofSeconds(5),
                java.time.Clock.systemUTC(), java.util.Map.of()), new GcpAccess(a -> com.google.cloud.NoCredentials.getInstance())),
                "gcp.storage");
        assertThat(StandIn.collect(twoProjects, noProject, "gcs.acl_grants").get("gcs.acl_grants").unavailable())
                .isEqualTo("the project of shop-assets is unknown: the finding names none and the settings name 2 projects, not one");
        assertThat(StandIn.collect(storage, malformed, "gcs.acl_grants").get("gcs.acl_grants").unavailable())
                .contains("is not a compute.googleapis.com resource name fixgate knows");
        assertThat(gcp.calls()).isEmpty();
        assertThat(storage.supports(new CloudResource(Cloud.GCP, PROJECT, "", "google_compute_instance", BUCKET)))
                .as("the name, not the type").isTrue();
        assertThat(storage.supports(new CloudResource(Cloud.GCP, PROJECT, "", "google_storage_bucket", VM))).isFalse();
    }
}
