package dev.fixgate.provider.azure;

import dev.fixgate.spi.evidence.ReadAction;

/**
 * Every read the Azure collectors may make, as Azure RBAC spells the permission and the REST reference names the
 * operation. Collectors list the ones they use in {@code reads()}; the read-only test maps each SDK call in their code
 * to one of these operations and fails on any other.
 */
final class AzureReads {

    private AzureReads() {
    }

    static final ReadAction RESOURCE_GRAPH = new ReadAction("Microsoft.ResourceGraph/resources/read",
            "Resources - Resources",
            "Resource Graph query (a POST that only reads): tags, flow log settings, fired alerts, resource health");
    static final ReadAction SUBSCRIPTION_READ = new ReadAction("Microsoft.Resources/subscriptions/read",
            "Resources - Resources", "the subscription's tags, through Resource Graph");
    static final ReadAction RESOURCE_GROUP_READ = new ReadAction("Microsoft.Resources/subscriptions/resourceGroups/read",
            "Resources - Resources", "the resource group's tags, through Resource Graph");
    static final ReadAction ALERTS_READ = new ReadAction("Microsoft.AlertsManagement/alerts/read",
            "Resources - Resources", "fired alerts on the resource, through Resource Graph");
    static final ReadAction HEALTH_READ = new ReadAction("Microsoft.ResourceHealth/availabilityStatuses/read",
            "Resources - Resources", "the resource's current health, through Resource Graph");
    static final ReadAction FLOW_LOGS_READ = new ReadAction("Microsoft.Network/networkWatchers/flowLogs/read",
            "Resources - Resources", "which flow logs with Traffic Analytics cover the NSG, through Resource Graph");
    static final ReadAction NSG_READ = new ReadAction("Microsoft.Network/networkSecurityGroups/read",
            "Resources - Resources", "the NSG's subnets and interfaces, through Resource Graph");

    static final ReadAction NIC_READ = new ReadAction("Microsoft.Network/networkInterfaces/read",
            "Resources - Resources", "the interface's private IPs and load balancer backend pools, through Resource Graph");
    static final ReadAction LOAD_BALANCER_READ = new ReadAction("Microsoft.Network/loadBalancers/read",
            "Resources - Resources", "the frontend IPs of internal load balancers in front of the interface, through Resource Graph");
    static final ReadAction ROUTE_TABLES_READ = new ReadAction("Microsoft.Network/routeTables/read",
            "Resources - Resources", "user-defined routes whose next hop is the interface, through Resource Graph");

    static final ReadAction METRICS = new ReadAction("Microsoft.Insights/metrics/read", "Metrics - List",
            "platform metrics (storage Transactions by Authentication, SQL allocated_data_storage)");
    static final ReadAction DIAGNOSTIC_SETTINGS = new ReadAction("Microsoft.Insights/diagnosticSettings/read",
            "Diagnostic Settings - List", "where a resource's logs go (the workspace to query, the SQL master audit)");
    static final ReadAction STORAGE_ACCOUNT = new ReadAction("Microsoft.Storage/storageAccounts/read",
            "Storage Accounts - Get Properties", "whether the account allows anonymous blob access at all");
    static final ReadAction BLOB_CONTAINERS = new ReadAction("Microsoft.Storage/storageAccounts/blobServices/containers/read",
            "Blob Containers - List", "each container's public access level");
    static final ReadAction WORKSPACE_QUERY = new ReadAction("Microsoft.OperationalInsights/workspaces/query/read",
            "Query - Execute", "Log Analytics query (a POST that only reads) over the resource's logs");

    /** The table-level read a workspace query needs when the workspace uses table-level RBAC. */
    static ReadAction table(String table, String why) {
        return new ReadAction("Microsoft.OperationalInsights/workspaces/query/" + table + "/read", "Query - Execute", why);
    }
}
