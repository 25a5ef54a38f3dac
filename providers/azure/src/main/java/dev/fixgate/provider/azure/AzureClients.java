package dev.fixgate.provider.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.monitor.MonitorManager;
import com.azure.resourcemanager.resourcegraph.ResourceGraphManager;
import com.azure.resourcemanager.storage.StorageManager;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDK clients, one set per subscription, built on first use (never before a collector is asked). Every manager
 * shares one pipeline per subscription: the subscription's credential (bearer token for Resource Manager), request
 * ids, no HTTP logging policy (headers carry tokens; the collectors' answers say what was read) — and no retry policy, because
 * {@code CallBudget} is the one retry loop and keeps the budget. The Resource Manager endpoint comes from the settings'
 * {@code management} endpoint, so a private or local endpoint is one setting away.
 */
final class AzureClients {

    static final String MANAGEMENT = "management";
    private static final String DEFAULT_MANAGEMENT = "https://management.azure.com/";

    private final ProviderSettings settings;
    private final AzureAccess access;
    private final Map<String, PerSubscription> bySubscription = new ConcurrentHashMap<>();

    AzureClients(ProviderSettings settings, AzureAccess access) {
        this.settings = settings;
        this.access = access;
    }

    record PerSubscription(MonitorManager monitor, StorageManager storage, ResourceGraphManager resourceGraph,
                           LogAnalytics logs, String role) {
    }

    PerSubscription forSubscription(String subscription) {
        return bySubscription.computeIfAbsent(subscription.toLowerCase(java.util.Locale.ROOT), s -> build(subscription));
    }

    /** The client id used for a subscription (for provenance); empty for the default identity. */
    String role(String subscription) {
        return accessFor(subscription).role();
    }

    private ProviderSettings.AccountAccess accessFor(String subscription) {
        return settings.accounts().stream().filter(a -> a.account().equalsIgnoreCase(subscription)).findFirst()
                .orElse(new ProviderSettings.AccountAccess(subscription, "", ""));
    }

    private PerSubscription build(String subscription) {
        ProviderSettings.AccountAccess a = accessFor(subscription);
        String endpoint = settings.endpoint(MANAGEMENT).orElse(DEFAULT_MANAGEMENT);
        if (!endpoint.endsWith("/")) {
            endpoint = endpoint + "/";
        }
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", endpoint);
        AzureEnvironment environment = new AzureEnvironment(endpoints);
        AzureProfile profile = new AzureProfile(null, subscription, environment);
        TokenCredential credential = access.credential().apply(a);
        // The token's audience is Resource Manager's, whichever address it is reached at.
        String scope = settings.options().getOrDefault("azure.management_scope", "https://management.azure.com/.default");
        HttpPipeline pipeline = new HttpPipelineBuilder()
                .httpClient(access.httpClient())
                .policies(new UserAgentPolicy("fixgate-evidence"), new RequestIdPolicy(),
                        new BearerTokenAuthenticationPolicy(credential, scope))
                .build();
        return new PerSubscription(MonitorManager.authenticate(pipeline, profile),
                StorageManager.authenticate(pipeline, profile),
                ResourceGraphManager.authenticate(pipeline, profile),
                new LogAnalytics(pipeline, endpoint), a.role());
    }
}
