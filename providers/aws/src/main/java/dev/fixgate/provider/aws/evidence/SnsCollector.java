package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.CompositeAlarm;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * SNS: the AWS services that publish to a topic now, counted as distinct service principals. Two sources: the topic
 * policy ({@code GetTopicAttributes}, attribute {@code Policy}) — the {@code Principal.Service} of every Allow
 * statement granting {@code sns:Publish}, which is how S3 event notifications, EventBridge rules and other services'
 * notifications are allowed to publish, whatever the statement's condition — and CloudWatch alarms of the region
 * ({@code DescribeAlarms}, metric and composite, every page) whose alarm, OK or insufficient-data actions name the
 * topic, which count as {@code cloudwatch.amazonaws.com} (an alarm of the same account needs no policy statement).
 * A grant that nothing uses is still counted: the answer errs toward "a service publishes".
 */
final class SnsCollector extends AwsCollector {

    static final String SERVICE_PUBLISHERS = "sns.aws_service_publishers";
    static final String CLOUDWATCH = "cloudwatch.amazonaws.com";

    SnsCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.sns";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(SERVICE_PUBLISHERS);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.SNS_TOPIC);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("sns:GetTopicAttributes", "GetTopicAttributes", "the topic policy's service principals allowed sns:Publish"),
                read("cloudwatch:DescribeAlarms", "DescribeAlarms", "the alarms whose actions publish to the topic"));
    }

    private static String arn(Ctx ctx) {
        return !ctx.target.arn().isEmpty() ? ctx.target.arn()
                : "arn:" + ctx.target.partition() + ":sns:" + ctx.region() + ":" + ctx.account() + ":" + ctx.target.id();
    }

    private Optional<Map<String, String>> attributes(Ctx ctx) {
        SnsClient sns = clients.sns(ctx.account(), ctx.region());
        String arn = arn(ctx);
        return ctx.memo("sns-attributes", () -> ctx.optional("sns:GetTopicAttributes", () -> sns.getTopicAttributes(b -> b
                .topicArn(arn).overrideConfiguration(ctx.budget::apply)), "NotFound").map(r -> r.attributes()));
    }

    @Override
    boolean presentIn(Ctx ctx) {
        return attributes(ctx).isPresent();
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        if (!SERVICE_PUBLISHERS.equals(kind)) {
            throw new Unavailable("not answered by " + id(), "");
        }
        Map<String, String> attrs = attributes(ctx).orElseThrow(() -> new Unavailable("the topic " + arn(ctx)
                + " does not exist", "sns:GetTopicAttributes"));
        Set<String> services = new TreeSet<>();
        String policy = attrs.getOrDefault("Policy", "");
        if (!policy.isBlank()) {
            try {
                services.addAll(Policies.servicesAllowed(policy, "sns:Publish"));
            } catch (Unavailable u) {
                throw new Unavailable("the topic policy is not valid JSON", "sns:GetTopicAttributes");
            }
        }
        if (alarmPublishes(ctx, arn(ctx))) {
            services.add(CLOUDWATCH);
        }
        return ctx.value(kind, (long) services.size(), "sns:GetTopicAttributes, cloudwatch:DescribeAlarms");
    }

    private boolean alarmPublishes(Ctx ctx, String topic) {
        CloudWatchClient cw = clients.cloudWatch(ctx.account(), ctx.region());
        String token = null;
        do {
            String tk = token;
            DescribeAlarmsResponse r = ctx.call("cloudwatch:DescribeAlarms", () -> cw.describeAlarms(b -> b
                    .alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM).maxRecords(100).nextToken(tk)
                    .overrideConfiguration(ctx.budget::apply)));
            for (MetricAlarm a : r.metricAlarms()) {
                if (a.alarmActions().contains(topic) || a.okActions().contains(topic)
                        || a.insufficientDataActions().contains(topic)) {
                    return true;
                }
            }
            for (CompositeAlarm a : r.compositeAlarms()) {
                if (a.alarmActions().contains(topic) || a.okActions().contains(topic)
                        || a.insufficientDataActions().contains(topic)) {
                    return true;
                }
            }
            token = r.nextToken();
        } while (token != null && !token.isEmpty());
        return false;
    }
}
