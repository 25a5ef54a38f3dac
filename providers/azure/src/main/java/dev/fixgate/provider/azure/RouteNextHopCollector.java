package dev.fixgate.provider.azure;

import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code network.is_route_next_hop}: whether user-defined routes send traffic through the network interface — a
 * route of a route table associated with at least one subnet whose {@code nextHopIpAddress} is one of the interface's
 * private IPs, or the frontend IP of an internal load balancer whose backend pool holds the interface (the usual
 * highly available appliance pair). Such an interface forwards traffic not addressed to it; turning IP forwarding off
 * drops that traffic. All from Resource Graph: the interface, its load balancers, and the route tables of the
 * interface's subscription and of the subscriptions fixgate is configured with (hub and spoke route tables often
 * live in other subscriptions). A route table in a subscription the role cannot read is not seen.
 */
final class RouteNextHopCollector extends AzureCollector {

    static final String NEXT_HOP = "network.is_route_next_hop";

    RouteNextHopCollector(AzureClients clients, ProviderSettings settings) {
        super("azure.routes", Set.of(NEXT_HOP), List.of(AzureReads.RESOURCE_GRAPH, AzureReads.NIC_READ,
                        AzureReads.LOAD_BALANCER_READ, AzureReads.ROUTE_TABLES_READ),
                List.of("microsoft.network/networkinterfaces"), clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        ArmId nic = ctx.id().ancestor("microsoft.network/networkinterfaces").orElseThrow();
        var a = ctx.answers();
        ReadAction[] used = {AzureReads.RESOURCE_GRAPH, AzureReads.NIC_READ, AzureReads.LOAD_BALANCER_READ,
            AzureReads.ROUTE_TABLES_READ};
        List<Map<String, Object>> found = Graph.query(ctx, "resources | where type =~ 'microsoft.network/networkinterfaces'"
                + " and id =~ " + Graph.literal(nic.id()) + " | project id, properties", AzureReads.RESOURCE_GRAPH);
        if (found.isEmpty()) {
            a.rest("not found: Resource Graph has no network interface " + nic.id() + " (or the role may not read it)",
                    ctx.provenance(used));
            return;
        }
        Set<String> hops = new LinkedHashSet<>();
        Set<String> balancers = new LinkedHashSet<>();
        for (Object config : list(map(found.get(0).get("properties")).get("ipConfigurations"))) {
            Map<?, ?> props = map(map(config).get("properties"));
            if (props.get("privateIPAddress") instanceof String ip && !ip.isBlank()) {
                hops.add(ip);
            }
            for (Object pool : list(props.get("loadBalancerBackendAddressPools"))) {
                if (map(pool).get("id") instanceof String id) {
                    int cut = id.toLowerCase(Locale.ROOT).indexOf("/backendaddresspools/");
                    if (cut > 0) {
                        balancers.add(id.substring(0, cut));
                    }
                }
            }
        }
        if (hops.isEmpty()) {
            a.rest("the network interface " + nic.name() + " has no private IP in Resource Graph", ctx.provenance(used));
            return;
        }
        if (!balancers.isEmpty()) {
            String in = balancers.stream().map(Graph::literal).collect(Collectors.joining(", "));
            for (Map<String, Object> lb : Graph.query(ctx, "resources | where type =~ 'microsoft.network/loadbalancers'"
                    + " and id in~ (" + in + ") | project id, properties", AzureReads.RESOURCE_GRAPH)) {
                for (Object frontend : list(map(lb.get("properties")).get("frontendIPConfigurations"))) {
                    if (map(map(frontend).get("properties")).get("privateIPAddress") instanceof String ip && !ip.isBlank()) {
                        hops.add(ip);
                    }
                }
            }
        }
        // Narrowed in the query by the addresses as text, decided here on the parsed routes.
        String mentions = hops.stream().map(ip -> "tostring(properties) contains " + Graph.literal(ip))
                .collect(Collectors.joining(" or "));
        Set<String> subscriptions = new LinkedHashSet<>();
        subscriptions.add(nic.subscription());
        subscriptions.addAll(subscriptions());
        boolean nextHop = false;
        for (Map<String, Object> table : Graph.query(ctx, new ArrayList<>(subscriptions),
                "resources | where type =~ 'microsoft.network/routetables' and (" + mentions + ") | project id, properties",
                AzureReads.RESOURCE_GRAPH)) {
            Map<?, ?> props = map(table.get("properties"));
            if (list(props.get("subnets")).isEmpty()) {
                continue;
            }
            for (Object route : list(props.get("routes"))) {
                Map<?, ?> r = map(map(route).get("properties"));
                nextHop |= "VirtualAppliance".equalsIgnoreCase(String.valueOf(r.get("nextHopType")))
                        && r.get("nextHopIpAddress") instanceof String ip && hops.contains(ip.strip());
            }
        }
        a.observed(NEXT_HOP, nextHop, ctx.provenance(used));
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }
}
