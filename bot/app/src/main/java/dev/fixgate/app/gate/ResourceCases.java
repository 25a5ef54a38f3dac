package dev.fixgate.app.gate;

import dev.fixgate.app.assess.EvidenceIndex;
import dev.fixgate.app.assess.PatchState;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.group.Scopes;
import dev.fixgate.app.locate.FindingLocator;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.InitiativeId;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the gate decides about: one finding's resource, located in a repository checkout and planned on a copy.
 * Shared by {@code fixgate assess}, the remediation job and the demo, so all three judge a resource the same way.
 */
public final class ResourceCases {

    private ResourceCases() {
    }

    /**
     * Locates {@code finding} in {@code scan}, plans the playbook's fix on it and returns the case the gate
     * decides. A resource that cannot be located is a case too: its patch state says why (never SAFE).
     *
     * @param repo the repository's name as the initiative scope shows it ({@code owner/name}, or a directory name)
     */
    public static RemediationSafety.ResourceCase of(Finding finding, Playbook playbook, RepoScan scan, String repo,
                                                    EvidenceIndex index, RepoConfig config, Instant now) {
        String resourceId = switch (finding.resource()) {
            case CloudResource c -> c.id();
            case CodeResource c -> c.address().isEmpty() ? c.path() + ":" + c.line() : c.address();
        };
        String account = finding.resource() instanceof CloudResource c ? c.account() : "";
        return switch (FindingLocator.locate(scan, finding, playbook)) {
            case FindingLocator.Result.NotFound nf -> new RemediationSafety.ResourceCase(
                    InitiativeId.of(finding.control(), scope(finding, "", repo)), finding, playbook, resourceId,
                    finding.resource().type(), "", "", List.of(), PatchState.cannotPatch(nf.code()), "", index, account,
                    config, now);
            case FindingLocator.Result.Found found -> {
                ModelResource r = found.located().resource();
                Planner.Result plan = Planner.standard().plan(List.of(new Planner.Request(playbook, found.located(),
                        finding.sourceTool())), Map.of());
                Planner.Item item = plan.items().getFirst();
                PatchState patch = switch (item.status()) {
                    case PATCHED -> PatchState.changed();
                    case ALREADY_COMPLIANT -> new PatchState("already_compliant", "");
                    case CANNOT_PATCH -> PatchState.cannotPatch(item.code());
                };
                yield new RemediationSafety.ResourceCase(
                        InitiativeId.of(finding.control(), scope(finding, r.file(), repo)), finding, playbook,
                        finding.resource() instanceof CloudResource ? resourceId : r.address(), r.type(), r.address(),
                        r.file(), found.located().siblings(), patch, plan.diff(), index, account, config, now);
            }
        };
    }

    /** As group does: by account before locate; by repository and module once the code is known. */
    public static String scope(Finding finding, String file, String repo) {
        if (file.isEmpty()) {
            return Scopes.of(finding.resource());
        }
        int slash = file.lastIndexOf('/');
        return "repo:" + repo + ":" + (slash < 0 ? "." : file.substring(0, slash));
    }
}
