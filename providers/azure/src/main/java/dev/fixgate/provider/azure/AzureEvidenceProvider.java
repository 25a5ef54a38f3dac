package dev.fixgate.provider.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceProvider;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Azure's read-only evidence: Resource Graph (tags, environment, owner, incidents, flow log settings), Azure Monitor
 * (metrics, diagnostic settings), Log Analytics (resource and flow logs) and the Storage resource provider.
 * Registered for {@link java.util.ServiceLoader}; nothing connects before a collector is asked.
 */
public final class AzureEvidenceProvider implements EvidenceProvider {

    /**
     * Azure kinds no collector answers, with the reason; every Azure kind of {@code EvidenceKinds} is answered by a
     * collector or listed here (the contract test checks it). Each reason says whether no API can observe the kind
     * ("unobservable") or an API can and fixgate does not read it yet ("not collected yet", naming that API).
     */
    public static final Map<String, String> UNOBSERVABLE = Map.ofEntries(
            Map.entry("storage.requests_from_unlisted_networks_30d", "not collected yet: the storage logs in Log"
                    + " Analytics (Storage{Blob,File,Queue,Table}Logs CallerIpAddress, as storage.http_requests_30d"
                    + " reads them) compared with the account's networkRuleSet (Storage Accounts - Get Properties)"
                    + " ipRules and virtualNetworkRules — the latter need the subnets' prefixes"),
            Map.entry("keyvault.requests_from_unlisted_networks_30d", "not collected yet: the vault's AuditEvent logs"
                    + " (AzureDiagnostics CallerIPAddress, through its diagnostic setting's Log Analytics workspace)"
                    + " compared with properties.networkAcls of Vaults - Get (Microsoft.KeyVault/vaults/read)"),
            Map.entry("network.public_endpoint_connections_30d", "not collected yet: no metric splits public-endpoint"
                    + " from private-endpoint traffic; per service the resource logs in Log Analytics give client addresses"
                    + " (Cosmos DB DataPlaneRequests, SQL audit, MySQL/PostgreSQL connection logs, Redis connection logs),"
                    + " but a VNet address arrives through a service endpoint (which disabling public access also cuts) as"
                    + " well as through a private endpoint, so the resource's private endpoint connections and the clients'"
                    + " subnets are needed too"),
            Map.entry("policy.deny_assignments_for_aks", "not collected yet: Resource Graph policyresources (policy"
                    + " assignments on the cluster's scopes and their definitions' effect, or the effect parameter)"
                    + " answers it with Microsoft.Authorization/policyAssignments/read and policyDefinitions/read"),
            Map.entry("defender.monthly_cost_estimate_usd", "not collected yet: Defender for Cloud exposes no estimate"
                    + " (Pricings - Get returns the tier); it would be the plan's billable resources (Resource Graph"
                    + " counts of the types the plan covers) times the Azure Retail Prices API's unit price"),
            Map.entry("redis.non_ssl_connections_7d", "not collected yet: no Azure Monitor metric of Azure Cache for"
                    + " Redis separates the non-SSL port; the cache's connection logs (diagnostic setting to Log"
                    + " Analytics) are the candidate, whether they carry the port is still to be checked"));

    @Override
    public Map<String, String> unobservable() {
        return UNOBSERVABLE;
    }

    @Override
    public Cloud cloud() {
        return Cloud.AZURE;
    }

    @Override
    public List<EvidenceCollector> collectors(ProviderSettings settings) {
        return collectors(settings, AzureAccess.defaults(settings));
    }

    /** The collectors with a given credential and HTTP client (tests: a static token, a client trusting the stand-in). */
    public List<EvidenceCollector> collectors(ProviderSettings settings, AzureAccess access) {
        AzureClients clients = new AzureClients(settings, access);
        return List.of(new ResourceGraphCollector(clients, settings), new StorageCollector(clients, settings),
                new SqlCollector(clients, settings), new AppServiceCollector(clients, settings),
                new NsgCollector(clients, settings), new ActivityCollector(clients, settings),
                new RouteNextHopCollector(clients, settings), new DbConnectionsCollector(clients, settings));
    }

    /**
     * A custom role definition (the JSON {@code az role definition create --role-definition} takes) with exactly the
     * read actions the collectors declare, plus those of the Defender for Cloud pull ({@link DefenderAssessments#READS}:
     * the assessments through Resource Graph), which runs under the same identity when {@code intake.pull} names it. AssignableScopes: the subscriptions the collectors were configured with, or
     * a placeholder to replace.
     */
    @Override
    public String permissions(List<EvidenceCollector> collectors) {
        TreeSet<String> actions = new TreeSet<>();
        TreeSet<String> scopes = new TreeSet<>();
        for (EvidenceCollector c : collectors) {
            if (c.cloud() != Cloud.AZURE) {
                continue;
            }
            for (ReadAction r : c.reads()) {
                if (!r.action().endsWith("/read")) {
                    throw new IllegalStateException(c.id() + " declares " + r.action() + ", which is not a read action");
                }
                actions.add(r.action());
            }
            if (c instanceof AzureCollector a) {
                a.subscriptions().forEach(sub -> scopes.add("/subscriptions/" + sub));
            }
        }
        DefenderAssessments.READS.forEach(r -> actions.add(r.action()));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode role = json.createObjectNode();
        role.put("Name", "fixgate evidence reader");
        role.put("IsCustom", true);
        role.put("Description", "Read-only access for fixgate's evidence collectors: metrics, diagnostic settings,"
                + " Resource Graph, Log Analytics queries and storage container settings; Defender for Cloud assessments for the"
                + " pull of findings. No data plane, no writes.");
        ArrayNode a = role.putArray("Actions");
        actions.forEach(a::add);
        role.putArray("NotActions");
        role.putArray("DataActions");
        role.putArray("NotDataActions");
        ArrayNode s = role.putArray("AssignableScopes");
        if (scopes.isEmpty()) {
            s.add("/subscriptions/{subscription-id}");
        } else {
            scopes.forEach(s::add);
        }
        try {
            return json.writeValueAsString(role) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
