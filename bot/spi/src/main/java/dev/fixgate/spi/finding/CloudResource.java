package dev.fixgate.spi.finding;

import java.util.Locale;
import java.util.Objects;

/**
 * A deployed cloud resource.
 *
 * @param cloud   which cloud
 * @param account AWS account id, Azure subscription id or GCP project id; empty when the source does not say
 * @param region  region or location; empty for global resources or when unknown
 * @param type    resource type as the source names it ({@code AwsS3Bucket}, {@code Microsoft.Storage/storageAccounts})
 * @param id      the native identifier: an ARN, an Azure resource id, a GCP full resource name
 */
public record CloudResource(Cloud cloud, String account, String region, String type, String id)
        implements ResourceRef {

    public CloudResource {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a cloud resource needs an id");
        }
    }

    /**
     * ARNs and Azure resource ids are globally unique, so the key is the id itself (Azure ids are
     * case-insensitive, so they are lower-cased). Other ids are only unique within an account.
     */
    @Override
    public String key() {
        return switch (cloud) {
            case AWS -> id.startsWith("arn:") ? id : "aws:" + account + ":" + id;
            case AZURE -> id.toLowerCase(Locale.ROOT);
            case GCP -> id.startsWith("//") ? id : "gcp:" + account + ":" + id;
            case UNKNOWN -> "unknown:" + account + ":" + id;
        };
    }
}
