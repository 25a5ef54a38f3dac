package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.redshift.RedshiftClient;
import software.amazon.awssdk.services.redshift.model.Cluster;

/**
 * Redshift: the data a provisioned cluster stores now, in TB — its storage capacity ({@code DescribeClusters}
 * {@code TotalStorageCapacityInMegaBytes}) times the share in use (the newest datapoint of the AWS/Redshift
 * {@code PercentageDiskSpaceUsed} metric in the last day, {@code GetMetricData}). No capacity from node type and count:
 * a cluster whose description carries no capacity, or a metric without a datapoint, is unavailable.
 */
final class RedshiftCollector extends AwsCollector {

    static final String SIZE_TB = "redshift.cluster_size_tb";

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
        return Set.of(SIZE_TB);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.REDSHIFT_CLUSTER);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("redshift:DescribeClusters", "DescribeClusters", "the cluster and its total storage capacity"),
                read("cloudwatch:GetMetricData", "GetMetricData", "the cluster's PercentageDiskSpaceUsed"));
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
        if (!SIZE_TB.equals(kind)) {
            throw new Unavailable("not answered by " + id(), "");
        }
        Cluster c = cluster(ctx).orElseThrow(() -> new Unavailable("the Redshift cluster " + ctx.target.id()
                + " does not exist in " + ctx.region(), "redshift:DescribeClusters"));
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
