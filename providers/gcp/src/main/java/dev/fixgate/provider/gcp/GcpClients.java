package dev.fixgate.provider.gcp;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.UnaryCallSettings;
import com.google.auth.Credentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.asset.v1.AssetServiceClient;
import com.google.cloud.asset.v1.AssetServiceSettings;
import com.google.cloud.compute.v1.DisksClient;
import com.google.cloud.compute.v1.DisksSettings;
import com.google.cloud.compute.v1.FirewallsClient;
import com.google.cloud.compute.v1.FirewallsSettings;
import com.google.cloud.compute.v1.ImagesClient;
import com.google.cloud.compute.v1.ImagesSettings;
import com.google.cloud.compute.v1.InstancesClient;
import com.google.cloud.compute.v1.InstancesSettings;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Google clients, one set per project, each built on first use. The gapic clients use their HTTP/JSON transport
 * (REST), so the endpoints in the settings ({@code asset}, {@code compute}, {@code storage}, {@code logging},
 * {@code servicehealth}) can point anywhere a REST server answers. Their own retries are off — {@code CallBudget}
 * is the one retry loop — and every call's deadline is the budget.
 */
final class GcpClients {

    static final String ASSET = "asset";
    static final String COMPUTE = "compute";
    static final String STORAGE = "storage";
    static final String LOGGING = "logging";
    static final String SERVICE_HEALTH = "servicehealth";
    static final String BINARY_AUTHORIZATION = "binaryauthorization";

    private final ProviderSettings settings;
    private final GcpAccess access;
    private final HttpClient http;
    private final Map<String, PerProject> byProject = new ConcurrentHashMap<>();

    GcpClients(ProviderSettings settings, GcpAccess access) {
        this.settings = settings;
        this.access = access;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A value built once, when first asked for. */
    static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> make;
        private volatile T value;

        Lazy(Supplier<T> make) {
            this.make = make;
        }

        @Override
        public T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    if (value == null) {
                        value = make.get();
                    }
                    v = value;
                }
            }
            return v;
        }
    }

    /** A project's clients and the identity used (the impersonated service account, or empty). */
    record PerProject(Lazy<AssetServiceClient> asset, Lazy<InstancesClient> instances, Lazy<DisksClient> disks,
                      Lazy<ImagesClient> images, Lazy<FirewallsClient> firewalls, Lazy<Storage> storage,
                      Lazy<GoogleRest> rest, String role) {
    }

    PerProject forProject(String project) {
        return byProject.computeIfAbsent(project, this::build);
    }

    String role(String project) {
        return accessFor(project).role();
    }

    private ProviderSettings.AccountAccess accessFor(String project) {
        return settings.account(project).orElse(new ProviderSettings.AccountAccess(project, "", ""));
    }

    private PerProject build(String project) {
        ProviderSettings.AccountAccess a = accessFor(project);
        Lazy<Credentials> credentials = new Lazy<>(() -> access.credentials().apply(a));
        Duration budget = settings.budget();
        RetrySettings once = RetrySettings.newBuilder().setMaxAttempts(1).setTotalTimeoutDuration(budget)
                .setInitialRpcTimeoutDuration(budget).setMaxRpcTimeoutDuration(budget).setRpcTimeoutMultiplier(1.0).build();
        String compute = settings.endpoint(COMPUTE).orElse("https://compute.googleapis.com");
        return new PerProject(
                new Lazy<>(() -> create(() -> {
                    AssetServiceSettings.Builder b = AssetServiceSettings.newHttpJsonBuilder()
                            .setCredentialsProvider(provider(credentials.get()));
                    settings.endpoint(ASSET).ifPresent(b::setEndpoint);
                    b.applyToAllUnaryMethods(noRetry(once));
                    return AssetServiceClient.create(b.build());
                })),
                new Lazy<>(() -> create(() -> {
                    InstancesSettings.Builder b = InstancesSettings.newBuilder().setEndpoint(compute)
                            .setCredentialsProvider(provider(credentials.get()));
                    b.applyToAllUnaryMethods(noRetry(once));
                    return InstancesClient.create(b.build());
                })),
                new Lazy<>(() -> create(() -> {
                    DisksSettings.Builder b = DisksSettings.newBuilder().setEndpoint(compute)
                            .setCredentialsProvider(provider(credentials.get()));
                    b.applyToAllUnaryMethods(noRetry(once));
                    return DisksClient.create(b.build());
                })),
                new Lazy<>(() -> create(() -> {
                    ImagesSettings.Builder b = ImagesSettings.newBuilder().setEndpoint(compute)
                            .setCredentialsProvider(provider(credentials.get()));
                    b.applyToAllUnaryMethods(noRetry(once));
                    return ImagesClient.create(b.build());
                })),
                new Lazy<>(() -> create(() -> {
                    FirewallsSettings.Builder b = FirewallsSettings.newBuilder().setEndpoint(compute)
                            .setCredentialsProvider(provider(credentials.get()));
                    b.applyToAllUnaryMethods(noRetry(once));
                    return FirewallsClient.create(b.build());
                })),
                new Lazy<>(() -> {
                    StorageOptions.Builder b = StorageOptions.http().setProjectId(project)
                            .setCredentials(credentials.get())
                            .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(1).build())
                            .setTransportOptions(HttpTransportOptions.newBuilder()
                                    .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, budget.toMillis()))
                                    .setReadTimeout((int) Math.min(Integer.MAX_VALUE, budget.toMillis())).build());
                    settings.endpoint(STORAGE).ifPresent(b::setHost);
                    return b.build().getService();
                }),
                new Lazy<>(() -> new GoogleRest(http, credentials.get(),
                        settings.endpoint(LOGGING).orElse("https://logging.googleapis.com"),
                        settings.endpoint(SERVICE_HEALTH).orElse("https://servicehealth.googleapis.com"),
                        settings.endpoint(BINARY_AUTHORIZATION).orElse("https://binaryauthorization.googleapis.com"),
                        budget)),
                a.role());
    }

    private static com.google.api.gax.core.CredentialsProvider provider(Credentials c) {
        return c instanceof NoCredentials ? NoCredentialsProvider.create() : FixedCredentialsProvider.create(c);
    }

    private static com.google.api.core.ApiFunction<UnaryCallSettings.Builder<?, ?>, Void> noRetry(RetrySettings once) {
        return b -> {
            b.setRetrySettings(once);
            b.setRetryableCodes(Set.<StatusCode.Code>of());
            return null;
        };
    }

    @FunctionalInterface
    private interface Factory<T> {
        T make() throws IOException;
    }

    private static <T> T create(Factory<T> f) {
        try {
            return f.make();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
