package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

/**
 * RDS: whether a DB instance or cluster exists and its backup retention ({@code DescribeDBInstances},
 * {@code DescribeDBClusters}), and how many connections reached an instance from outside its VPC in 14 days. The
 * connections come from the VPC's flow logs in CloudWatch Logs: the instance's network interfaces
 * ({@code DescribeNetworkInterfaces}: its VPC, its security groups, requester {@code amazon-rds}), the VPC's CIDR
 * ({@code DescribeVpcs}) and flow log ({@code DescribeFlowLogs}), then Logs Insights counts accepted flow records to
 * the instance's port whose source is outside the VPC. Flow logs that go to S3 only, or none, make it unavailable.
 */
final class RdsCollector extends AwsCollector {

    static final String RETENTION = "rds.backup_retention_days";
    static final String PUBLIC_CONNECTIONS = "rds.public_connections_14d";
    static final String INSTANCE_EXISTS = "rds.instance_exists";
    static final String CLUSTER_EXISTS = "rds.cluster_exists";

    RdsCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.rds";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(RETENTION, PUBLIC_CONNECTIONS, INSTANCE_EXISTS, CLUSTER_EXISTS);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.RDS_INSTANCE, AwsTarget.Type.RDS_CLUSTER);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("rds:DescribeDBInstances", "DescribeDBInstances", "the instance, its retention, VPC, port and groups"),
                read("rds:DescribeDBClusters", "DescribeDBClusters", "the cluster and its retention"),
                read("ec2:DescribeNetworkInterfaces", "DescribeNetworkInterfaces", "the instance's network interfaces"),
                read("ec2:DescribeVpcs", "DescribeVpcs", "the VPC's CIDR"),
                read("ec2:DescribeFlowLogs", "DescribeFlowLogs", "the VPC's flow log and its log group"),
                read("logs:DescribeLogGroups", "DescribeLogGroups", "whether the flow log group covers 14 days"),
                read("logs:StartQuery", "StartQuery", "count flow records from outside the VPC (Logs Insights; IAM access level Read)"),
                read("logs:GetQueryResults", "GetQueryResults", "the query's count"));
    }

    private Optional<DBInstance> instance(Ctx ctx) {
        RdsClient rds = clients.rds(ctx.account(), ctx.region());
        return ctx.memo("db", () -> ctx.optional("rds:DescribeDBInstances", () -> rds.describeDBInstances(b -> b
                        .dbInstanceIdentifier(ctx.target.id()).overrideConfiguration(ctx.budget::apply)), "DBInstanceNotFound")
                .flatMap(r -> r.dbInstances().stream().findFirst()));
    }

    private Optional<DBCluster> cluster(Ctx ctx) {
        RdsClient rds = clients.rds(ctx.account(), ctx.region());
        return ctx.memo("cluster", () -> ctx.optional("rds:DescribeDBClusters", () -> rds.describeDBClusters(b -> b
                        .dbClusterIdentifier(ctx.target.id()).overrideConfiguration(ctx.budget::apply)), "DBClusterNotFoundFault")
                .flatMap(r -> r.dbClusters().stream().findFirst()));
    }

    @Override
    boolean presentIn(Ctx ctx) {
        return ctx.target.type() == AwsTarget.Type.RDS_CLUSTER ? cluster(ctx).isPresent() : instance(ctx).isPresent();
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        boolean isCluster = ctx.target.type() == AwsTarget.Type.RDS_CLUSTER;
        return switch (kind) {
            case INSTANCE_EXISTS -> {
                if (isCluster) {
                    throw new Unavailable("the resource is a DB cluster", "");
                }
                yield ctx.value(kind, instance(ctx).isPresent(), "rds:DescribeDBInstances");
            }
            case CLUSTER_EXISTS -> {
                if (!isCluster) {
                    throw new Unavailable("the resource is a DB instance", "");
                }
                yield ctx.value(kind, cluster(ctx).isPresent(), "rds:DescribeDBClusters");
            }
            case RETENTION -> {
                long days = isCluster
                        ? cluster(ctx).orElseThrow(() -> missing(ctx, "rds:DescribeDBClusters")).backupRetentionPeriod()
                        : instance(ctx).orElseThrow(() -> missing(ctx, "rds:DescribeDBInstances")).backupRetentionPeriod();
                yield ctx.value(kind, days, isCluster ? "rds:DescribeDBClusters" : "rds:DescribeDBInstances");
            }
            case PUBLIC_CONNECTIONS -> publicConnections(ctx);
            default -> throw new Unavailable("not answered by " + id(), "");
        };
    }

    private static Unavailable missing(Ctx ctx, String api) {
        return new Unavailable(ctx.target.id() + " does not exist in " + ctx.region(), api);
    }

    private Observed publicConnections(Ctx ctx) {
        if (ctx.target.type() != AwsTarget.Type.RDS_INSTANCE) {
            throw new Unavailable("only for a DB instance", "");
        }
        DBInstance db = instance(ctx).orElseThrow(() -> missing(ctx, "rds:DescribeDBInstances"));
        String vpc = db.dbSubnetGroup() == null ? "" : db.dbSubnetGroup().vpcId();
        int port = db.endpoint() == null || db.endpoint().port() == null ? 0 : db.endpoint().port();
        List<String> groups = db.vpcSecurityGroups().stream().map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList();
        if (vpc.isEmpty() || port == 0) {
            throw new Unavailable("the instance has no VPC or endpoint yet", "rds:DescribeDBInstances");
        }
        Ec2Client ec2 = clients.ec2(ctx.account(), ctx.region());
        List<String> enis = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            var r = ctx.call("ec2:DescribeNetworkInterfaces", () -> ec2.describeNetworkInterfaces(b -> b.filters(
                    Filter.builder().name("vpc-id").values(vpc).build(),
                    Filter.builder().name("group-id").values(groups).build(),
                    Filter.builder().name("requester-id").values("amazon-rds").build())
                    .nextToken(t).overrideConfiguration(ctx.budget::apply)));
            r.networkInterfaces().stream().map(NetworkInterface::networkInterfaceId).forEach(enis::add);
            token = r.nextToken();
        } while (token != null && !token.isEmpty());
        if (enis.isEmpty()) {
            throw new Unavailable("no network interface of the instance found in " + vpc, "ec2:DescribeNetworkInterfaces");
        }
        long connections = FlowLogs.fromOutside(ctx, vpc, enis, port, Duration.ofDays(14));
        return ctx.value(PUBLIC_CONNECTIONS, connections,
                "rds:DescribeDBInstances, ec2:DescribeNetworkInterfaces, " + FlowLogs.APIS);
    }
}
