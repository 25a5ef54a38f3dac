package dev.fixgate.spi.finding;

/**
 * The thing a finding is about. Cloud-posture tools name a deployed resource ({@link CloudResource}); IaC
 * scanners name a block in a file ({@link CodeResource}). Locate links the two when it can.
 *
 * <p>{@link #key()} is the canonical identity used for fingerprints: two references with the same key are the
 * same resource. Parsers canonicalise before building a reference (for example an S3 bucket name and its ARN
 * become the same ARN), so keys are comparable across tools.
 */
public sealed interface ResourceRef permits CloudResource, CodeResource {

    /** Canonical identity; stable across tools and scans. */
    String key();

    /** The resource type in the source's vocabulary, e.g. {@code AwsS3Bucket} or {@code aws_s3_bucket}. */
    String type();
}
