package dev.fixgate.provider.gcp;

import dev.fixgate.spi.evidence.ProviderSettings;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Collectors that break the read-only rule on purpose, so {@link ReadOnlyTest} proves the rule still fires. */
final class PlantedCollectors {

    private PlantedCollectors() {
    }

    /** Deletes the bucket. */
    static final class Writer extends GcpCollector {
        Writer(GcpClients clients, ProviderSettings settings) {
            super("planted.writer", Set.of("gcs.acl_grants"), List.of(GcpReads.BUCKET_GET), EnumSet.of(GcpResource.Kind.BUCKET),
                    clients, settings);
        }

        @Override
        void answer(Ctx ctx) {
            ctx.sdk().storage().get().get(ctx.resource().name());
            ctx.sdk().storage().get().delete(ctx.resource().name());
        }
    }

    /** Reads a firewall rule (in a lambda, through the budget) without declaring it. */
    static final class Undeclared extends GcpCollector {
        Undeclared(GcpClients clients, ProviderSettings settings) {
            super("planted.undeclared", Set.of("firewall.internet_hits_30d"), List.of(), EnumSet.of(GcpResource.Kind.FIREWALL),
                    clients, settings);
        }

        @Override
        void answer(Ctx ctx) throws dev.fixgate.provider.common.evidence.CallFailedException {
            ctx.budget().call(GcpReads.FIREWALL_GET, () -> ctx.sdk().firewalls().get().get(ctx.project(), ctx.resource().name()),
                    GcpFailures::classify);
        }
    }
}
