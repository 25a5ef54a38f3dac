package dev.fixgate.provider.azure;

import com.azure.resourcemanager.resourcegraph.fluent.models.QueryResponseInner;
import com.azure.resourcemanager.resourcegraph.models.QueryRequest;
import com.azure.resourcemanager.resourcegraph.models.QueryRequestOptions;
import com.azure.resourcemanager.resourcegraph.models.ResultFormat;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ReadAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Resource Graph queries, following {@code $skipToken} pages (at most {@value #MAX_PAGES}). */
final class Graph {

    static final int MAX_PAGES = 20;

    private Graph() {
    }

    /** The rows of {@code kql} over the resource's subscription, as column → value maps. */
    static List<Map<String, Object>> query(AzureCollector.Ctx ctx, String kql, ReadAction read) throws CallFailedException {
        return query(ctx, List.of(ctx.id().subscription()), kql, read);
    }

    /** The rows of {@code kql} over the given subscriptions. */
    static List<Map<String, Object>> query(AzureCollector.Ctx ctx, List<String> subscriptions, String kql, ReadAction read)
            throws CallFailedException {
        List<Map<String, Object>> rows = new ArrayList<>();
        String skipToken = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            QueryRequestOptions options = new QueryRequestOptions().withResultFormat(ResultFormat.OBJECT_ARRAY)
                    .withTop(1000).withSkipToken(skipToken);
            QueryRequest request = new QueryRequest().withSubscriptions(subscriptions)
                    .withQuery(kql).withOptions(options);
            QueryResponseInner response = ctx.budget().call(read,
                    () -> ctx.sdk().resourceGraph().serviceClient().getResourceProviders().resources(request),
                    AzureFailures::classify);
            if (response.data() instanceof List<?> data) {
                for (Object row : data) {
                    if (row instanceof Map<?, ?> m) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> r = (Map<String, Object>) m;
                        rows.add(r);
                    }
                }
            }
            skipToken = response.skipToken();
            if (skipToken == null || skipToken.isEmpty()) {
                return rows;
            }
        }
        return rows;
    }

    /** A KQL string literal: single quotes, backslash-escaped. ARM ids never hold quotes ({@link ArmId#parse}). */
    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
