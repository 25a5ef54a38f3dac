package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.redshift.RedshiftClient;
import software.amazon.awssdk.services.redshift.model.ClusterNode;
import software.amazon.awssdk.services.redshift.model.Cluster;

/**
 * Redshift: connections from outside the cluster's VPC in 30 days (its nodes' interfaces in the VPC flow logs, as
 * {@code rds.public_connections_14d}; see {@link FlowLogs}), and the data a provisioned cluster stores now, in TB — its storage capacity ({@code DescribeClusters}
 * {@code TotalStorageCapacityInMegaBytes}) times the share in use (the newest datapoint of the AWS/Redshift
 * {@code PercentageDiskSpaceUsed} metric in the last day, {@code GetMetricData}). No capacity from node type and count:
 * a cluster whose description carries no capacity, or a metric without a datapoint, is unavailable.
 */
final class RedshiftCollector extends AwsCollector {

    static final String SIZE_TB = "redshift.cluster_size_tb";
    static final String OUTSIDE_VPC = "redshift.connections_from_outside_vpc_30d";

    /** Megabytes in a terabyte as AWS counts storage (binary: 1 TB = 1024 × 1024 MB). */
    static final double MB_PER_TB = 1024.0 * 1024.0;

    RedshiftCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.redshift";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(SIZE_TB, OUTSIDE_VPC);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.REDSHIFT_CLUSTER);
    }

    @Override
    public List<ReadAction> reads() {
        List<ReadAction> reads = new ArrayList<>(List.of(
                read("redshift:DescribeClusters", "DescribeClusters", "the cluster, its storage capacity, VPC, port and nodes"),
                read("cloudwatch:GetMetricData", "GetMetricData", "the cluster's PercentageDiskSpaceUsed"),
                read("ec2:DescribeNetworkInterfaces", "DescribeNetworkInterfaces", "the network interfaces of the cluster's nodes")));
        FlowLogs.READS.forEach(r -> reads.add(read(r[0], r[1], r[2])));
        return reads;
    }

    private Optional<Cluster> cluster(Ctx ctx) {
        RedshiftClient rs = clients.redshift(ctx.account(), ctx.region());
        return ctx.memo("redshift-cluster", () -> ctx.optional("redshift:DescribeClusters", () -> rs.describeClusters(b -> b
                        .clusterIdentifier(ctx.target.id()).overrideConfiguration(ctx.budget::apply)), "ClusterNotFound")
                .flatMap(r -> r.clusters().stream().findFirst()));
    }

    @Override
    boolean presentIn(Ctx ctx) {
        return cluster(ctx).isPresent();
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        Cluster c = cluster(ctx).orElseThrow(() -> new Unavailable("the Redshift cluster " + ctx.target.id()
                + " does not exist in " + ctx.region(), "redshift:DescribeClusters"));
        return switch (kind) {
            case SIZE_TB -> size(ctx, c);
            case OUTSIDE_VPC -> fromOutside(ctx, c);
            default -> throw new Unavailable("not answered by " + id(), "");
        };
    }

    /**
     * Connections from outside the VPC in 30 days: the nodes' private addresses ({@code ClusterNodes}) name their
     * network interfaces in the VPC ({@code DescribeNetworkInterfaces} by {@code addresses.private-ip-address}); the
     * VPC's flow logs then count accepted records to the cluster's port from outside the VPC's CIDR. Inbound traffic
     * to a public cluster's Elastic IP is logged with the private address as destination, so it is counted too.
     */
    private Observed fromOutside(Ctx ctx, Cluster c) {
        String vpc = c.vpcId() == null ? "" : c.vpcId();
        int port = c.endpoint() == null || c.endpoint().port() == null ? 0 : c.endpoint().port();
        List<String> ips = c.clusterNodes().stream().map(ClusterNode::privateIPAddress)
                .filter(ip -> ip != null && !ip.isEmpty()).toList();
        if (vpc.isEmpty() || port == 0 || ips.isEmpty()) {
            throw new Unavailable("the cluster has no VPC, endpoint or node addresses yet (status " + c.clusterStatus() + ")",
                    "redshift:DescribeClusters");
        }
        Ec2Client ec2 = clients.ec2(ctx.account(), ctx.region());
        List<String> enis = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            var r = ctx.call("ec2:DescribeNetworkInterfaces", () -> ec2.describeNetworkInterfaces(b -> b.filters(
                    Filter.builder().name("vpc-id").values(vpc).build(),
                    Filter.builder().name("addresses.private-ip-address").values(ips).build())
                    .nextToken(t).overrideConfiguration(ctx.budget::apply)));
            r.networkInterfaces().stream().map(NetworkInterface::networkInterfaceId).forEach(enis::add);
            token = r.nextToken();
        } while (token != null && !token.isEmpty());
        if (enis.isEmpty()) {
            throw new Unavailable("no network interface with the cluster's node addresses found in " + vpc,
                    "ec2:DescribeNetworkInterfaces");
        }
        long connections = FlowLogs.fromOutside(ctx, vpc, enis, port, Duration.ofDays(30));
        return ctx.value(OUTSIDE_VPC, connections, "redshift:DescribeClusters, ec2:DescribeNetworkInterfaces, " + FlowLogs.APIS);
    }

    private Observed size(Ctx ctx, Cluster c) {
        String kind = SIZE_TB;
        Long capacity = c.totalStorageCapacityInMegaBytes();
        if (capacity == null || capacity <= 0) {
            throw new Unavailable("DescribeClusters gives no TotalStorageCapacityInMegaBytes for the cluster (status "
                    + c.clusterStatus() + ")", "redshift:DescribeClusters");
        }
        double percent = percentUsed(ctx, c.clusterIdentifier());
        double tb = capacity * percent / 100.0 / MB_PER_TB;
        return ctx.value(kind, Math.round(tb * 1000.0) / 1000.0, "redshift:DescribeClusters, cloudwatch:GetMetricData");
    }

    private double percentUsed(Ctx ctx, String cluster) {
        Instant end = ctx.now();
        Instant start = end.minus(Duration.ofDays(1));
        var cw = clients.cloudWatch(ctx.account(), ctx.region());
        GetMetricDataResponse r = ctx.call("cloudwatch:GetMetricData", () -> cw.getMetricData(b -> b
                .startTime(start).endTime(end).scanBy(ScanBy.TIMESTAMP_DESCENDING)
                .metricDataQueries(q -> q.id("used").metricStat(ms -> ms.period(300).stat("Average")
                        .metric(m -> m.namespace("AWS/Redshift").metricName("PercentageDiskSpaceUsed")
                                .dimensions(d -> d.name("ClusterIdentifier").value(cluster)))))
                .overrideConfiguration(ctx.budget::apply)));
        for (MetricDataResult res : r.metricDataResults()) {
            if (!res.values().isEmpty()) {
                Instant newest = res.timestamps().isEmpty() ? null : res.timestamps().stream().max(Instant::compareTo).get();
                return newest == null ? res.values().get(0) : res.values().get(res.timestamps().indexOf(newest));
            }
        }
        throw new Unavailable("no AWS/Redshift PercentageDiskSpaceUsed datapoint for the cluster in 1 day",
                "cloudwatch:GetMetricData");
    }
}
