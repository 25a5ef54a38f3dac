package dev.fixgate.provider.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.monitor.fluent.models.MetricInner;
import com.azure.resourcemanager.monitor.fluent.models.ResponseInner;
import com.azure.resourcemanager.monitor.models.MetricValue;
import com.azure.resourcemanager.monitor.models.ResultType;
import com.azure.resourcemanager.monitor.models.TimeSeriesElement;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.provider.common.evidence.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Azure Monitor platform metrics ({@code Metrics - List}). */
final class Metrics {

    private Metrics() {
    }

    private static ResponseInner list(AzureCollector.Ctx ctx, String resourceId, String metric, String aggregation,
                                      String filter, Instant from, Instant to, Duration interval) throws CallFailedException {
        ResponseInner r = ctx.budget().call(AzureReads.METRICS, () -> ctx.sdk().monitor().serviceClient().getMetrics()
                        .listWithResponse(resourceId, from + "/" + to, interval, metric, aggregation, null, null, filter,
                                ResultType.DATA, null, Context.NONE).getValue(),
                AzureFailures::classify);
        for (MetricInner m : r.value() == null ? java.util.List.<MetricInner>of() : r.value()) {
            if (m.errorCode() != null && !m.errorCode().equalsIgnoreCase("Success")) {
                throw new CallFailedException(AzureReads.METRICS,
                        Failure.of(Failure.Type.ERROR, 0, m.errorCode(), m.errorMessage()), null);
            }
        }
        return r;
    }

    /** The metric's {@code Total} over {@code [from, to]}, summed over every time series {@code filter} leaves. */
    static long total(AzureCollector.Ctx ctx, String resourceId, String metric, String filter, Instant from, Instant to)
            throws CallFailedException {
        ResponseInner r = list(ctx, resourceId, metric, "Total", filter, from, to, Duration.ofDays(1));
        double sum = 0;
        for (MetricInner m : r.value() == null ? java.util.List.<MetricInner>of() : r.value()) {
            for (TimeSeriesElement ts : m.timeseries() == null ? java.util.List.<TimeSeriesElement>of() : m.timeseries()) {
                for (MetricValue v : ts.data() == null ? java.util.List.<MetricValue>of() : ts.data()) {
                    if (v.total() != null) {
                        sum += v.total();
                    }
                }
            }
        }
        return Math.round(sum);
    }

    /** The newest {@code Maximum} in {@code [from, to]}; empty when the metric has no data point. */
    static Optional<Double> latestMaximum(AzureCollector.Ctx ctx, String resourceId, String metric, Instant from, Instant to)
            throws CallFailedException {
        ResponseInner r = list(ctx, resourceId, metric, "Maximum", null, from, to, Duration.ofHours(1));
        MetricValue latest = null;
        for (MetricInner m : r.value() == null ? java.util.List.<MetricInner>of() : r.value()) {
            for (TimeSeriesElement ts : m.timeseries() == null ? java.util.List.<TimeSeriesElement>of() : m.timeseries()) {
                for (MetricValue v : ts.data() == null ? java.util.List.<MetricValue>of() : ts.data()) {
                    if (v.maximum() != null && (latest == null || v.timestamp().isAfter(latest.timestamp()))) {
                        latest = v;
                    }
                }
            }
        }
        return latest == null ? Optional.empty() : Optional.of(latest.maximum());
    }
}
