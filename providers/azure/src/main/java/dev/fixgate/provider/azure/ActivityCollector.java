package dev.fixgate.provider.azure;

import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code last_activity_days}: days since the newest day with traffic in a usage metric — storage accounts'
 * {@code Transactions}, SQL databases' {@code connection_successful}, App Service's {@code Requests}. Azure Monitor
 * keeps platform metrics {@value #RETENTION_DAYS} days; a resource with no traffic in all of them is reported as
 * {@value #RETENTION_DAYS}, a true lower bound (it was last used at least that long ago).
 */
final class ActivityCollector extends AzureCollector {

    static final int RETENTION_DAYS = 93;

    ActivityCollector(AzureClients clients, ProviderSettings settings) {
        super("azure.activity", Set.of(EvidenceKinds.LAST_ACTIVITY_DAYS), List.of(AzureReads.METRICS),
                List.of("microsoft.storage/storageaccounts", "microsoft.sql/servers", "microsoft.web/sites"), clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        Optional<ArmId> target;
        String metric;
        if (ctx.id().within("microsoft.storage/storageaccounts")) {
            target = ctx.id().ancestor("microsoft.storage/storageaccounts");
            metric = "Transactions";
        } else if (ctx.id().within("microsoft.web/sites")) {
            target = ctx.id().ancestor("microsoft.web/sites");
            metric = "Requests";
        } else {
            target = ctx.id().ancestor("microsoft.sql/servers/databases");
            metric = "connection_successful";
        }
        if (target.isEmpty()) {
            ctx.answers().unavailable(EvidenceKinds.LAST_ACTIVITY_DAYS,
                    "a SQL server's activity is its databases': last_activity_days is read for a database",
                    ctx.provenance(AzureReads.METRICS));
            return;
        }
        Instant to = ctx.request().now();
        Optional<Instant> last = Metrics.lastActiveDay(ctx, target.get().id(), metric, to.minus(Duration.ofDays(RETENTION_DAYS)), to);
        long days = last.map(l -> Math.max(0, Duration.between(l, to).toDays())).orElse((long) RETENTION_DAYS);
        ctx.answers().observed(EvidenceKinds.LAST_ACTIVITY_DAYS, days, ctx.provenance(AzureReads.METRICS));
    }
}
