package dev.fixgate.provider.azure;

import com.azure.resourcemanager.storage.fluent.models.ListContainerItemInner;
import com.azure.resourcemanager.storage.fluent.models.StorageAccountInner;
import dev.fixgate.provider.common.evidence.CallFailedException;
import java.util.ArrayList;
import java.util.List;

/** The storage account and its containers, from the Storage resource provider (the SDK follows {@code nextLink}). */
final class StorageReads {

    /** Containers read at most; an account with more is reported as at least that many checked. */
    static final int MAX_CONTAINERS = 5000;

    private StorageReads() {
    }

    static StorageAccountInner account(AzureCollector.Ctx ctx, ArmId account) throws CallFailedException {
        return ctx.budget().call(AzureReads.STORAGE_ACCOUNT, () -> ctx.sdk().storage().serviceClient()
                .getStorageAccounts().getByResourceGroup(account.resourceGroup(), account.name()), AzureFailures::classify);
    }

    static List<ListContainerItemInner> containers(AzureCollector.Ctx ctx, ArmId account) throws CallFailedException {
        return ctx.budget().call(AzureReads.BLOB_CONTAINERS, () -> {
            List<ListContainerItemInner> all = new ArrayList<>();
            for (ListContainerItemInner c : ctx.sdk().storage().serviceClient().getBlobContainers()
                    .list(account.resourceGroup(), account.name())) {
                all.add(c);
                if (all.size() >= MAX_CONTAINERS) {
                    break;
                }
            }
            return all;
        }, AzureFailures::classify);
    }
}
