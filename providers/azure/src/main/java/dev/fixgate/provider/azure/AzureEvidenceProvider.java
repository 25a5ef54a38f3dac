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
     * Kinds of Azure no API can observe, with the reason; every Azure kind of {@code EvidenceKinds} is answered by a
     * collector or listed here (the contract test checks it). Empty: every Azure kind has a collector.
     */
    public static final Map<String, String> UNOBSERVABLE = Map.of();

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
                new NsgCollector(clients, settings), new ActivityCollector(clients, settings));
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
