package dev.fixgate.provider.gcp;

import com.google.cloud.compute.v1.Firewall;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code firewall.internet_hits_30d}: connections the rule matched in 30 days (firewall rules logging) whose source is
 * neither the IAP TCP forwarding range ({@value #IAP}) nor a private (RFC 1918) address. A rule without logging
 * cannot be counted: that is unavailable, not zero.
 */
final class FirewallCollector extends GcpCollector {

    static final String HITS = "firewall.internet_hits_30d";
    static final String IAP = "35.235.240.0/20";
    private static final List<String> NOT_INTERNET = List.of(IAP, "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");

    FirewallCollector(GcpClients clients, ProviderSettings settings) {
        super("gcp.firewall", Set.of(HITS), List.of(GcpReads.FIREWALL_GET, GcpReads.LOG_ENTRIES),
                EnumSet.of(GcpResource.Kind.FIREWALL), clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        GcpResource r = ctx.resource();
        Firewall rule = ctx.budget().call(GcpReads.FIREWALL_GET, () -> ctx.sdk().firewalls().get().get(r.project(), r.name()),
                GcpFailures::classify);
        if (!rule.hasLogConfig() || !rule.getLogConfig().getEnable()) {
            ctx.answers().unavailable(HITS, "firewall rules logging is off for " + r.name() + ": its hits cannot be counted",
                    ctx.provenance(GcpReads.FIREWALL_GET));
            return;
        }
        String network = rule.getNetwork().substring(rule.getNetwork().lastIndexOf('/') + 1);
        StringBuilder filter = new StringBuilder("logName=" + LogCount.quote("projects/" + r.project()
                + "/logs/compute.googleapis.com%2Ffirewall"))
                .append(" AND jsonPayload.rule_details.reference=").append(LogCount.quote("network:" + network + "/firewall:" + r.name()));
        for (String range : NOT_INTERNET) {
            filter.append(" AND NOT ip_in_net(jsonPayload.connection.src_ip, ").append(LogCount.quote(range)).append(")");
        }
        long n = LogCount.count(ctx, filter.toString(), ctx.from(Duration.ofDays(30)), ctx.request().now(), GcpReads.LOG_ENTRIES);
        ctx.answers().observed(HITS, n, ctx.provenance(GcpReads.FIREWALL_GET, GcpReads.LOG_ENTRIES));
    }
}
