package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.ProviderSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.redshift.RedshiftClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The SDK clients, one per service, account and region, built on first use and kept. Credentials: the base identity
 * (the SDK's default chain unless the provider was given another) for accounts without a role; for an account with
 * a role ({@code ProviderSettings.accounts}), STS AssumeRole with its external id, refreshed by the SDK before the
 * session expires. Endpoints: {@code ProviderSettings.endpoints} by service ({@code s3}, {@code ec2},
 * {@code monitoring} or {@code cloudwatch}, {@code logs}, {@code cloudtrail}, {@code iam}, {@code sts}, {@code rds},
 * {@code elasticloadbalancing} or {@code elbv2}, {@code kms}, {@code lambda}, {@code ecr}, {@code redshift}, {@code sns}, {@code dynamodb}; {@code *} for all). Retries:
 * the SDK's standard strategy, exponential backoff with jitter (longer for throttling), at most
 * {@code retry.max_attempts} attempts, and never past the resource's budget (each call gets the budget left as its
 * API-call timeout).
 */
final class AwsClients implements AutoCloseable {

    private final ProviderSettings settings;
    private final AwsCredentialsProvider base;
    private final SdkHttpClient http;
    private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();
    private final Map<String, AwsCredentialsProvider> credentials = new ConcurrentHashMap<>();

    AwsClients(ProviderSettings settings, AwsCredentialsProvider base) {
        this.settings = settings;
        this.base = base;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofMillis(option("http.connect_timeout_ms", 5_000)))
                .socketTimeout(Duration.ofMillis(option("http.read_timeout_ms", 30_000)))
                .build();
    }

    long option(String name, long dflt) {
        String v = settings.options().get(name);
        return v == null || v.isBlank() ? dflt : Long.parseLong(v.strip());
    }

    String option(String name, String dflt) {
        return settings.options().getOrDefault(name, dflt);
    }

    ProviderSettings settings() {
        return settings;
    }

    /** The role used for {@code account}, for provenance; empty for the base identity. */
    String roleOf(String account) {
        return settings.account(account).map(ProviderSettings.AccountAccess::role).orElse("");
    }

    /** The account to use when the resource does not say. */
    String defaultAccount() {
        return settings.accounts().isEmpty() ? "" : settings.accounts().get(0).account();
    }

    private AwsCredentialsProvider credentials(String account) {
        Optional<ProviderSettings.AccountAccess> access = settings.account(account);
        if (access.isEmpty() || access.get().role().isBlank()) {
            return base;
        }
        return credentials.computeIfAbsent(account, a -> {
            ProviderSettings.AccountAccess x = access.get();
            StsClient sts = client("sts", "", stsRegion(), StsClient.builder(), null);
            return StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                    .refreshRequest(r -> {
                        r.roleArn(x.role()).roleSessionName(option("sts.session_name", "fixgate-evidence"))
                                .durationSeconds((int) option("sts.duration_seconds", 3600));
                        if (!x.externalId().isBlank()) {
                            r.externalId(x.externalId());
                        }
                    })
                    .asyncCredentialUpdateEnabled(false).build();
        });
    }

    private String stsRegion() {
        return settings.regions().isEmpty() ? "us-east-1" : settings.regions().get(0);
    }

    S3Client s3(String account, String region) {
        return client("s3", account, region, S3Client.builder().forcePathStyle(endpoint("s3").isPresent()), null);
    }

    Ec2Client ec2(String account, String region) {
        return client("ec2", account, region, Ec2Client.builder(), null);
    }

    CloudWatchClient cloudWatch(String account, String region) {
        return client("monitoring", account, region, CloudWatchClient.builder(), "cloudwatch");
    }

    CloudWatchLogsClient logs(String account, String region) {
        return client("logs", account, region, CloudWatchLogsClient.builder(), null);
    }

    CloudTrailClient cloudTrail(String account, String region) {
        return client("cloudtrail", account, region, CloudTrailClient.builder(), null);
    }

    IamClient iam(String account) {
        return client("iam", account, "aws-global", IamClient.builder(), null);
    }

    RdsClient rds(String account, String region) {
        return client("rds", account, region, RdsClient.builder(), null);
    }

    ElasticLoadBalancingV2Client elb(String account, String region) {
        return client("elasticloadbalancing", account, region, ElasticLoadBalancingV2Client.builder(), "elbv2");
    }

    KmsClient kms(String account, String region) {
        return client("kms", account, region, KmsClient.builder(), null);
    }

    LambdaClient lambda(String account, String region) {
        return client("lambda", account, region, LambdaClient.builder(), null);
    }

    EcrClient ecr(String account, String region) {
        return client("ecr", account, region, EcrClient.builder(), null);
    }

    RedshiftClient redshift(String account, String region) {
        return client("redshift", account, region, RedshiftClient.builder(), null);
    }

    SnsClient sns(String account, String region) {
        return client("sns", account, region, SnsClient.builder(), null);
    }

    DynamoDbClient dynamoDb(String account, String region) {
        return client("dynamodb", account, region, DynamoDbClient.builder(), null);
    }

    private Optional<String> endpoint(String service) {
        return settings.endpoint(service).or(() -> settings.endpoint("*"));
    }

    @SuppressWarnings("unchecked")
    private <C extends SdkClient, B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>> C client(
            String service, String account, String region, B builder, String alias) {
        String key = service + "|" + account + "|" + region;
        return (C) clients.computeIfAbsent(key, k -> {
            Optional<String> endpoint = endpoint(service).or(() -> alias == null ? Optional.empty() : settings.endpoint(alias));
            endpoint.ifPresent(e -> builder.endpointOverride(URI.create(e)));
            builder.region(Region.of(region.equals("aws-global") && endpoint.isPresent() ? "us-east-1" : region));
            builder.credentialsProvider(service.equals("sts") ? base : credentials(account));
            builder.httpClient(http);
            builder.overrideConfiguration(overrides());
            return builder.build();
        });
    }

    private ClientOverrideConfiguration overrides() {
        Duration base = Duration.ofMillis(option("retry.base_delay_ms", 100));
        Duration throttleBase = Duration.ofMillis(option("retry.throttle_base_delay_ms", 500));
        Duration max = Duration.ofMillis(option("retry.max_delay_ms", 10_000));
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts((int) option("retry.max_attempts", 6))
                        .backoffStrategy(BackoffStrategy.exponentialDelay(base, max))
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(throttleBase, max))
                        .circuitBreakerEnabled(false)
                        .build())
                .build();
    }

    @Override
    public void close() {
        clients.values().forEach(SdkClient::close);
        clients.clear();
        http.close();
    }
}
