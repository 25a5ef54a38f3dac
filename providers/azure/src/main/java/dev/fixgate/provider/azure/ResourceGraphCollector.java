package dev.fixgate.provider.azure;

import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.provider.common.evidence.Tags;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The any-cloud kinds from Azure Resource Graph: the resource's tags, its environment and owner (from its tags, else
 * its resource group's, else its subscription's), whether an incident is active (a fired Azure Monitor alert on it,
 * or Resource Health calling it Unavailable or Degraded) and its dependents (the resources whose properties name it:
 * the interfaces and virtual networks an NSG is attached to, private endpoints of an account, databases' elastic
 * pools…). One query per group of kinds.
 */
final class ResourceGraphCollector extends AzureCollector {

    /** The resource types fixgate's Azure playbooks fix; Resource Graph returns only what the role may read. */
    static final List<String> TYPES = List.of("microsoft.storage/storageaccounts", "microsoft.sql/servers",
            "microsoft.web/sites", "microsoft.network/networksecuritygroups", "microsoft.keyvault/vaults");

    private static final List<ReadAction> TYPE_READS = List.of(
            new ReadAction("Microsoft.Storage/storageAccounts/read", "Resources - Resources", "storage account tags"),
            new ReadAction("Microsoft.Sql/servers/read", "Resources - Resources", "SQL server tags"),
            new ReadAction("Microsoft.Sql/servers/databases/read", "Resources - Resources", "SQL database tags"),
            new ReadAction("Microsoft.Web/sites/read", "Resources - Resources", "App Service tags"),
            new ReadAction("Microsoft.Network/networkSecurityGroups/read", "Resources - Resources", "NSG tags"),
            new ReadAction("Microsoft.KeyVault/vaults/read", "Resources - Resources", "key vault tags"));

    ResourceGraphCollector(AzureClients clients, ProviderSettings settings) {
        super("azure.resourcegraph",
                Set.of(EvidenceKinds.TAGS, EvidenceKinds.ENVIRONMENT, EvidenceKinds.OWNER, EvidenceKinds.INCIDENT_ACTIVE,
                        EvidenceKinds.DEPENDENTS),
                declaredReads(), TYPES, clients, settings);
    }

    private static List<ReadAction> declaredReads() {
        List<ReadAction> r = new java.util.ArrayList<>(List.of(AzureReads.RESOURCE_GRAPH, AzureReads.SUBSCRIPTION_READ,
                AzureReads.RESOURCE_GROUP_READ, AzureReads.ALERTS_READ, AzureReads.HEALTH_READ));
        r.addAll(TYPE_READS);
        return r;
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        var a = ctx.answers();
        String id = Graph.literal(ctx.id().id());
        if (a.wantsAny(EvidenceKinds.TAGS, EvidenceKinds.ENVIRONMENT, EvidenceKinds.OWNER)) {
            String kql = "resources | where id =~ " + id + " | project id, type, tags"
                    + " | union (resourcecontainers | where id =~ " + Graph.literal(ctx.id().resourceGroupId())
                    + " or id =~ " + Graph.literal(ctx.id().subscriptionId()) + " | project id, type, tags)";
            List<Map<String, Object>> rows;
            try {
                rows = Graph.query(ctx, kql, AzureReads.RESOURCE_GRAPH);
            } catch (CallFailedException e) {
                ctx.unavailable(e, EvidenceKinds.TAGS, EvidenceKinds.ENVIRONMENT, EvidenceKinds.OWNER);
                rows = null;
            }
            if (rows != null) {
                tagKinds(ctx, rows);
            }
        }
        if (a.wants(EvidenceKinds.DEPENDENTS)) {
            dependents(ctx, id);
        }
        if (a.wants(EvidenceKinds.INCIDENT_ACTIVE)) {
            String kql = "alertsmanagementresources | where properties.essentials.targetResource =~ " + id
                    + " and properties.essentials.monitorCondition =~ 'Fired' | project id, type"
                    + " | union (healthresources | where type =~ 'microsoft.resourcehealth/availabilitystatuses'"
                    + " and properties.targetResourceId =~ " + id
                    + " and properties.availabilityState in~ ('Unavailable', 'Degraded') | project id, type)";
            try {
                List<Map<String, Object>> rows = Graph.query(ctx, kql, AzureReads.RESOURCE_GRAPH);
                a.observed(EvidenceKinds.INCIDENT_ACTIVE, !rows.isEmpty(),
                        ctx.provenance(AzureReads.RESOURCE_GRAPH, AzureReads.ALERTS_READ, AzureReads.HEALTH_READ));
            } catch (CallFailedException e) {
                ctx.unavailable(e, EvidenceKinds.INCIDENT_ACTIVE);
            }
        }
    }

    /** Dependents read at most: the blast radius needs the first ones, not a census. */
    static final int MAX_DEPENDENTS = 200;

    private static void dependents(Ctx ctx, String id) {
        // The id as a whole JSON string value, or as the parent in a child's id: never a longer name it prefixes.
        String exact = Graph.literal(ctx.id().id() + "\"");
        String parent = Graph.literal(ctx.id().id() + "/");
        String kql = "resources | where (tostring(properties) contains " + exact + " or tostring(properties) contains "
                + parent + ") and id !~ " + id + " | project id";
        try {
            List<String> ids = Graph.query(ctx, kql, AzureReads.RESOURCE_GRAPH).stream()
                    .map(r -> String.valueOf(r.get("id"))).sorted().limit(MAX_DEPENDENTS).toList();
            ctx.answers().observed(EvidenceKinds.DEPENDENTS, ids, ctx.provenance(AzureReads.RESOURCE_GRAPH));
        } catch (CallFailedException e) {
            ctx.unavailable(e, EvidenceKinds.DEPENDENTS);
        }
    }

    private void tagKinds(Ctx ctx, List<Map<String, Object>> rows) {
        Map<String, String> resource = null;
        Map<String, String> group = Map.of();
        Map<String, String> subscription = Map.of();
        String self = ctx.id().id().toLowerCase(Locale.ROOT);
        for (Map<String, Object> row : rows) {
            String rowId = String.valueOf(row.get("id")).toLowerCase(Locale.ROOT);
            Map<String, String> tags = tags(row.get("tags"));
            if (rowId.equals(self)) {
                resource = tags;
            } else if (rowId.equals(ctx.id().resourceGroupId().toLowerCase(Locale.ROOT))) {
                group = tags;
            } else if (rowId.equals(ctx.id().subscriptionId().toLowerCase(Locale.ROOT))) {
                subscription = tags;
            }
        }
        var a = ctx.answers();
        var provenance = ctx.provenance(AzureReads.RESOURCE_GRAPH);
        if (resource == null) {
            a.rest("not found: Resource Graph has no resource " + ctx.id().id() + " (or the role may not read it)", provenance);
            return;
        }
        a.observed(EvidenceKinds.TAGS, resource, provenance);
        Optional<String> env = Tags.environment(resource);
        if (env.isEmpty()) {
            env = Tags.environment(group);
        }
        Map<String, String> sub = subscription;
        if (env.isEmpty()) {
            env = Tags.environment(sub);
        }
        env.ifPresentOrElse(e -> a.observed(EvidenceKinds.ENVIRONMENT, e,
                        ctx.provenance(AzureReads.RESOURCE_GRAPH, AzureReads.RESOURCE_GROUP_READ, AzureReads.SUBSCRIPTION_READ)),
                () -> a.unavailable(EvidenceKinds.ENVIRONMENT,
                        "no environment tag on the resource, its resource group or its subscription", provenance));
        Optional<String> owner = Tags.owner(resource);
        if (owner.isEmpty()) {
            owner = Tags.owner(group);
        }
        owner.ifPresentOrElse(o -> a.observed(EvidenceKinds.OWNER, o, provenance),
                () -> a.unavailable(EvidenceKinds.OWNER, "no owner tag on the resource or its resource group", provenance));
    }

    private static Map<String, String> tags(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (k != null && v != null) {
                    out.put(k.toString(), v.toString());
                }
            });
        }
        return out;
    }
}
