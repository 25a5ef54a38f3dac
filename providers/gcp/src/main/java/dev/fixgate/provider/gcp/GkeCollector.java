package dev.fixgate.provider.gcp;

import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code gke.abac_only_authorizations_7d}: Kubernetes audit log entries of the cluster in 7 days that were allowed
 * ({@code labels."authorization.k8s.io/decision"="allow"}) for a reason that names neither RBAC nor IAM — GKE's
 * authorizers are RBAC, then legacy ABAC, then IAM, and only RBAC and IAM give such reasons. Read requests appear only
 * when the cluster's Data Access audit logs are on; writes always do.
 */
final class GkeCollector extends GcpCollector {

    static final String ABAC = "gke.abac_only_authorizations_7d";

    GkeCollector(GcpClients clients, ProviderSettings settings) {
        super("gcp.gke", Set.of(ABAC), List.of(GcpReads.LOG_ENTRIES, GcpReads.PRIVATE_LOG_ENTRIES),
                EnumSet.of(GcpResource.Kind.CLUSTER), clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        GcpResource r = ctx.resource();
        String filter = "resource.type=\"k8s_cluster\" AND resource.labels.cluster_name=" + LogCount.quote(r.name())
                + " AND resource.labels.location=" + LogCount.quote(r.location())
                + " AND labels.\"authorization.k8s.io/decision\"=\"allow\""
                + " AND NOT labels.\"authorization.k8s.io/reason\":\"RBAC\""
                + " AND NOT labels.\"authorization.k8s.io/reason\":\"IAM\"";
        long n = LogCount.count(ctx, filter, ctx.from(Duration.ofDays(7)), ctx.request().now(), GcpReads.LOG_ENTRIES);
        ctx.answers().observed(ABAC, n, ctx.provenance(GcpReads.LOG_ENTRIES, GcpReads.PRIVATE_LOG_ENTRIES));
    }
}
