package dev.fixgate.provider.aws.evidence;

import dev.fixgate.provider.aws.evidence.AwsCollector.Ctx;
import dev.fixgate.provider.aws.evidence.AwsCollector.Unavailable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;

/**
 * CloudWatch Logs Insights over one log group: checks that the group holds the whole window (created before it
 * began, kept at least as long), starts the query and polls for its result within the budget.
 * {@code logs:StartQuery} and {@code logs:GetQueryResults} have the access level Read in IAM's action catalog
 * (StartQuery schedules a query; it changes nothing), so they belong in a read-only role.
 */
final class LogsInsights {

    private LogsInsights() {
    }

    /** The log group named {@code name} in {@code region}, or unavailable when it does not exist. */
    static LogGroup group(Ctx ctx, String region, String name) {
        CloudWatchLogsClient logs = ctx.clients().logs(ctx.account(), region);
        var r = ctx.call("logs:DescribeLogGroups", () -> logs.describeLogGroups(b -> b.logGroupNamePrefix(name)
                .overrideConfiguration(ctx.budget::apply)));
        return r.logGroups().stream().filter(g -> g.logGroupName().equals(name)).findFirst()
                .orElseThrow(() -> new Unavailable("the log group " + name + " does not exist in " + region,
                        "logs:DescribeLogGroups"));
    }

    /**
     * Runs {@code query} over the last {@code window} of {@code group} and returns its first result row (field →
     * value); empty when the query matched nothing.
     */
    static Map<String, String> first(Ctx ctx, String region, LogGroup group, Duration window, String query) {
        Instant end = ctx.now();
        Instant start = end.minus(window);
        long days = window.toDays();
        if (group.creationTime() != null && Instant.ofEpochMilli(group.creationTime()).isAfter(start)) {
            throw new Unavailable("the log group " + group.logGroupName() + " was created "
                    + Duration.between(Instant.ofEpochMilli(group.creationTime()), end).toDays()
                    + " days ago: it does not cover the " + days + "-day window", "logs:DescribeLogGroups");
        }
        if (group.retentionInDays() != null && group.retentionInDays() < days) {
            throw new Unavailable("the log group " + group.logGroupName() + " keeps " + group.retentionInDays()
                    + " days of events: it does not cover the " + days + "-day window", "logs:DescribeLogGroups");
        }
        CloudWatchLogsClient logs = ctx.clients().logs(ctx.account(), region);
        String id = ctx.call("logs:StartQuery", () -> logs.startQuery(b -> b.logGroupName(group.logGroupName())
                .startTime(start.getEpochSecond()).endTime(end.getEpochSecond()).queryString(query)
                .overrideConfiguration(ctx.budget::apply))).queryId();
        long poll = ctx.clients().option("logs.poll_interval_ms", 1_000);
        while (true) {
            GetQueryResultsResponse r = ctx.call("logs:GetQueryResults", () -> logs.getQueryResults(b -> b.queryId(id)
                    .overrideConfiguration(ctx.budget::apply)));
            QueryStatus status = r.status();
            if (status == QueryStatus.COMPLETE) {
                Map<String, String> row = new LinkedHashMap<>();
                if (!r.results().isEmpty()) {
                    for (ResultField f : r.results().get(0)) {
                        row.put(f.field(), f.value());
                    }
                }
                return row;
            }
            if (status != QueryStatus.RUNNING && status != QueryStatus.SCHEDULED) {
                throw new Unavailable("the Logs Insights query ended " + r.statusAsString(), "logs:GetQueryResults");
            }
            ctx.budget.sleep(poll, "logs:GetQueryResults");
        }
    }

    static long count(Map<String, String> row, String field) {
        String v = row.get(field);
        if (v == null || v.isEmpty()) {
            return 0;
        }
        return Math.round(Double.parseDouble(v));
    }

    /** A string literal of the query language. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String list(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(values.get(i)));
        }
        return sb.append(']').toString();
    }
}
