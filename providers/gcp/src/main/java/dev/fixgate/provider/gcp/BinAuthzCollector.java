package dev.fixgate.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code binaryauthorization.project_policy_default_rule}: what the project's Binary Authorization policy does with a
 * cluster's images — the {@code evaluationMode} of the rule that applies to the cluster: its entry in
 * {@code clusterAdmissionRules} ({@code "<location>.<cluster>"}) when the policy has one, else the
 * {@code defaultAdmissionRule}. Read with {@code projects.getPolicy}, which returns the default policy
 * ({@code ALWAYS_ALLOW}) for a project that never set one.
 */
final class BinAuthzCollector extends GcpCollector {

    static final String DEFAULT_RULE = "binauthz.project_policy_default_rule";

    BinAuthzCollector(GcpClients clients, ProviderSettings settings) {
        super("gcp.binauthz", Set.of(DEFAULT_RULE), List.of(GcpReads.BINAUTHZ_POLICY), EnumSet.of(GcpResource.Kind.CLUSTER),
                clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        JsonNode policy = ctx.budget().call(GcpReads.BINAUTHZ_POLICY,
                () -> ctx.sdk().rest().get().getBinauthzPolicy(ctx.project()), GcpFailures::classify);
        var provenance = ctx.provenance(GcpReads.BINAUTHZ_POLICY);
        String clusterKey = ctx.resource().location() + "." + ctx.resource().name();
        JsonNode rule = policy.path("clusterAdmissionRules").path(clusterKey);
        if (rule.isMissingNode() || rule.isNull()) {
            rule = policy.path("defaultAdmissionRule");
        }
        String mode = rule.path("evaluationMode").asText("");
        if (mode.isBlank()) {
            ctx.answers().unavailable(DEFAULT_RULE, "the Binary Authorization policy of " + ctx.project()
                    + " has no evaluationMode for " + clusterKey + " nor a default rule", provenance);
            return;
        }
        ctx.answers().observed(DEFAULT_RULE, mode, provenance);
    }
}
