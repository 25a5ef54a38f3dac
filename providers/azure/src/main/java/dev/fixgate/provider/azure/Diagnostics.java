package dev.fixgate.provider.azure;

import com.azure.resourcemanager.monitor.fluent.models.DiagnosticSettingsResourceInner;
import com.azure.resourcemanager.monitor.models.LogSettings;
import dev.fixgate.provider.common.evidence.CallFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A resource's diagnostic settings ({@code Diagnostic Settings - List}): where its resource logs go. */
final class Diagnostics {

    private Diagnostics() {
    }

    static List<DiagnosticSettingsResourceInner> list(AzureCollector.Ctx ctx, String resourceId) throws CallFailedException {
        return ctx.budget().call(AzureReads.DIAGNOSTIC_SETTINGS, () -> {
            List<DiagnosticSettingsResourceInner> all = new ArrayList<>();
            ctx.sdk().monitor().serviceClient().getDiagnosticSettingsOperations().list(ArmPaths.relative(resourceId)).forEach(all::add);
            return all;
        }, AzureFailures::classify);
    }

    /** Whether {@code setting} sends every one of {@code categories} (directly or through a category group). */
    static boolean sends(DiagnosticSettingsResourceInner setting, Set<String> categories, Set<String> groups) {
        if (setting.logs() == null) {
            return false;
        }
        Set<String> covered = new java.util.HashSet<>();
        for (LogSettings log : setting.logs()) {
            if (!log.enabled()) {
                continue;
            }
            if (log.categoryGroup() != null && groups.stream().anyMatch(g -> g.equalsIgnoreCase(log.categoryGroup()))) {
                return true;
            }
            if (log.category() != null) {
                categories.stream().filter(c -> c.equalsIgnoreCase(log.category())).forEach(covered::add);
            }
        }
        return covered.containsAll(categories);
    }

    /** The Log Analytics workspace a setting among {@code settings} sends {@code categories} to. */
    static Optional<String> workspace(List<DiagnosticSettingsResourceInner> settings, Set<String> categories,
                                      Set<String> groups) {
        return settings.stream()
                .filter(s -> s.workspaceId() != null && !s.workspaceId().isBlank() && sends(s, categories, groups))
                .map(DiagnosticSettingsResourceInner::workspaceId)
                .findFirst();
    }
}
