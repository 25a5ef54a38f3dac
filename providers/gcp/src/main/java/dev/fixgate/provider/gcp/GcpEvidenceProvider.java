package dev.fixgate.provider.gcp;

import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.EvidenceProvider;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * GCP's read-only evidence: Cloud Asset Inventory (labels), Cloud Storage (IAM and ACLs), Compute Engine (instances,
 * disks, images, firewall rules), Cloud Logging (firewall, audit and PostgreSQL logs) and Personalized Service Health.
 * Registered for {@link java.util.ServiceLoader}; nothing connects before a collector is asked.
 */
public final class GcpEvidenceProvider implements EvidenceProvider {

    /**
     * GCP kinds no collector answers, with the reason (the contract test checks that every GCP kind of
     * {@code EvidenceKinds} has a collector or an entry here; the reasons are in docs/evidence.md too).
     */
    public static final Map<String, String> UNANSWERED = Map.of(
            "gcs.anonymous_requests_30d",
            "unobservable: Cloud Audit Logs write no Data Access entries for requests to resources public to allUsers or"
            + " allAuthenticatedUsers, and Cloud Storage usage logs carry no principal, so no API tells anonymous requests apart",
            "compute.unsigned_kernel_modules",
            "unobservable: no Google Cloud API reports the kernel modules a guest has loaded — Shielded VM integrity"
            + " monitoring measures boot components (and only once Shielded VM is on), OS inventory lists packages; only the"
            + " guest itself (mokutil, /proc/modules taint flags) knows",
            EvidenceKinds.DEPENDENTS,
            "not collected on GCP: Cloud Asset Inventory has no reverse-reference search (its relationship search covers a"
            + " few fixed pairs), so what depends on a resource is left to the code graph",
            EvidenceKinds.LAST_ACTIVITY_DAYS,
            "not collected on GCP: it would need Cloud Monitoring time series per resource type, whose Java client has no"
            + " REST transport; left for a later collector",
            "compute.project_ssh_keys_used_30d",
            "not collected on GCP: yet — sshd runs in the guest, so only its log says which key a login used — Cloud Logging"
            + " entries.list of the guest's syslog (\"Accepted publickey ... SHA256:<fingerprint>\", shipped by the Ops"
            + " Agent when installed) matched against the fingerprints of the project metadata's ssh-keys"
            + " (compute.projects.get)");

    @Override
    public Map<String, String> unobservable() {
        return UNANSWERED;
    }

    @Override
    public Cloud cloud() {
        return Cloud.GCP;
    }

    @Override
    public List<EvidenceCollector> collectors(ProviderSettings settings) {
        return collectors(settings, GcpAccess.defaults());
    }

    /** The collectors with given credentials (tests: {@code NoCredentials}). */
    public List<EvidenceCollector> collectors(ProviderSettings settings, GcpAccess access) {
        GcpClients clients = new GcpClients(settings, access);
        return List.of(new AssetCollector(clients, settings), new ServiceHealthCollector(clients, settings),
                new GcsCollector(clients, settings), new ComputeCollector(clients, settings),
                new FirewallCollector(clients, settings), new GkeCollector(clients, settings),
                new CloudSqlCollector(clients, settings), new BinAuthzCollector(clients, settings));
    }

    /**
     * A custom role (the YAML {@code gcloud iam roles create --file} takes) with exactly the permissions the collectors
     * declare.
     */
    @Override
    public String permissions(List<EvidenceCollector> collectors) {
        TreeSet<String> permissions = new TreeSet<>();
        for (EvidenceCollector c : collectors) {
            if (c.cloud() == Cloud.GCP) {
                c.reads().stream().map(ReadAction::action).forEach(permissions::add);
            }
        }
        // the Security Command Center pull (intake.pull: gcp-scc) runs under the same identity
        SccFindings.READS.forEach(r -> permissions.add(r.action()));
        StringBuilder yaml = new StringBuilder()
                .append("title: fixgate evidence reader\n")
                .append("description: Read-only access for fixgate's evidence collectors (asset search, bucket IAM and ACLs,")
                .append(" instance, disk, image and firewall reads, log entries, service health events; Security Command Center findings")
                .append(" for the pull of findings).\n")
                .append("stage: GA\n")
                .append("includedPermissions:\n");
        for (String p : permissions) {
            if (!p.matches("[a-z]+(\\.[a-zA-Z]+)+\\.(get|list|getIamPolicy|search[A-Za-z]*)")) {
                throw new IllegalStateException("not a read permission: " + p);
            }
            yaml.append("- ").append(p).append('\n');
        }
        return yaml.toString();
    }
}
