package dev.fixgate.provider.gcp;

import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Instant;

/**
 * Counts Cloud Logging entries matching a filter in a window, following {@code nextPageToken} (at most
 * {@value #MAX_PAGES} pages of {@value #PAGE_SIZE}: past that the count is a lower bound, which every rule of the
 * form "more than N" still reads right).
 */
final class LogCount {

    static final int PAGE_SIZE = 1000;
    static final int MAX_PAGES = 20;

    private LogCount() {
    }

    static long count(GcpCollector.Ctx ctx, String filter, Instant from, Instant to, ReadAction read) throws CallFailedException {
        String windowed = "timestamp>=\"" + from + "\" AND timestamp<=\"" + to + "\" AND " + filter;
        long n = 0;
        String token = "";
        for (int page = 0; page < MAX_PAGES; page++) {
            String t = token;
            GoogleRest.Page p = ctx.budget().call(read,
                    () -> ctx.sdk().rest().get().listLogEntries(ctx.project(), windowed, PAGE_SIZE, t), GcpFailures::classify);
            n += p.items().size();
            token = p.nextPageToken();
            if (token.isEmpty()) {
                break;
            }
        }
        return n;
    }

    /** A Logging query string literal. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
