package dev.fixgate.provider.gcp;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.auth.Credentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.securitycenter.v1.ListFindingsRequest;
import com.google.cloud.securitycenter.v1.ListFindingsResponse;
import com.google.cloud.securitycenter.v1.SecurityCenterClient;
import com.google.cloud.securitycenter.v1.SecurityCenterSettings;
import com.google.protobuf.util.JsonFormat;
import dev.fixgate.provider.common.evidence.Failure;
import dev.fixgate.provider.common.pull.PagedPull;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.intake.FindingSource;
import dev.fixgate.spi.intake.PullFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Security Command Center findings of a project, pulled with {@code ListFindings} on {@code projects/<p>/sources/-}
 * (every source: Security Health Analytics and the rest) through the client's REST transport: what happened since the
 * cursor ({@code event_time >= "<cursor>"}), oldest first ({@code orderBy event_time}), page by page; each page handed
 * on as the ListFindings response JSON that {@link SccFindingParser} reads. The state is not filtered: an INACTIVE
 * finding newer than the cursor is how a fixed problem is seen, and it resolves the open finding.
 *
 * <p>One call per page and no retry here: a denied, throttled or timed-out read ends the pull with a
 * {@link PullFailedException}, and the schedule is the retry. Reads {@code securitycenter.findings.list}.
 */
public final class SccFindings implements FindingSource, AutoCloseable {

    public static final String ID = "gcp-scc";
    static final String ENDPOINT = "securitycenter";

    static final ReadAction FINDINGS_LIST = new ReadAction("securitycenter.findings.list",
            "organizations.sources.findings.list", "Security Command Center findings of the project (ListFindings)");
    public static final List<ReadAction> READS = List.of(FINDINGS_LIST);

    static final int MAX_PAGES = 500;
    static final int PAGE_SIZE = 1000;

    private final ProviderSettings settings;
    private final GcpAccess access;
    private final List<String> projects;
    private final Map<String, SecurityCenterClient> clients = new ConcurrentHashMap<>();

    SccFindings(ProviderSettings settings, GcpAccess access) {
        this.settings = settings;
        this.access = access;
        this.projects = settings.accounts().stream().map(ProviderSettings.AccountAccess::account).toList();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Cloud cloud() {
        return Cloud.GCP;
    }

    @Override
    public String format() {
        return SccFindingParser.FORMAT;
    }

    @Override
    public List<ReadAction> reads() {
        return READS;
    }

    @Override
    public List<String> accounts() {
        return projects;
    }

    /** The ListFindings filter of a pull from {@code since} ({@link Instant#EPOCH}: none). */
    static String filter(Instant since) {
        return since.equals(Instant.EPOCH) ? "" : "event_time >= \"" + since + "\"";
    }

    @Override
    public void pull(String project, Instant since, PageSink sink) throws PullFailedException {
        new PagedPull<ListFindingsResponse>(MAX_PAGES, token -> client(project).listFindingsCallable().call(
                ListFindingsRequest.newBuilder().setParent("projects/" + project + "/sources/-").setFilter(filter(since))
                        .setOrderBy("event_time").setPageSize(PAGE_SIZE).setPageToken(token == null ? "" : token).build()),
                ListFindingsResponse::getNextPageToken, (number, response) -> page(project, number, response),
                (number, e) -> failed(project, number, e)).into(sink);
    }

    private static FindingSource.Page page(String project, int number, ListFindingsResponse response) {
        Instant newest = Instant.EPOCH;
        for (ListFindingsResponse.ListFindingsResult r : response.getListFindingsResultsList()) {
            if (r.getFinding().hasEventTime()) {
                Instant at = Instant.ofEpochSecond(r.getFinding().getEventTime().getSeconds(),
                        r.getFinding().getEventTime().getNanos());
                newest = at.isAfter(newest) ? at : newest;
            }
        }
        String json;
        try {
            json = JsonFormat.printer().print(response);
        } catch (IOException e) {
            throw new IllegalStateException("could not write a page of SCC findings", e);
        }
        return new FindingSource.Page(ID + ":" + project + "#" + number, json.getBytes(StandardCharsets.UTF_8),
                response.getListFindingsResultsCount(), 0, newest);
    }

    private SecurityCenterClient client(String project) {
        return clients.computeIfAbsent(project, p -> {
            ProviderSettings.AccountAccess a = settings.account(p).orElse(new ProviderSettings.AccountAccess(p, "", ""));
            Credentials credentials = access.credentials().apply(a);
            Duration budget = settings.budget();
            RetrySettings once = RetrySettings.newBuilder().setMaxAttempts(1).setTotalTimeoutDuration(budget)
                    .setInitialRpcTimeoutDuration(budget).setMaxRpcTimeoutDuration(budget).setRpcTimeoutMultiplier(1.0)
                    .build();
            try {
                SecurityCenterSettings.Builder b = SecurityCenterSettings.newHttpJsonBuilder()
                        .setCredentialsProvider(credentials instanceof NoCredentials ? NoCredentialsProvider.create()
                                : FixedCredentialsProvider.create(credentials));
                settings.endpoint(ENDPOINT).ifPresent(b::setEndpoint);
                b.listFindingsSettings().setRetrySettings(once).setRetryableCodes(Set.<StatusCode.Code>of());
                return SecurityCenterClient.create(b.build());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static PullFailedException failed(String project, int page, RuntimeException e) {
        Failure f = GcpFailures.classify(e);
        PullFailedException.Reason reason = PagedPull.reason(f);
        String message = "SCC findings of project " + project + ", page " + page + ": " + f.reason(FINDINGS_LIST)
                + (reason == PullFailedException.Reason.DENIED ? " (the identity needs securitycenter.findings.list)" : "");
        return new PullFailedException(reason, f.status(), message, e);
    }

    @Override
    public void close() {
        clients.values().forEach(SecurityCenterClient::close);
    }
}
