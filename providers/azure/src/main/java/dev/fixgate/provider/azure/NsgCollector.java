package dev.fixgate.provider.azure;

import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code nsg.internet_ssh_flows_30d}, {@code nsg.internet_rdp_flows_30d}: inbound flows to port 22 / 3389 from
 * internet addresses that the NSG allowed in 30 days, from Traffic Analytics. Resource Graph finds the flow logs with
 * Traffic Analytics that cover the NSG — NSG flow logs on the NSG itself ({@code AzureNetworkAnalytics_CL}) or VNet
 * flow logs on a virtual network, subnet or interface it is attached to ({@code NTANetAnalytics}, rows whose
 * {@code AclGroup} is the NSG) — and their workspaces are queried for flows of type {@code ExternalPublic} or
 * {@code MaliciousFlow}. No such flow log: unavailable (no flow logs is not the same as no flows).
 */
final class NsgCollector extends AzureCollector {

    static final String SSH = "nsg.internet_ssh_flows_30d";
    static final String RDP = "nsg.internet_rdp_flows_30d";
    static final Duration WINDOW = Duration.ofDays(30);

    NsgCollector(AzureClients clients, ProviderSettings settings) {
        super("azure.nsg", Set.of(SSH, RDP), List.of(AzureReads.RESOURCE_GRAPH, AzureReads.NSG_READ, AzureReads.FLOW_LOGS_READ,
                        AzureReads.WORKSPACE_QUERY,
                        AzureReads.table("AzureNetworkAnalytics_CL", "NSG flow log flows (Traffic Analytics)"),
                        AzureReads.table("NTANetAnalytics", "VNet flow log flows (Traffic Analytics)")),
                List.of("microsoft.network/networksecuritygroups"), clients, settings);
    }

    /** A flow log with Traffic Analytics: its workspace and whether it is an NSG flow log. */
    private record FlowLog(String workspace, boolean onNsg) {
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        ArmId nsg = ctx.id().ancestor("microsoft.network/networksecuritygroups").orElseThrow();
        var a = ctx.answers();
        ReadAction[] used = {AzureReads.RESOURCE_GRAPH, AzureReads.NSG_READ, AzureReads.FLOW_LOGS_READ};
        List<Map<String, Object>> found = Graph.query(ctx, "resources | where type =~ 'microsoft.network/networksecuritygroups'"
                + " and id =~ " + Graph.literal(nsg.id()) + " | project id, properties", AzureReads.RESOURCE_GRAPH);
        if (found.isEmpty()) {
            a.rest("not found: Resource Graph has no network security group " + nsg.id() + " (or the role may not read it)",
                    ctx.provenance(used));
            return;
        }
        Set<String> targets = new LinkedHashSet<>();
        targets.add(nsg.id());
        Map<?, ?> props = found.get(0).get("properties") instanceof Map<?, ?> m ? m : Map.of();
        for (String id : ids(props.get("subnets"))) {
            targets.add(id);
            int cut = id.toLowerCase(Locale.ROOT).indexOf("/subnets/");
            if (cut > 0) {
                targets.add(id.substring(0, cut));
            }
        }
        targets.addAll(ids(props.get("networkInterfaces")));
        String in = targets.stream().map(Graph::literal).collect(Collectors.joining(", "));
        List<Map<String, Object>> logs = Graph.query(ctx, "resources | where type =~ 'microsoft.network/networkwatchers/flowlogs'"
                + " and properties.targetResourceId in~ (" + in + ") | project id, properties", AzureReads.RESOURCE_GRAPH);
        Map<String, FlowLog> analysed = new LinkedHashMap<>();
        for (Map<String, Object> row : logs) {
            Map<?, ?> p = row.get("properties") instanceof Map<?, ?> m ? m : Map.of();
            Object ta = path(p, "flowAnalyticsConfiguration", "networkWatcherFlowAnalyticsConfiguration");
            if (!Boolean.TRUE.equals(p.get("enabled")) || !(ta instanceof Map<?, ?> t) || !Boolean.TRUE.equals(t.get("enabled"))
                    || !(t.get("workspaceResourceId") instanceof String ws) || ws.isBlank()) {
                continue;
            }
            boolean onNsg = String.valueOf(p.get("targetResourceId")).equalsIgnoreCase(nsg.id());
            analysed.putIfAbsent(ws.toLowerCase(Locale.ROOT) + "|" + onNsg, new FlowLog(ws, onNsg));
        }
        if (analysed.isEmpty()) {
            a.rest("no NSG or VNet flow log with Traffic Analytics covers " + nsg.name()
                    + ": flows cannot be counted (no flow logs is not no flows)", ctx.provenance(used));
            return;
        }
        Instant to = ctx.request().now();
        Instant from = ctx.from(WINDOW);
        for (String kind : List.of(SSH, RDP)) {
            if (!a.wants(kind)) {
                continue;
            }
            int port = kind.equals(SSH) ? 22 : 3389;
            try {
                long n = 0;
                for (FlowLog log : analysed.values()) {
                    n += LogCounts.count(ctx, log.workspace(), query(log, nsg, port), from, to);
                }
                a.observed(kind, n, ctx.provenance(AzureReads.RESOURCE_GRAPH, AzureReads.FLOW_LOGS_READ, AzureReads.WORKSPACE_QUERY));
            } catch (CallFailedException e) {
                ctx.unavailable(e, kind);
            }
        }
    }

    static String query(FlowLog log, ArmId nsg, int port) {
        if (log.onNsg()) {
            // NSGList_s names the NSG as subscription/resourceGroup/name.
            String listed = nsg.subscription() + "/" + nsg.resourceGroup() + "/" + nsg.name();
            return "AzureNetworkAnalytics_CL | where SubType_s == 'FlowLog' and FlowDirection_s == 'I'"
                    + " and FlowStatus_s == 'A' and FlowType_s in ('ExternalPublic', 'MaliciousFlow')"
                    + " and DestPort_d == " + port + " and NSGList_s contains " + Graph.literal(listed)
                    + " | summarize n = sum(AllowedInFlows_d)";
        }
        return "NTANetAnalytics | where SubType == 'FlowLog' and FlowDirection == 'Inbound' and FlowStatus == 'Allowed'"
                + " and FlowType in ('ExternalPublic', 'MaliciousFlow') and DestPort == " + port
                + " and AclGroup =~ " + Graph.literal(nsg.id()) + " | summarize n = sum(AllowedInFlows)";
    }

    private static List<String> ids(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> m && m.get("id") instanceof String id && ArmId.tryParse(id).isPresent()) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    private static Object path(Map<?, ?> map, String... keys) {
        Object cur = map;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(k);
        }
        return cur;
    }
}
