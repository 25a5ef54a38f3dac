package dev.fixgate.localazure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the local Azure knows, changeable while it runs: Resource Graph tables, storage containers, metric points,
 * diagnostic settings and Log Analytics workspace tables. Built with the fluent methods below (a scenario per test).
 */
public final class AzureModel {

    static final ObjectMapper JSON = dev.fixgate.localcloud.StandInServer.JSON;

    /** Resource Graph tables by lower-case name: resources, resourcecontainers, alertsmanagementresources, healthresources, securityresources. */
    final Map<String, List<ObjectNode>> graph = new ConcurrentHashMap<>();
    /** Storage account id (lower case) → container name → public access ("None", "Blob", "Container"). */
    final Map<String, Map<String, String>> containers = new ConcurrentHashMap<>();
    /** Resource id (lower case) → metric points. */
    final Map<String, List<MetricPoint>> metrics = new ConcurrentHashMap<>();
    /** Resource id (lower case) → diagnostic settings (ARM JSON). */
    final Map<String, List<ObjectNode>> diagnostics = new ConcurrentHashMap<>();
    /** Workspace id (lower case) → table → rows (each with TimeGenerated). */
    final Map<String, Map<String, List<ObjectNode>>> workspaces = new ConcurrentHashMap<>();

    /** One metric value at a time, with its dimension values. */
    public record MetricPoint(String metric, Instant at, Map<String, String> dimensions, double value) {
    }

    static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    private List<ObjectNode> table(String name) {
        return graph.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
    }

    /** A subscription with tags (Resource Graph's resourcecontainers). */
    public AzureModel subscription(String subscription, Map<String, String> tags) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", "/subscriptions/" + subscription);
        o.put("type", "microsoft.resources/subscriptions");
        o.put("subscriptionId", subscription);
        o.set("tags", JSON.valueToTree(tags));
        table("resourcecontainers").add(o);
        return this;
    }

    public AzureModel resourceGroup(String subscription, String group, Map<String, String> tags) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", "/subscriptions/" + subscription + "/resourceGroups/" + group);
        o.put("type", "microsoft.resources/subscriptions/resourcegroups");
        o.put("subscriptionId", subscription);
        o.set("tags", JSON.valueToTree(tags));
        table("resourcecontainers").add(o);
        return this;
    }

    /**
     * A resource in Resource Graph's {@code resources} table (and behind its ARM id): {@code properties} as ARM returns
     * them (JSON text, or empty for none).
     */
    public AzureModel resource(String id, String type, String location, Map<String, String> tags, String properties) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("name", id.substring(id.lastIndexOf('/') + 1));
        o.put("type", type.toLowerCase(Locale.ROOT));
        o.put("location", location);
        o.set("tags", JSON.valueToTree(tags));
        try {
            o.set("properties", properties.isBlank() ? JSON.createObjectNode() : JSON.readTree(properties));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("properties of " + id + " are not JSON: " + e.getMessage(), e);
        }
        table("resources").removeIf(r -> r.get("id").asText().equalsIgnoreCase(id));
        table("resources").add(o);
        return this;
    }

    /**
     * A Defender for Cloud assessment of {@code resourceId} in Resource Graph's {@code securityresources} table, shaped
     * as Resource Graph returns {@code microsoft.security/assessments} rows: {@code name} is the assessment key, the
     * row's id is the resource id + {@code /providers/Microsoft.Security/assessments/<key>}, and {@code properties}
     * holds {@code resourceDetails} ({@code Source}, {@code Id}), {@code displayName}, {@code status} ({@code code},
     * {@code statusChangeDate}, {@code firstEvaluationDate}) and {@code metadata} ({@code displayName},
     * {@code severity}, {@code assessmentType}). The same key on the same resource replaces the earlier row (a status
     * change).
     *
     * @param status Healthy, Unhealthy or NotApplicable
     */
    public AzureModel assessment(String resourceId, String key, String displayName, String status, String severity,
                                 Instant firstEvaluation, Instant statusChange) {
        String id = resourceId + "/providers/Microsoft.Security/assessments/" + key;
        String[] parts = resourceId.split("/");
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("name", key);
        o.put("type", "microsoft.security/assessments");
        o.put("tenantId", "00000000-0000-0000-0000-000000000000");
        o.put("kind", "");
        o.put("location", "");
        o.put("resourceGroup", parts.length > 4 ? parts[4].toLowerCase(Locale.ROOT) : "");
        o.put("subscriptionId", parts.length > 2 ? parts[2] : "");
        ObjectNode p = o.putObject("properties");
        ObjectNode details = p.putObject("resourceDetails");
        details.put("Source", "Azure");
        details.put("Id", resourceId);
        details.put("ResourceProvider", parts.length > 6 ? parts[6].toLowerCase(Locale.ROOT) : "");
        details.put("ResourceName", parts[parts.length - 1]);
        p.put("displayName", displayName);
        ObjectNode st = p.putObject("status");
        st.put("code", status);
        st.put("firstEvaluationDate", firstEvaluation.toString());
        st.put("statusChangeDate", statusChange.toString());
        if (status.equals("NotApplicable")) {
            st.put("cause", "OffByPolicy");
            st.put("description", "Not applicable to this resource");
        }
        ObjectNode meta = p.putObject("metadata");
        meta.put("displayName", displayName);
        meta.put("severity", severity);
        meta.put("assessmentType", "BuiltIn");
        ObjectNode links = p.putObject("links");
        links.put("azurePortal", "portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/" + key);
        table("securityresources").removeIf(r -> r.get("id").asText().equalsIgnoreCase(id));
        table("securityresources").add(o);
        return this;
    }

    public AzureModel removeResource(String id) {
        table("resources").removeIf(r -> r.get("id").asText().equalsIgnoreCase(id));
        return this;
    }

    /** A fired Azure Monitor alert on {@code target} (alertsmanagementresources). */
    public AzureModel firedAlert(String subscription, String target, String name) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", "/subscriptions/" + subscription + "/providers/Microsoft.AlertsManagement/alerts/" + name);
        o.put("type", "microsoft.alertsmanagement/alerts");
        ObjectNode essentials = o.putObject("properties").putObject("essentials");
        essentials.put("targetResource", target);
        essentials.put("monitorCondition", "Fired");
        table("alertsmanagementresources").add(o);
        return this;
    }

    /** Resource Health's current availability of {@code target} (healthresources). */
    public AzureModel health(String target, String state) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", target + "/providers/Microsoft.ResourceHealth/availabilityStatuses/current");
        o.put("type", "microsoft.resourcehealth/availabilitystatuses");
        ObjectNode p = o.putObject("properties");
        p.put("targetResourceId", target);
        p.put("availabilityState", state);
        table("healthresources").removeIf(r -> r.get("id").asText().equalsIgnoreCase(o.get("id").asText()));
        table("healthresources").add(o);
        return this;
    }

    public AzureModel container(String accountId, String name, String publicAccess) {
        containers.computeIfAbsent(key(accountId), k -> new ConcurrentHashMap<>()).put(name, publicAccess);
        return this;
    }

    public AzureModel metric(String resourceId, String metric, Instant at, Map<String, String> dimensions, double value) {
        metrics.computeIfAbsent(key(resourceId), k -> new CopyOnWriteArrayList<>())
                .add(new MetricPoint(metric, at, Map.copyOf(dimensions), value));
        return this;
    }

    /** A diagnostic setting on {@code resourceId} sending {@code categories} (or category groups, as {@code group:x}). */
    public AzureModel diagnosticSetting(String resourceId, String name, String workspaceId, List<String> categories) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", resourceId + "/providers/microsoft.insights/diagnosticSettings/" + name);
        o.put("name", name);
        o.put("type", "Microsoft.Insights/diagnosticSettings");
        ObjectNode p = o.putObject("properties");
        if (workspaceId != null) {
            p.put("workspaceId", workspaceId);
        } else {
            p.put("storageAccountId", resourceId.substring(0, resourceId.indexOf("/providers/"))
                    + "/providers/Microsoft.Storage/storageAccounts/auditlogs");
        }
        ArrayNode logs = p.putArray("logs");
        for (String c : categories) {
            ObjectNode l = logs.addObject();
            if (c.startsWith("group:")) {
                l.put("categoryGroup", c.substring(6));
            } else {
                l.put("category", c);
            }
            l.put("enabled", true);
        }
        p.putArray("metrics");
        diagnostics.computeIfAbsent(key(resourceId), k -> new CopyOnWriteArrayList<>()).add(o);
        return this;
    }

    /** A row in a workspace table; {@code row} is JSON text, {@code TimeGenerated} is set from {@code at}. */
    public AzureModel logRow(String workspaceId, String table, Instant at, String row) {
        try {
            ObjectNode o = (ObjectNode) JSON.readTree(row);
            o.put("TimeGenerated", at.toString());
            workspaces.computeIfAbsent(key(workspaceId), k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(table, t -> new CopyOnWriteArrayList<>()).add(o);
            return this;
        } catch (java.io.IOException | ClassCastException e) {
            throw new IllegalArgumentException("log row for " + table + " is not a JSON object: " + row, e);
        }
    }

    /** Whether an ARM id names a known resource or something below one (a service, a database of a known server). */
    boolean known(String id) {
        String k = key(id);
        return table("resources").stream().map(r -> key(r.get("id").asText())).anyMatch(r -> k.equals(r) || k.startsWith(r + "/"))
                || table("resourcecontainers").stream().anyMatch(r -> key(r.get("id").asText()).equals(k));
    }

    ObjectNode resourceJson(String id) {
        return table("resources").stream().filter(r -> r.get("id").asText().equalsIgnoreCase(id)).findFirst()
                .map(ObjectNode::deepCopy).orElse(null);
    }
}
