package dev.fixgate.provider.azure;

import dev.fixgate.spi.evidence.ProviderSettings;
import java.util.List;
import java.util.Set;

/** Collectors that break the read-only rule on purpose, so {@link ReadOnlyTest} proves the rule still fires. */
final class PlantedCollectors {

    private PlantedCollectors() {
    }

    /** Deletes a storage account: a write, and an operation no registry lists. */
    static final class Writer extends AzureCollector {
        Writer(AzureClients clients, ProviderSettings settings) {
            super("planted.writer", Set.of("storage.public_containers"), List.of(AzureReads.STORAGE_ACCOUNT),
                    List.of("microsoft.storage/storageaccounts"), clients, settings);
        }

        @Override
        void answer(Ctx ctx) throws dev.fixgate.provider.common.evidence.CallFailedException {
            StorageReads.account(ctx, ctx.id());
            ctx.sdk().storage().serviceClient().getStorageAccounts().delete(ctx.id().resourceGroup(), ctx.id().name());
        }
    }

    /** Reads metrics (through a helper, inside a lambda) without declaring it, and declares a read it never makes. */
    static final class Undeclared extends AzureCollector {
        Undeclared(AzureClients clients, ProviderSettings settings) {
            super("planted.undeclared", Set.of("storage.anonymous_requests_30d"), List.of(AzureReads.STORAGE_ACCOUNT),
                    List.of("microsoft.storage/storageaccounts"), clients, settings);
        }

        @Override
        void answer(Ctx ctx) {
            Runnable later = () -> {
                try {
                    Metrics.total(ctx, ctx.id().id(), "Transactions", null, ctx.from(java.time.Duration.ofDays(1)),
                            ctx.request().now());
                } catch (dev.fixgate.provider.common.evidence.CallFailedException e) {
                    ctx.unavailable(e, "storage.anonymous_requests_30d");
                }
            };
            later.run();
        }
    }
}
