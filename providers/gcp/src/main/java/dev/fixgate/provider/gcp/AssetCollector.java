package dev.fixgate.provider.gcp;

import com.google.cloud.asset.v1.ResourceSearchResult;
import com.google.cloud.asset.v1.SearchAllResourcesRequest;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.provider.common.evidence.Tags;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Labels, environment and owner from Cloud Asset Inventory ({@code searchAllResources} by name): the resource's
 * labels, else — for the environment — its project's labels.
 */
final class AssetCollector extends GcpCollector {

    AssetCollector(GcpClients clients, ProviderSettings settings) {
        super("gcp.asset", Set.of(EvidenceKinds.TAGS, EvidenceKinds.ENVIRONMENT, EvidenceKinds.OWNER),
                List.of(GcpReads.SEARCH_RESOURCES), EnumSet.allOf(GcpResource.Kind.class), clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        var a = ctx.answers();
        Optional<Map<String, String>> labels = labels(ctx, ctx.resource().assetName());
        var provenance = ctx.provenance(GcpReads.SEARCH_RESOURCES);
        if (labels.isEmpty()) {
            a.rest("not found: Cloud Asset Inventory has no " + ctx.resource().assetName() + " in project " + ctx.project(),
                    provenance);
            return;
        }
        a.observed(EvidenceKinds.TAGS, labels.get(), provenance);
        Tags.owner(labels.get()).ifPresentOrElse(o -> a.observed(EvidenceKinds.OWNER, o, provenance),
                () -> a.unavailable(EvidenceKinds.OWNER, "no owner label on the resource", provenance));
        if (a.wants(EvidenceKinds.ENVIRONMENT)) {
            Optional<String> env = Tags.environment(labels.get());
            if (env.isEmpty()) {
                env = labels(ctx, "//cloudresourcemanager.googleapis.com/projects/" + ctx.project())
                        .flatMap(Tags::environment);
            }
            env.ifPresentOrElse(e -> a.observed(EvidenceKinds.ENVIRONMENT, e, provenance),
                    () -> a.unavailable(EvidenceKinds.ENVIRONMENT, "no environment label on the resource or its project",
                            provenance));
        }
    }

    /**
     * The labels of the asset named {@code name}; empty when the search finds no such asset. The query matches names
     * that contain it ({@code name:"…"}), so the exact name is picked from the results.
     */
    private static Optional<Map<String, String>> labels(Ctx ctx, String name) throws CallFailedException {
        SearchAllResourcesRequest request = SearchAllResourcesRequest.newBuilder().setScope("projects/" + ctx.project())
                .setQuery("name:" + LogCount.quote(name)).setPageSize(50).build();
        List<ResourceSearchResult> found = ctx.budget().call(GcpReads.SEARCH_RESOURCES, () -> {
            List<ResourceSearchResult> all = new ArrayList<>();
            for (ResourceSearchResult r : ctx.sdk().asset().get().searchAllResources(request).iterateAll()) {
                all.add(r);
            }
            return all;
        }, GcpFailures::classify);
        return found.stream().filter(r -> r.getName().equals(name)).findFirst().map(r -> Map.copyOf(r.getLabelsMap()));
    }
}
