package dev.fixgate.provider.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the collectors authenticate and send requests: a credential per subscription and the HTTP client. The default
 * is {@code DefaultAzureCredential} (environment, workload identity, managed identity, Azure CLI…) — with the
 * subscription's {@code role} from the settings as the managed or workload identity's client id — and the JDK HTTP
 * client. Tests pass a static credential and a client that trusts the local stand-in.
 *
 * @param credential the credential for a subscription's {@link ProviderSettings.AccountAccess}
 * @param httpClient the HTTP client every pipeline sends through
 */
public record AzureAccess(Function<ProviderSettings.AccountAccess, TokenCredential> credential, HttpClient httpClient) {

    public AzureAccess {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(httpClient, "httpClient");
    }

    /** The default credential chain and the JDK client, with response timeouts no longer than the budget. */
    public static AzureAccess defaults(ProviderSettings settings) {
        Duration timeout = settings.budget();
        HttpClient client = new JdkHttpClientBuilder().connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(timeout).readTimeout(timeout).build();
        return new AzureAccess(access -> {
            DefaultAzureCredentialBuilder b = new DefaultAzureCredentialBuilder();
            if (!access.role().isBlank()) {
                b.managedIdentityClientId(access.role()).workloadIdentityClientId(access.role());
            }
            return b.build();
        }, client);
    }
}
