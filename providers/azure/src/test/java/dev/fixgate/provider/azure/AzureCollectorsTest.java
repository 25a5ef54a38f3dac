package dev.fixgate.provider.azure;

import static dev.fixgate.provider.azure.StandIn.NOW;
import static dev.fixgate.provider.azure.StandIn.RG;
import static dev.fixgate.provider.azure.StandIn.SUB;
import static dev.fixgate.provider.azure.StandIn.WS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.localazure.LocalAzure;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.Observed;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every Azure collector through the real SDK clients against the local Azure, including its failure modes. */
class AzureCollectorsTest {

    static final String ACCOUNT = RG + "/providers/Microsoft.Storage/storageAccounts/stapp";
    static final String SERVER = RG + "/providers/Microsoft.Sql/servers/sql-app";
    static final String DATABASE = SERVER + "/databases/orders";
    static final String SITE = RG + "/providers/Microsoft.Web/sites/web-app";
    static final String NSG = RG + "/providers/Microsoft.Network/networkSecurityGroups/nsg-app";

    LocalAzure azure;
    List<EvidenceCollector> collectors;

    @BeforeEach
    void start() {
        azure = LocalAzure.start();
        collectors = StandIn.collectors(azure, Duration.ofSeconds(20));
        azure.model().subscription(SUB, Map.of("environment", "prd"))
                .resourceGroup(SUB, "rg-app", Map.of("team", "payments"))
                .resource(ACCOUNT, "Microsoft.Storage/storageAccounts", "westeurope", Map.of("Owner", "alice@example.com"),
                        "{\"allowBlobPublicAccess\": true}")
                .resource(SERVER, "Microsoft.Sql/servers", "westeurope", Map.of(), "")
                .resource(SITE, "Microsoft.Web/sites", "westeurope", Map.of("env", "staging"), "")
                .resource(WS, "Microsoft.OperationalInsights/workspaces", "westeurope", Map.of(), "");
    }

    @AfterEach
    void stop() {
        // What reached the wire: reads only — GETs, and the two POSTs that are queries.
        assertThat(azure.calls()).allSatisfy(c -> assertThat(c.method().equals("GET")
                || c.method().equals("POST") && (c.path().equalsIgnoreCase("/providers/Microsoft.ResourceGraph/resources")
                || c.path().endsWith("/api/query"))).as(c.method() + " " + c.path()).isTrue());
        azure.close();
    }

    Map<String, Observed> collect(String collector, String id, String... kinds) {
        return StandIn.collect(StandIn.collector(collectors, collector), id, kinds);
    }

    @Test
    void tagsEnvironmentAndOwnerComeFromTheResourceItsGroupAndItsSubscription() {
        Map<String, Observed> got = collect("azure.resourcegraph", ACCOUNT, "tags", "environment", "owner");

        assertThat(got.get("tags").value()).isEqualTo(Map.of("Owner", "alice@example.com"));
        assertThat(got.get("owner").value()).isEqualTo("alice@example.com");
        assertThat(got.get("environment").value()).as("from the subscription's tag").isEqualTo("production");
        assertThat(got.get("tags").provenance().api()).isEqualTo("Microsoft.ResourceGraph/resources/read");
        assertThat(got.get("tags").provenance().account()).isEqualTo(SUB);
        assertThat(got.get("tags").provenance().role()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(got.get("tags").provenance().observedAt()).isEqualTo(NOW);

        Map<String, Observed> site = collect("azure.resourcegraph", SITE, "environment", "owner");
        assertThat(site.get("environment").value()).as("the resource's own tag wins").isEqualTo("staging");
        assertThat(site.get("owner").value()).as("the resource group's team tag").isEqualTo("payments");
    }

    @Test
    void resourceGraphPagesAreFollowed() {
        azure.graphPageSize(1);
        azure.clearCalls();

        Map<String, Observed> got = collect("azure.resourcegraph", ACCOUNT, "tags", "environment", "owner");

        assertThat(got.get("environment").value()).as("the subscription row is on the third page").isEqualTo("production");
        List<dev.fixgate.localcloud.StandInServer.Call> posts = azure.calls().stream().filter(c -> c.path().contains("ResourceGraph")).toList();
        assertThat(posts).hasSize(3);
        assertThat(posts.get(1).body()).contains("\"$skipToken\":\"1\"");
        assertThat(posts.get(2).body()).contains("\"$skipToken\":\"2\"");
    }

    @Test
    void anIncidentIsAFiredAlertOrDegradedHealthAndFollowsTheLiveState() {
        assertThat(collect("azure.resourcegraph", SITE, "incident.active").get("incident.active").value()).isEqualTo(false);

        azure.model().firedAlert(SUB, SITE, "cpu-high");
        assertThat(collect("azure.resourcegraph", SITE, "incident.active").get("incident.active").value()).isEqualTo(true);
        assertThat(collect("azure.resourcegraph", ACCOUNT, "incident.active").get("incident.active").value())
                .as("an alert on another resource").isEqualTo(false);

        azure.model().health(ACCOUNT, "Degraded");
        assertThat(collect("azure.resourcegraph", ACCOUNT, "incident.active").get("incident.active").value()).isEqualTo(true);
        azure.model().health(ACCOUNT, "Available");
        assertThat(collect("azure.resourcegraph", ACCOUNT, "incident.active").get("incident.active").value()).isEqualTo(false);
    }

    @Test
    void dependentsAreTheResourcesWhosePropertiesNameIt() {
        String nic = RG + "/providers/Microsoft.Network/networkInterfaces/vm1-nic";
        azure.model().resource(NSG, "Microsoft.Network/networkSecurityGroups", "westeurope", Map.of(), "")
                .resource(nic, "Microsoft.Network/networkInterfaces", "westeurope", Map.of(),
                        "{\"networkSecurityGroup\": {\"id\": \"" + NSG.toLowerCase(java.util.Locale.ROOT) + "\"}}")
                .resource(RG + "/providers/Microsoft.Network/networkInterfaces/other", "Microsoft.Network/networkInterfaces",
                        "westeurope", Map.of(), "{\"networkSecurityGroup\": {\"id\": \"" + NSG + "-2\"}}");

        Observed got = collect("azure.resourcegraph", NSG, "dependents").get("dependents");

        assertThat(got.value()).isEqualTo(List.of(nic));
    }

    @Test
    void lastActivityIsTheNewestDayWithTrafficOrAtLeastTheMetricRetention() {
        azure.model().metric(ACCOUNT, "Transactions", NOW.minus(40, ChronoUnit.DAYS), Map.of(), 3)
                .metric(ACCOUNT, "Transactions", NOW.minus(12, ChronoUnit.DAYS), Map.of(), 9)
                .metric(ACCOUNT, "Transactions", NOW.minus(5, ChronoUnit.DAYS), Map.of(), 0);

        assertThat(collect("azure.activity", ACCOUNT, "last_activity_days").get("last_activity_days").value()).isEqualTo(12L);
        assertThat(collect("azure.activity", SITE, "last_activity_days").get("last_activity_days").value())
                .as("no request in the 93 days metrics are kept").isEqualTo(93L);
        assertThat(collect("azure.activity", SERVER, "last_activity_days").get("last_activity_days").unavailable())
                .contains("read for a database");
    }

    @Test
    void aResourceResourceGraphDoesNotKnowIsNotFound() {
        Map<String, Observed> got = collect("azure.resourcegraph", RG + "/providers/Microsoft.Storage/storageAccounts/gone",
                "tags", "environment", "dependents");

        assertThat(got.get("tags").available()).isFalse();
        assertThat(got.get("tags").unavailable()).startsWith("not found: Resource Graph has no resource");
        assertThat(got.get("environment").available()).isFalse();
        assertThat(got.get("dependents").unavailable()).startsWith("not found");
    }

    @Test
    void publicContainersAreCountedAcrossPagesUnlessTheAccountForbidsAnonymousAccess() {
        azure.containerPageSize(2);
        azure.model().container(ACCOUNT, "a-private", "None").container(ACCOUNT, "b-site", "Blob")
                .container(ACCOUNT, "c-logs", "None").container(ACCOUNT, "d-downloads", "Container")
                .container(ACCOUNT, "e-tmp", "None");

        Observed n = collect("azure.storage", ACCOUNT, "storage.public_containers").get("storage.public_containers");

        assertThat(n.value()).isEqualTo(2L);
        assertThat(n.provenance().api()).isEqualTo(
                "Microsoft.Storage/storageAccounts/read, Microsoft.Storage/storageAccounts/blobServices/containers/read");
        assertThat(azure.calls().stream().filter(c -> c.path().endsWith("/containers")).count()).as("three pages").isEqualTo(3);

        azure.model().resource(ACCOUNT, "Microsoft.Storage/storageAccounts", "westeurope", Map.of(),
                "{\"allowBlobPublicAccess\": false}");
        azure.clearCalls();
        assertThat(collect("azure.storage", ACCOUNT, "storage.public_containers").get("storage.public_containers").value())
                .isEqualTo(0L);
        assertThat(azure.calls()).noneMatch(c -> c.path().endsWith("/containers"));
    }

    @Test
    void anonymousRequestsAreTheTransactionsMetricFilteredByAuthentication() {
        azure.model().metric(ACCOUNT, "Transactions", NOW.minus(2, ChronoUnit.DAYS), Map.of("Authentication", "Anonymous"), 7)
                .metric(ACCOUNT, "Transactions", NOW.minus(20, ChronoUnit.DAYS), Map.of("Authentication", "Anonymous"), 5)
                .metric(ACCOUNT, "Transactions", NOW.minus(40, ChronoUnit.DAYS), Map.of("Authentication", "Anonymous"), 100)
                .metric(ACCOUNT, "Transactions", NOW.minus(1, ChronoUnit.DAYS), Map.of("Authentication", "SAS"), 1000);

        Observed n = collect("azure.storage", ACCOUNT, "storage.anonymous_requests_30d").get("storage.anonymous_requests_30d");

        assertThat(n.value()).as("30 days, anonymous only").isEqualTo(12L);
        dev.fixgate.localcloud.StandInServer.Call call = azure.calls().stream().filter(c -> c.path().endsWith("/metrics")).findFirst().orElseThrow();
        assertThat(java.net.URLDecoder.decode(call.query(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("metricnames=Transactions").contains("aggregation=Total")
                .contains("$filter=Authentication eq 'Anonymous'");
    }

    @Test
    void plainHttpAndLegacyTlsRequestsComeFromTheStorageLogsTheDiagnosticSettingsSend() {
        azure.model().diagnosticSetting(ACCOUNT + "/blobServices/default", "to-la", WS, List.of("StorageRead", "StorageWrite", "StorageDelete"))
                .logRow(WS, "StorageBlobLogs", NOW.minus(3, ChronoUnit.DAYS), row(ACCOUNT, "HTTP", "TLS 1.2"))
                .logRow(WS, "StorageBlobLogs", NOW.minus(4, ChronoUnit.DAYS), row(ACCOUNT, "HTTPS", "TLS 1.0"))
                .logRow(WS, "StorageBlobLogs", NOW.minus(5, ChronoUnit.DAYS), row(ACCOUNT, "HTTPS", "TLS 1.1"))
                .logRow(WS, "StorageBlobLogs", NOW.minus(6, ChronoUnit.DAYS), row(ACCOUNT, "HTTPS", "TLS 1.2"))
                .logRow(WS, "StorageBlobLogs", NOW.minus(45, ChronoUnit.DAYS), row(ACCOUNT, "HTTP", "TLS 1.0"))
                .logRow(WS, "StorageBlobLogs", NOW.minus(1, ChronoUnit.DAYS), row(RG + "/providers/Microsoft.Storage/storageAccounts/other", "HTTP", "TLS 1.0"));

        Map<String, Observed> got = collect("azure.storage", ACCOUNT, "storage.http_requests_30d", "storage.legacy_tls_requests_30d");

        assertThat(got.get("storage.http_requests_30d").value()).isEqualTo(1L);
        assertThat(got.get("storage.legacy_tls_requests_30d").value()).isEqualTo(2L);
        assertThat(got.get("storage.http_requests_30d").provenance().api())
                .contains("Microsoft.OperationalInsights/workspaces/query/read");

        // A service whose logs go nowhere but that served requests makes the count unknowable.
        azure.model().metric(ACCOUNT + "/fileServices/default", "Transactions", NOW.minus(2, ChronoUnit.DAYS), Map.of(), 3);
        Observed http = collect("azure.storage", ACCOUNT, "storage.http_requests_30d").get("storage.http_requests_30d");
        assertThat(http.available()).isFalse();
        assertThat(http.unavailable()).contains("fileServices").contains("had requests in 30 days");
    }

    @Test
    void withoutAnyLoggedServiceAndWithoutRequestsNothingWasServedOverHttp() {
        Observed http = collect("azure.storage", ACCOUNT, "storage.http_requests_30d").get("storage.http_requests_30d");
        assertThat(http.value()).isEqualTo(0L);
    }

    static String row(String account, String protocol, String tls) {
        return "{\"_ResourceId\": \"" + account.toLowerCase(java.util.Locale.ROOT) + "/blobservices/default\", \"Protocol\": \""
                + protocol + "\", \"TlsVersion\": \"" + tls + "\"}";
    }

    @Test
    void sqlMasterAuditLegacyTlsLoginsAndDatabaseSize() {
        assertThat(collect("azure.sql", SERVER, "sql.master_diagnostic_setting").get("sql.master_diagnostic_setting").value())
                .isEqualTo(false);

        azure.model().diagnosticSetting(SERVER + "/databases/master", "audit", WS, List.of("SQLSecurityAuditEvents"))
                .logRow(WS, "AzureDiagnostics", NOW.minus(1, ChronoUnit.DAYS), login(SERVER, "1.0"))
                .logRow(WS, "AzureDiagnostics", NOW.minus(2, ChronoUnit.DAYS), login(SERVER, "1.2"))
                .logRow(WS, "AzureDiagnostics", NOW.minus(3, ChronoUnit.DAYS), login(SERVER, "1.1"))
                .logRow(WS, "AzureDiagnostics", NOW.minus(10, ChronoUnit.DAYS), login(SERVER, "1.0"))
                .metric(DATABASE, "allocated_data_storage", NOW.minus(3, ChronoUnit.HOURS), Map.of(), 50d * 1024 * 1024 * 1024)
                .metric(DATABASE, "allocated_data_storage", NOW.minus(1, ChronoUnit.HOURS), Map.of(), 64.5d * 1024 * 1024 * 1024);

        Map<String, Observed> got = collect("azure.sql", DATABASE, "sql.master_diagnostic_setting",
                "sql.legacy_tls_connections_7d", "sql.database_size_gb");

        assertThat(got.get("sql.master_diagnostic_setting").value()).isEqualTo(true);
        assertThat(got.get("sql.legacy_tls_connections_7d").value()).as("7 days: the 10-day-old login is out").isEqualTo(2L);
        assertThat(got.get("sql.database_size_gb").value()).as("the newest hourly maximum").isEqualTo(64.5);

        Observed serverSize = collect("azure.sql", SERVER, "sql.database_size_gb").get("sql.database_size_gb");
        assertThat(serverSize.unavailable()).contains("a server has no single size");
    }

    @Test
    void auditToStorageCountsAsADiagnosticSettingButCannotBeQueried() {
        azure.model().diagnosticSetting(SERVER + "/databases/master", "audit", null, List.of("group:audit"));

        Map<String, Observed> got = collect("azure.sql", SERVER, "sql.master_diagnostic_setting", "sql.legacy_tls_connections_7d");

        assertThat(got.get("sql.master_diagnostic_setting").value()).isEqualTo(true);
        assertThat(got.get("sql.legacy_tls_connections_7d").unavailable()).contains("no SQLSecurityAuditEvents to a Log Analytics workspace");
    }

    static final String PG = RG + "/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-orders";

    static String pgLine(String server, String message) {
        return "{\"_ResourceId\": \"" + server.toLowerCase(java.util.Locale.ROOT) + "\", \"Category\": \"PostgreSQLLogs\","
                + " \"ResourceProvider\": \"MICROSOFT.DBFORPOSTGRESQL\", \"errorLevel_s\": \"LOG\", \"processId_d\": 4711,"
                + " \"Message\": \"" + message + "\"}";
    }

    @Test
    void postgresConnectionsWithoutSslOrOnLegacyTlsComeFromItsConnectionLogLines() {
        String kinds[] = {"db.non_ssl_connections_30d", "db.legacy_tls_connections_30d"};
        azure.model().resource(PG, "Microsoft.DBforPostgreSQL/flexibleServers", "westeurope", Map.of(), "{\"version\": \"16\"}");
        assertThat(collect("azure.dbconnections", PG, kinds).get("db.non_ssl_connections_30d").unavailable())
                .startsWith("no diagnostic setting sends the server's PostgreSQLLogs");

        azure.model().diagnosticSetting(PG, "to-law", WS, List.of("group:allLogs"))
                .logRow(WS, "AzureDiagnostics", NOW.minus(1, ChronoUnit.DAYS), pgLine(PG, "checkpoint starting: time"));
        assertThat(collect("azure.dbconnections", PG, kinds).get("db.legacy_tls_connections_30d").unavailable())
                .as("no connection line: log_connections may be off").startsWith("no PostgreSQL 'connection authorized' log line");

        String ok = "connection authorized: user=app database=orders application_name=api SSL enabled (protocol=TLSv1.3,"
                + " cipher=TLS_AES_256_GCM_SHA384, bits=256)";
        azure.model().logRow(WS, "AzureDiagnostics", NOW.minus(1, ChronoUnit.DAYS), pgLine(PG, ok))
                .logRow(WS, "AzureDiagnostics", NOW.minus(2, ChronoUnit.DAYS), pgLine(PG,
                        "connection authorized: user=etl database=orders application_name=loader"))
                .logRow(WS, "AzureDiagnostics", NOW.minus(3, ChronoUnit.DAYS), pgLine(PG,
                        "connection authorized: user=bi database=orders SSL enabled (protocol=TLSv1.1, cipher=ECDHE-RSA-AES256-SHA, bits=256)"))
                .logRow(WS, "AzureDiagnostics", NOW.minus(4, ChronoUnit.DAYS), pgLine(PG,
                        "connection authorized: user=bi database=orders SSL enabled (protocol=TLSv1, cipher=ECDHE-RSA-AES256-SHA, bits=256)"))
                .logRow(WS, "AzureDiagnostics", NOW.minus(4, ChronoUnit.DAYS), pgLine(PG, "connection received: host=10.0.0.4 port=50514"))
                .logRow(WS, "AzureDiagnostics", NOW.minus(45, ChronoUnit.DAYS), pgLine(PG,
                        "connection authorized: user=old database=orders"))
                .logRow(WS, "AzureDiagnostics", NOW.minus(1, ChronoUnit.DAYS), pgLine(PG + "-replica",
                        "connection authorized: user=etl database=orders"));

        Map<String, Observed> got = collect("azure.dbconnections", PG, kinds);
        assertThat(got.get("db.non_ssl_connections_30d").value()).as("the loader; not the 45-day-old line nor the replica's")
                .isEqualTo(1L);
        assertThat(got.get("db.legacy_tls_connections_30d").value()).isEqualTo(2L);
        assertThat(got.get("db.non_ssl_connections_30d").provenance().api())
                .isEqualTo("Microsoft.Insights/diagnosticSettings/read, Microsoft.OperationalInsights/workspaces/query/read");

        String mysql = RG + "/providers/Microsoft.DBforMySQL/flexibleServers/mysql-app";
        assertThat(collect("azure.dbconnections", mysql, kinds).get("db.non_ssl_connections_30d").unavailable())
                .startsWith("not collected for Azure Database for MySQL");
    }

    static String login(String server, String tls) {
        return "{\"_ResourceId\": \"" + server.toLowerCase(java.util.Locale.ROOT) + "/databases/master\", \"Category\": "
                + "\"SQLSecurityAuditEvents\", \"action_name_s\": \"DATABASE AUTHENTICATION SUCCEEDED\", "
                + "\"client_tls_version_name_s\": \"" + tls + "\"}";
    }

    @Test
    void appServicePlainHttpRequestsAreTheHttpLogsOnPort80() {
        Observed none = collect("azure.appservice", SITE, "app.http_requests_7d").get("app.http_requests_7d");
        assertThat(none.unavailable()).contains("no diagnostic setting sends the app's AppServiceHTTPLogs");

        azure.model().diagnosticSetting(SITE, "http", WS, List.of("AppServiceHTTPLogs"));
        for (int i = 0; i < 3; i++) {
            azure.model().logRow(WS, "AppServiceHTTPLogs", NOW.minus(i + 1, ChronoUnit.DAYS),
                    "{\"_ResourceId\": \"" + SITE.toLowerCase(java.util.Locale.ROOT) + "\", \"SPort\": \"80\"}");
        }
        azure.model().logRow(WS, "AppServiceHTTPLogs", NOW.minus(1, ChronoUnit.DAYS),
                "{\"_ResourceId\": \"" + SITE.toLowerCase(java.util.Locale.ROOT) + "\", \"SPort\": \"443\"}");

        assertThat(collect("azure.appservice", SITE, "app.http_requests_7d").get("app.http_requests_7d").value()).isEqualTo(3L);
    }

    @Test
    void internetSshAndRdpFlowsComeFromTrafficAnalyticsOfTheFlowLogsThatCoverTheNsg() {
        String subnet = RG + "/providers/Microsoft.Network/virtualNetworks/vnet/subnets/web";
        azure.model().resource(NSG, "Microsoft.Network/networkSecurityGroups", "westeurope", Map.of(),
                "{\"subnets\": [{\"id\": \"" + subnet + "\"}]}");
        Observed none = collect("azure.nsg", NSG, "nsg.internet_ssh_flows_30d").get("nsg.internet_ssh_flows_30d");
        assertThat(none.unavailable()).contains("no NSG or VNet flow log with Traffic Analytics covers nsg-app");

        String nw = "/subscriptions/" + SUB + "/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/nw";
        azure.model().resource(nw + "/flowLogs/nsg-log", "Microsoft.Network/networkWatchers/flowLogs", "westeurope", Map.of(),
                        flowLog(NSG, true))
                .resource(nw + "/flowLogs/vnet-log", "Microsoft.Network/networkWatchers/flowLogs", "westeurope", Map.of(),
                        flowLog(RG + "/providers/Microsoft.Network/virtualNetworks/vnet", true))
                .resource(nw + "/flowLogs/other", "Microsoft.Network/networkWatchers/flowLogs", "westeurope", Map.of(),
                        flowLog(RG + "/providers/Microsoft.Network/networkSecurityGroups/other", true))
                .logRow(WS, "AzureNetworkAnalytics_CL", NOW.minus(2, ChronoUnit.DAYS), nsgFlow(22, "ExternalPublic", 4))
                .logRow(WS, "AzureNetworkAnalytics_CL", NOW.minus(2, ChronoUnit.DAYS), nsgFlow(22, "IntraVNet", 50))
                .logRow(WS, "AzureNetworkAnalytics_CL", NOW.minus(3, ChronoUnit.DAYS), nsgFlow(3389, "MaliciousFlow", 1))
                .logRow(WS, "NTANetAnalytics", NOW.minus(1, ChronoUnit.DAYS),
                        "{\"SubType\": \"FlowLog\", \"FlowDirection\": \"Inbound\", \"FlowStatus\": \"Allowed\", \"FlowType\":"
                        + " \"ExternalPublic\", \"DestPort\": 22, \"AclGroup\": \"" + NSG + "\", \"AllowedInFlows\": 3}");

        Map<String, Observed> got = collect("azure.nsg", NSG, "nsg.internet_ssh_flows_30d", "nsg.internet_rdp_flows_30d");

        assertThat(got.get("nsg.internet_ssh_flows_30d").value()).as("4 on the NSG flow log, 3 on the VNet flow log").isEqualTo(7L);
        assertThat(got.get("nsg.internet_rdp_flows_30d").value()).isEqualTo(1L);
    }

    static final String VNET = RG + "/providers/Microsoft.Network/virtualNetworks/vnet-hub";

    @Test
    void aRouteNextHopIsAnAssociatedRouteToTheInterfacesIpOrToTheLoadBalancerInFrontOfIt() {
        String kind = "network.is_route_next_hop";
        String nva = RG + "/providers/Microsoft.Network/networkInterfaces/nic-fw-1";
        String pooled = RG + "/providers/Microsoft.Network/networkInterfaces/nic-fw-2";
        String ilb = RG + "/providers/Microsoft.Network/loadBalancers/ilb-fw";
        azure.model().resource(nva, "Microsoft.Network/networkInterfaces", "westeurope", Map.of(), nic("10.0.1.4", null))
                .resource(pooled, "Microsoft.Network/networkInterfaces", "westeurope", Map.of(), nic("10.0.1.5", ilb + "/backendAddressPools/fw"))
                .resource(ilb, "Microsoft.Network/loadBalancers", "westeurope", Map.of(),
                        "{\"provisioningState\": \"Succeeded\", \"frontendIPConfigurations\": [{\"name\": \"fe\", \"id\": \"" + ilb
                        + "/frontendIPConfigurations/fe\", \"properties\": {\"privateIPAddress\": \"10.0.1.100\","
                        + " \"privateIPAllocationMethod\": \"Static\", \"subnet\": {\"id\": \"" + VNET + "/subnets/fw\"}}}],"
                        + " \"backendAddressPools\": [{\"name\": \"fw\", \"id\": \"" + ilb + "/backendAddressPools/fw\"}]}");
        assertThat(collect("azure.routes", nva, kind).get(kind).value()).as("no route table at all").isEqualTo(false);

        azure.model().resource(RG + "/providers/Microsoft.Network/routeTables/rt-lookalike", "Microsoft.Network/routeTables",
                        "westeurope", Map.of(), routeTable("10.0.1.40", true))
                .resource(RG + "/providers/Microsoft.Network/routeTables/rt-unused", "Microsoft.Network/routeTables",
                        "westeurope", Map.of(), routeTable("10.0.1.4", false));
        Observed notYet = collect("azure.routes", nva, kind).get(kind);
        assertThat(notYet.value()).as("a longer address, and a route table no subnet uses, route nothing here").isEqualTo(false);
        assertThat(notYet.provenance().api()).isEqualTo("Microsoft.ResourceGraph/resources/read, Microsoft.Network/networkInterfaces/read,"
                + " Microsoft.Network/loadBalancers/read, Microsoft.Network/routeTables/read");
        assertThat(collect("azure.routes", pooled, kind).get(kind).value()).isEqualTo(false);

        azure.model().resource(RG + "/providers/Microsoft.Network/routeTables/rt-spokes", "Microsoft.Network/routeTables",
                "westeurope", Map.of(), routeTable("10.0.1.4", true));
        assertThat(collect("azure.routes", nva, kind).get(kind).value()).isEqualTo(true);
        assertThat(collect("azure.routes", pooled, kind).get(kind).value()).as("not its IP, nor its load balancer's").isEqualTo(false);

        azure.model().resource(RG + "/providers/Microsoft.Network/routeTables/rt-ha", "Microsoft.Network/routeTables",
                "westeurope", Map.of(), routeTable("10.0.1.100", true));
        assertThat(collect("azure.routes", pooled, kind).get(kind).value()).as("through the internal load balancer").isEqualTo(true);

        Observed gone = collect("azure.routes", RG + "/providers/Microsoft.Network/networkInterfaces/nic-gone", kind).get(kind);
        assertThat(gone.value()).isNull();
        assertThat(gone.unavailable()).startsWith("not found: Resource Graph has no network interface");
    }

    static String nic(String ip, String backendPool) {
        return "{\"provisioningState\": \"Succeeded\", \"enableIPForwarding\": true, \"ipConfigurations\": [{\"name\": \"ipconfig1\","
                + " \"properties\": {\"privateIPAddress\": \"" + ip + "\", \"privateIPAllocationMethod\": \"Static\", \"primary\": true,"
                + " \"subnet\": {\"id\": \"" + VNET + "/subnets/fw\"}"
                + (backendPool == null ? "" : ", \"loadBalancerBackendAddressPools\": [{\"id\": \"" + backendPool + "\"}]") + "}}]}";
    }

    static String routeTable(String nextHop, boolean associated) {
        return "{\"provisioningState\": \"Succeeded\", \"disableBgpRoutePropagation\": false, \"routes\": [{\"name\": \"default\","
                + " \"properties\": {\"provisioningState\": \"Succeeded\", \"addressPrefix\": \"0.0.0.0/0\","
                + " \"nextHopType\": \"VirtualAppliance\", \"nextHopIpAddress\": \"" + nextHop + "\", \"hasBgpOverride\": false}},"
                + " {\"name\": \"local\", \"properties\": {\"addressPrefix\": \"10.0.0.0/16\", \"nextHopType\": \"VnetLocal\"}}]"
                + (associated ? ", \"subnets\": [{\"id\": \"" + RG + "/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/app\"}]" : "")
                + "}";
    }

    static String flowLog(String target, boolean analytics) {
        return "{\"enabled\": true, \"targetResourceId\": \"" + target + "\", \"flowAnalyticsConfiguration\": "
                + "{\"networkWatcherFlowAnalyticsConfiguration\": {\"enabled\": " + analytics + ", \"workspaceResourceId\": \""
                + WS + "\"}}}";
    }

    static String nsgFlow(int port, String type, int flows) {
        return "{\"SubType_s\": \"FlowLog\", \"FlowDirection_s\": \"I\", \"FlowStatus_s\": \"A\", \"FlowType_s\": \"" + type
                + "\", \"DestPort_d\": " + port + ", \"NSGList_s\": \"" + SUB + "/rg-app/nsg-app\", \"AllowedInFlows_d\": " + flows + "}";
    }

    @Test
    void throttlingIsRetriedWithinTheBudget() {
        azure.model().metric(ACCOUNT, "Transactions", NOW.minus(1, ChronoUnit.DAYS), Map.of("Authentication", "Anonymous"), 2);
        azure.fail("/providers/Microsoft.Insights/metrics$", 429, "TooManyRequests", 0, 2);

        Observed n = collect("azure.storage", ACCOUNT, "storage.anonymous_requests_30d").get("storage.anonymous_requests_30d");

        assertThat(n.value()).isEqualTo(2L);
        assertThat(azure.calls().stream().filter(c -> c.path().endsWith("/metrics")).count()).isEqualTo(3);
    }

    @Test
    void throttlingBeyondTheBudgetIsUnavailable() {
        azure.fail("/providers/Microsoft.Insights/metrics$", 429, "TooManyRequests", 60, 5);

        Observed n = collect("azure.storage", ACCOUNT, "storage.anonymous_requests_30d").get("storage.anonymous_requests_30d");

        assertThat(n.available()).isFalse();
        assertThat(n.unavailable()).isEqualTo(
                "throttled beyond the budget on Microsoft.Insights/metrics/read (Metrics - List): TooManyRequests (429)");
        assertThat(azure.calls().stream().filter(c -> c.path().endsWith("/metrics")).count())
                .as("Retry-After 60 s is past the 20 s budget: no second try").isEqualTo(1);
    }

    @Test
    void accessDeniedNamesTheAction() {
        azure.fail("/providers/Microsoft.Insights/diagnosticSettings$", 403, "AuthorizationFailed", -1, 10);

        Observed n = collect("azure.sql", SERVER, "sql.master_diagnostic_setting").get("sql.master_diagnostic_setting");

        assertThat(n.unavailable()).isEqualTo(
                "AuthorizationFailed (403) on Microsoft.Insights/diagnosticSettings/read (Diagnostic Settings - List)");
        assertThat(n.provenance().api()).isEqualTo("Microsoft.Insights/diagnosticSettings/read");
    }

    @Test
    void aSlowAnswerTimesOut() {
        List<EvidenceCollector> quick = StandIn.collectors(azure, Duration.ofMillis(1500));
        azure.delay("/providers/Microsoft.Insights/metrics$", Duration.ofSeconds(4), 5);

        Observed n = StandIn.collect(StandIn.collector(quick, "azure.storage"), ACCOUNT, "storage.anonymous_requests_30d")
                .get("storage.anonymous_requests_30d");

        assertThat(n.available()).isFalse();
        assertThat(n.unavailable()).startsWith("timed out on Microsoft.Insights/metrics/read");
    }

    @Test
    void aResourceThatDoesNotExistIsNotFound() {
        String gone = RG + "/providers/Microsoft.Storage/storageAccounts/gone";

        Map<String, Observed> got = collect("azure.storage", gone, "storage.public_containers", "storage.anonymous_requests_30d");

        assertThat(got.get("storage.public_containers").unavailable()).isEqualTo(
                "not found (ResourceNotFound (404)) on Microsoft.Storage/storageAccounts/read (Storage Accounts - Get Properties)");
        assertThat(got.get("storage.anonymous_requests_30d").unavailable()).startsWith("not found (ResourceNotFound (404))");
    }

    @Test
    void withoutAnIdentityEveryReadIsUnavailableAndNothingIsSent() {
        var client = new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder(
                java.net.http.HttpClient.newBuilder().sslContext(azure.clientSslContext())).build();
        com.azure.core.credential.TokenCredential none = request -> reactor.core.publisher.Mono.error(
                new com.azure.identity.CredentialUnavailableException("no managed identity endpoint"));
        List<EvidenceCollector> anonymous = new AzureEvidenceProvider().collectors(
                StandIn.settings(azure, Duration.ofSeconds(5)), new AzureAccess(a -> none, client));

        Observed got = StandIn.collect(StandIn.collector(anonymous, "azure.storage"), ACCOUNT, "storage.public_containers")
                .get("storage.public_containers");

        assertThat(got.unavailable()).isEqualTo(
                "CredentialUnavailable on Microsoft.Storage/storageAccounts/read (Storage Accounts - Get Properties)");
        assertThat(azure.calls()).isEmpty();
    }

    @Test
    void aMalformedIdIsUnavailableWithTheProblemAndSendsNothing() {
        Map<String, Observed> got = collect("azure.storage", "/subscriptions/" + SUB + "/resourceGroups/rg-app/providers",
                "storage.public_containers");

        assertThat(got.get("storage.public_containers").unavailable()).contains("providers/{namespace}/{type}/{name}");
        assertThat(azure.calls()).isEmpty();
    }

    @Test
    void collectorsSupportResourcesByTheirIdNotTheirType() {
        EvidenceCollector storage = StandIn.collector(collectors, "azure.storage");
        var lying = new dev.fixgate.spi.finding.CloudResource(dev.fixgate.spi.finding.Cloud.AZURE, SUB, "",
                "Microsoft.Storage/storageAccounts", SERVER);
        var child = new dev.fixgate.spi.finding.CloudResource(dev.fixgate.spi.finding.Cloud.AZURE, SUB, "",
                "AzureStorageContainer", ACCOUNT.toUpperCase(java.util.Locale.ROOT) + "/blobServices/default/containers/x");

        assertThat(storage.supports(lying)).isFalse();
        assertThat(storage.supports(child)).as("a container of the account, id in any case").isTrue();
    }
}
