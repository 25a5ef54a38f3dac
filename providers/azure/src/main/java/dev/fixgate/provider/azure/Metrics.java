package dev.fixgate.provider.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.monitor.fluent.models.MetricInner;
import com.azure.resourcemanager.monitor.fluent.models.ResponseInner;
import com.azure.resourcemanager.monitor.models.MetricValue;
import com.azure.resourcemanager.monitor.models.ResultType;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.provider.common.evidence.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Azure Monitor platform metrics ({@code Metrics - List}). */
final class Metrics {

    private Metrics() {
    }

    private static ResponseInner list(AzureCollector.Ctx ctx, String resourceId, String metric, String aggregation,
                                      String filter, Instant from, Instant to, Duration interval) throws CallFailedException {
        ResponseInner r = ctx.budget().call(AzureReads.METRICS, () -> ctx.sdk().monitor().serviceClient().getMetrics()
                        .listWithResponse(ArmPaths.relative(resourceId), from + "/" + to, interval, metric, aggregation, null, null, filter,
                                ResultType.DATA, null, Context.NONE).getValue(),
                AzureFailures::classify);
        for (MetricInner m : r.value() == null ? List.<MetricInner>of() : r.value()) {
            if (m.errorCode() != null && !m.errorCode().equalsIgnoreCase("Success")) {
                throw new CallFailedException(AzureReads.METRICS,
                        Failure.of(Failure.Type.ERROR, 0, m.errorCode(), m.errorMessage()), null);
            }
        }
        return r;
    }

    /** Every data point of every time series of every metric in the response. */
    private static Stream<MetricValue> points(ResponseInner r) {
        return Stream.ofNullable(r.value()).flatMap(List::stream)
                .flatMap(m -> Stream.ofNullable(m.timeseries()).flatMap(List::stream))
                .flatMap(ts -> Stream.ofNullable(ts.data()).flatMap(List::stream));
    }

    /** The metric's {@code Total} over {@code [from, to]}, summed over every time series {@code filter} leaves. */
    static long total(AzureCollector.Ctx ctx, String resourceId, String metric, String filter, Instant from, Instant to)
            throws CallFailedException {
        ResponseInner r = list(ctx, resourceId, metric, "Total", filter, from, to, Duration.ofDays(1));
        return Math.round(points(r).filter(v -> v.total() != null).mapToDouble(MetricValue::total).sum());
    }

    /** The newest day in {@code [from, to]} whose {@code Total} is above zero; empty when there is none. */
    static Optional<Instant> lastActiveDay(AzureCollector.Ctx ctx, String resourceId, String metric, Instant from, Instant to)
            throws CallFailedException {
        ResponseInner r = list(ctx, resourceId, metric, "Total", null, from, to, Duration.ofDays(1));
        return points(r).filter(v -> v.total() != null && v.total() > 0 && v.timestamp() != null)
                .map(v -> v.timestamp().toInstant()).max(Comparator.naturalOrder());
    }

    /** The newest {@code Maximum} in {@code [from, to]}; empty when the metric has no data point. */
    static Optional<Double> latestMaximum(AzureCollector.Ctx ctx, String resourceId, String metric, Instant from, Instant to)
            throws CallFailedException {
        ResponseInner r = list(ctx, resourceId, metric, "Maximum", null, from, to, Duration.ofHours(1));
        return points(r).filter(v -> v.maximum() != null && v.timestamp() != null)
                .max(Comparator.comparing(MetricValue::timestamp)).map(MetricValue::maximum);
    }
}
