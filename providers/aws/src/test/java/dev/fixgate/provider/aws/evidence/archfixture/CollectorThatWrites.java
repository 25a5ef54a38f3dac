package dev.fixgate.provider.aws.evidence.archfixture;

import software.amazon.awssdk.services.s3.S3Client;

/** Breaks the read-only rule on purpose: a collector-like class that changes a bucket policy. */
public final class CollectorThatWrites {

    private CollectorThatWrites() {
    }

    static void fix(S3Client s3) {
        s3.putBucketPolicy(b -> b.bucket("acme-data").policy("{}"));
        s3.listObjectsV2(b -> b.bucket("acme-data"));
        s3.getBucketReplication(b -> b.bucket("acme-data"));
    }
}
