package dev.fixgate.spi.finding;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A deployed cloud resource.
 *
 * @param cloud   which cloud
 * @param account AWS account id, Azure subscription id or GCP project id; empty when the source does not say
 * @param region  region or location; empty for global resources or when unknown
 * @param type    resource type as the source names it ({@code AwsS3Bucket}, {@code Microsoft.Storage/storageAccounts})
 * @param id      the native identifier: an ARN, an Azure resource id, a GCP full resource name
 * @param tags    the resource's tags as the source reported them (ASFF {@code Resources[].Tags}), sorted by key;
 *                empty when it reported none. Locate reads code-to-cloud tags from them (Yor's {@code yor_trace},
 *                CloudFormation's {@code aws:cloudformation:logical-id}). Not part of the identity: {@link #key()}
 *                and so the fingerprint ignore them, because tags change while the resource stays the same.
 */
public record CloudResource(Cloud cloud, String account, String region, String type, String id,
                            Map<String, String> tags) implements ResourceRef {

    /** The most tags kept per resource (AWS allows 50 user tags; the rest are the cloud's own {@code aws:} tags). */
    public static final int MAX_TAGS = 64;

    public CloudResource {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tags, "tags");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a cloud resource needs an id");
        }
        if (tags.size() > MAX_TAGS) {
            throw new IllegalArgumentException("at most " + MAX_TAGS + " tags, got " + tags.size());
        }
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    /** A resource whose source reported no tags. */
    public CloudResource(Cloud cloud, String account, String region, String type, String id) {
        this(cloud, account, region, type, id, Map.of());
    }

    /** The same resource with {@code tags} (replacing any it had). */
    public CloudResource withTags(Map<String, String> tags) {
        return new CloudResource(cloud, account, region, type, id, tags);
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
