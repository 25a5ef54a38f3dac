package dev.fixgate.spi.evidence;

import java.util.Objects;

/**
 * One read a collector may make.
 *
 * @param action     the permission, as the cloud's policies spell it: {@code cloudtrail:LookupEvents},
 *                   {@code Microsoft.Insights/metrics/read}, {@code cloudasset.assets.searchAllResources}
 * @param operation  the API operation the SDK calls, e.g. {@code LookupEvents}, {@code Metrics - List}
 * @param why        what the collector reads it for
 */
public record ReadAction(String action, String operation, String why) {

    public ReadAction {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(why, "why");
        if (action.isBlank()) {
            throw new IllegalArgumentException("a read action needs a name");
        }
    }
}
