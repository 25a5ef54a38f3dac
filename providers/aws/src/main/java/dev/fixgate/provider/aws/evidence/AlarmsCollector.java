package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * Whether an incident is active on the resource: a CloudWatch alarm in state {@code ALARM} ({@code DescribeAlarms},
 * every page) whose metric names the resource in a dimension (bucket name, instance id, DB identifier, function name,
 * the load balancer's {@code app/…} id…). AWS Health would add open service events, but its SDK module is not
 * available to this build; an alarm is what an owner set up to say "something is wrong with this".
 */
final class AlarmsCollector extends AwsCollector {

    AlarmsCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.cloudwatch-alarms";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(EvidenceKinds.INCIDENT_ACTIVE);
    }

    @Override
    Set<AwsTarget.Type> types() {
        Set<AwsTarget.Type> all = EnumSet.allOf(AwsTarget.Type.class);
        all.remove(AwsTarget.Type.UNKNOWN);
        return all;
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(read("cloudwatch:DescribeAlarms", "DescribeAlarms", "the alarms in state ALARM"));
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        Set<String> names = new HashSet<>();
        AwsTarget t = ctx.target;
        if (!t.id().isEmpty()) {
            names.add(t.id());
        }
        if (!t.arn().isEmpty()) {
            names.add(t.arn());
        }
        if (t.type() == AwsTarget.Type.LOAD_BALANCER && t.id().contains(":loadbalancer/")) {
            names.add(t.id().substring(t.id().indexOf(":loadbalancer/") + ":loadbalancer/".length()));
        }
        if (names.isEmpty()) {
            throw new Unavailable("the resource has no id an alarm could name", "");
        }
        CloudWatchClient cw = clients.cloudWatch(ctx.account(), ctx.region());
        String token = null;
        do {
            String tk = token;
            DescribeAlarmsResponse r = ctx.call("cloudwatch:DescribeAlarms", () -> cw.describeAlarms(b -> b
                    .stateValue(StateValue.ALARM).maxRecords(100).nextToken(tk).overrideConfiguration(ctx.budget::apply)));
            for (MetricAlarm a : r.metricAlarms()) {
                for (Dimension d : a.dimensions()) {
                    if (names.contains(d.value())) {
                        return ctx.value(kind, true, "cloudwatch:DescribeAlarms");
                    }
                }
            }
            token = r.nextToken();
        } while (token != null && !token.isEmpty());
        return ctx.value(kind, false, "cloudwatch:DescribeAlarms");
    }
}
