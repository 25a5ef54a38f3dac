package dev.fixgate.provider.aws.evidence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.FlowLog;

/**
 * Connections to some network interfaces from outside their VPC, counted in the VPC's flow logs: the VPC's CIDR
 * ({@code DescribeVpcs}), the flow log of the VPC or of the interfaces that goes to CloudWatch Logs
 * ({@code DescribeFlowLogs}), then Logs Insights counts accepted records to the port whose source lies outside the
 * CIDR. Flow logs that go to S3 only, or none, make it unavailable. Shared by RDS and Redshift.
 */
final class FlowLogs {

    /** The read actions a count takes, for the collectors' {@code reads()}. */
    static final List<String[]> READS = List.of(
            new String[] {"ec2:DescribeVpcs", "DescribeVpcs", "the VPC's CIDR"},
            new String[] {"ec2:DescribeFlowLogs", "DescribeFlowLogs", "the VPC's flow log and its log group"},
            new String[] {"logs:DescribeLogGroups", "DescribeLogGroups", "whether the flow log group covers the window"},
            new String[] {"logs:StartQuery", "StartQuery", "count flow records from outside the VPC (Logs Insights; IAM access level Read)"},
            new String[] {"logs:GetQueryResults", "GetQueryResults", "the query's count"});

    /** The APIs a count read, for provenance. */
    static final String APIS = "ec2:DescribeVpcs, ec2:DescribeFlowLogs, logs:StartQuery, logs:GetQueryResults";

    private FlowLogs() {
    }

    /** Accepted flow records to {@code port} of {@code enis} from outside {@code vpc}'s CIDR in {@code window}. */
    static long fromOutside(AwsCollector.Ctx ctx, String vpc, List<String> enis, int port, Duration window) {
        Ec2Client ec2 = ctx.clients().ec2(ctx.account(), ctx.region());
        String cidr = ctx.call("ec2:DescribeVpcs", () -> ec2.describeVpcs(b -> b.vpcIds(vpc)
                .overrideConfiguration(ctx.budget::apply))).vpcs().get(0).cidrBlock();
        List<String> resources = new ArrayList<>(enis);
        resources.add(vpc);
        List<FlowLog> flowLogs = ctx.call("ec2:DescribeFlowLogs", () -> ec2.describeFlowLogs(b -> b.filter(
                Filter.builder().name("resource-id").values(resources).build()).overrideConfiguration(ctx.budget::apply))).flowLogs();
        FlowLog toLogs = flowLogs.stream().filter(f -> "cloud-watch-logs".equals(f.logDestinationTypeAsString())
                        && f.logGroupName() != null && !f.logGroupName().isEmpty()).findFirst()
                .orElseThrow(() -> new AwsCollector.Unavailable(flowLogs.isEmpty() ? "the VPC " + vpc + " has no flow log"
                        : "the VPC's flow logs do not go to CloudWatch Logs", "ec2:DescribeFlowLogs"));
        var group = LogsInsights.group(ctx, ctx.region(), toLogs.logGroupName());
        Map<String, String> row = LogsInsights.first(ctx, ctx.region(), group, window,
                "filter interfaceId in " + LogsInsights.list(enis) + " and dstPort = " + port + " and action = \"ACCEPT\""
                        + " and not isIpv4InSubnet(srcAddr, " + LogsInsights.quote(cidr) + ") | stats count(*) as connections");
        return LogsInsights.count(row, "connections");
    }
}
