package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;

/**
 * CloudWatch Logs: how old the oldest event a log group stores is ({@code logs.oldest_event_age_days}) — what a
 * retention setting would delete. {@code DescribeLogStreams}, every page, the smallest {@code firstEventTimestamp}
 * (streams without events have none). Under a live retention, CloudWatch deletes expired events without updating the
 * stream's first timestamp, so the age can only be over-stated, never under-stated; a group without streams with
 * events stores nothing (0). More than {@code logs.max_stream_pages} pages (200 × 50 streams) → unavailable.
 */
final class LogsCollector extends AwsCollector {

    static final String OLDEST = "logs.oldest_event_age_days";

    LogsCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.logs";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(OLDEST);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.LOG_GROUP);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(read("logs:DescribeLogStreams", "DescribeLogStreams",
                "the first event time of each stream of the log group (and whether the group is in the region)"));
    }

    @Override
    boolean presentIn(Ctx ctx) {
        CloudWatchLogsClient logs = clients.logs(ctx.account(), ctx.region());
        return ctx.optional("logs:DescribeLogStreams", () -> logs.describeLogStreams(b -> b.logGroupName(ctx.target.id())
                .limit(1).overrideConfiguration(ctx.budget::apply)), "ResourceNotFoundException").isPresent();
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        CloudWatchLogsClient logs = clients.logs(ctx.account(), ctx.region());
        long maxPages = clients.option("logs.max_stream_pages", 200);
        Long oldest = null;
        String token = null;
        int pages = 0;
        do {
            if (++pages > maxPages) {
                throw new Unavailable("the log group " + ctx.target.id() + " has more than " + maxPages * 50
                        + " streams (logs.max_stream_pages): the oldest event was not found", "logs:DescribeLogStreams");
            }
            String t = token;
            DescribeLogStreamsResponse r = ctx.optional("logs:DescribeLogStreams", () -> logs.describeLogStreams(b -> b
                            .logGroupName(ctx.target.id()).limit(50).nextToken(t).overrideConfiguration(ctx.budget::apply)),
                    "ResourceNotFoundException")
                    .orElseThrow(() -> new Unavailable("the log group " + ctx.target.id() + " does not exist in " + ctx.region(),
                            "logs:DescribeLogStreams"));
            for (LogStream s : r.logStreams()) {
                if (s.firstEventTimestamp() != null && (oldest == null || s.firstEventTimestamp() < oldest)) {
                    oldest = s.firstEventTimestamp();
                }
            }
            token = r.nextToken();
        } while (token != null && !token.isEmpty());
        long days = oldest == null ? 0
                : Math.max(0, Duration.ofMillis(ctx.now().toEpochMilli() - oldest).toDays());
        return ctx.value(kind, days, "logs:DescribeLogStreams");
    }
}
