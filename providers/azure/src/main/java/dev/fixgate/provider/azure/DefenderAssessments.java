package dev.fixgate.provider.azure;

import com.azure.resourcemanager.resourcegraph.fluent.models.QueryResponseInner;
import com.azure.resourcemanager.resourcegraph.models.QueryRequest;
import com.azure.resourcemanager.resourcegraph.models.QueryRequestOptions;
import com.azure.resourcemanager.resourcegraph.models.ResultFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.provider.common.evidence.Failure;
import dev.fixgate.provider.common.pull.PagedPull;
import dev.fixgate.provider.common.stream.Timestamps;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.intake.FindingSource;
import dev.fixgate.spi.intake.PullFailedException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Defender for Cloud's assessments of a subscription, pulled through Azure Resource Graph ({@code securityresources},
 * {@code microsoft.security/assessments}): what changed since the cursor ({@code properties.status.statusChangeDate}),
 * oldest change first, {@code $skipToken} page by page, each page handed on as a Resource Graph response that
 * {@link DefenderAssessmentParser} reads. NotApplicable rows are counted and not handed on.
 *
 * <p>One query per page and no retry here: a denied, throttled or timed-out read ends the pull with a
 * {@link PullFailedException} naming the read, and the schedule is the retry. Reads: Resource Graph's query
 * ({@code Microsoft.ResourceGraph/resources/read}) over the assessments ({@code Microsoft.Security/assessments/read}:
 * Resource Graph returns only the rows the caller may read).
 */
public final class DefenderAssessments implements FindingSource {

    public static final String ID = "azure-defender";

    static final ReadAction ASSESSMENTS_READ = new ReadAction("Microsoft.Security/assessments/read",
            "Resources - Resources", "Defender for Cloud assessments (securityresources), through Resource Graph");

    /** What a pull reads. */
    public static final List<ReadAction> READS = List.of(AzureReads.RESOURCE_GRAPH, ASSESSMENTS_READ);

    /** The most pages one pull reads; the rest (newer changes, the order is oldest first) come in the next pull. */
    static final int MAX_PAGES = 500;
    static final int PAGE_ROWS = 1000;

    /** The query before the cursor's filter; see {@link #query(Instant)}. */
    static final String QUERY = """
            securityresources
            | where type == 'microsoft.security/assessments'%s
            | project id, assessmentKey = name, subscriptionId, displayName = tostring(properties.displayName),\
             statusCode = tostring(properties.status.code),\
             statusChangeDate = tostring(properties.status.statusChangeDate),\
             firstEvaluationDate = tostring(properties.status.firstEvaluationDate),\
             resourceId = tostring(properties.resourceDetails.Id), severity = tostring(properties.metadata.severity)
            | order by statusChangeDate asc""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AzureClients clients;
    private final List<String> subscriptions;

    DefenderAssessments(AzureClients clients, ProviderSettings settings) {
        this.clients = clients;
        this.subscriptions = settings.accounts().stream().map(ProviderSettings.AccountAccess::account).toList();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Cloud cloud() {
        return Cloud.AZURE;
    }

    @Override
    public String format() {
        return DefenderAssessmentParser.FORMAT;
    }

    @Override
    public List<ReadAction> reads() {
        return READS;
    }

    @Override
    public List<String> accounts() {
        return subscriptions;
    }

    /** The KQL of a pull from {@code since} ({@link Instant#EPOCH}: every assessment). */
    static String query(Instant since) {
        String filter = since.equals(Instant.EPOCH) ? ""
                : "\n| where todatetime(properties.status.statusChangeDate) >= datetime("
                        + since.truncatedTo(ChronoUnit.MILLIS) + ")";
        return QUERY.formatted(filter);
    }

    @Override
    public void pull(String subscription, Instant since, PageSink sink) throws PullFailedException {
        String kql = query(since);
        new PagedPull<QueryResponseInner>(MAX_PAGES, skipToken -> clients.forSubscription(subscription).resourceGraph()
                .serviceClient().getResourceProviders().resources(new QueryRequest()
                        .withSubscriptions(List.of(subscription)).withQuery(kql)
                        .withOptions(new QueryRequestOptions().withResultFormat(ResultFormat.OBJECT_ARRAY)
                                .withTop(PAGE_ROWS).withSkipToken(skipToken))),
                QueryResponseInner::skipToken, (number, response) -> page(subscription, number, response),
                (number, e) -> failed(subscription, number, e)).into(sink);
    }

    private static FindingSource.Page page(String subscription, int number, QueryResponseInner response) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        int records = 0;
        int skipped = 0;
        Instant newest = Instant.EPOCH;
        if (response.data() instanceof List<?> rows) {
            for (Object row : rows) {
                if (!(row instanceof Map<?, ?> m)) {
                    continue;
                }
                records++;
                Object changed = m.get("statusChangeDate");
                if (changed != null) {
                    Instant at = Timestamps.parse(String.valueOf(changed)).orElse(Instant.EPOCH);
                    newest = at.isAfter(newest) ? at : newest;
                }
                if (String.valueOf(m.get("statusCode")).toLowerCase(Locale.ROOT).equals("notapplicable")) {
                    skipped++;
                    continue;
                }
                data.add(JSON.valueToTree(m));
            }
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not write a page of assessments", e);
        }
        return new FindingSource.Page(ID + ":" + subscription + "#" + number, bytes, records, skipped, newest);
    }

    private static PullFailedException failed(String subscription, int page, RuntimeException e) {
        Failure f = AzureFailures.classify(e);
        PullFailedException.Reason reason = PagedPull.reason(f);
        String message = "Defender assessments of subscription " + subscription + ", page " + page + ": "
                + f.reason(AzureReads.RESOURCE_GRAPH)
                + (reason == PullFailedException.Reason.DENIED ? " (the identity needs "
                        + "Microsoft.ResourceGraph/resources/read and Microsoft.Security/assessments/read)" : "")
                + f.retryAfter().map(d -> "; the service asked to retry after " + d.toSeconds() + " s").orElse("");
        return new PullFailedException(reason, f.status(), message, e);
    }
}
