package dev.fixgate.provider.azure;

import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Instant;

/** A count from a Log Analytics workspace, through the budget. */
final class LogCounts {

    private LogCounts() {
    }

    static long count(AzureCollector.Ctx ctx, String workspace, String query, Instant from, Instant to)
            throws CallFailedException {
        ReadAction read = AzureReads.WORKSPACE_QUERY;
        return ctx.budget().call(read, () -> ctx.sdk().logs().queryCount(workspace, query, from, to), AzureFailures::classify);
    }
}
