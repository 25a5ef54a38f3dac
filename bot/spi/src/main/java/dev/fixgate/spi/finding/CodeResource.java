package dev.fixgate.spi.finding;

import java.util.Objects;

/**
 * A resource named by its code: the block in an IaC file that a scanner flagged.
 *
 * @param repo    repository ({@code owner/name}); empty when the scan did not say which
 * @param path    file path relative to the repository root, with forward slashes
 * @param address Terraform address ({@code module.x.aws_s3_bucket.logs}) or CloudFormation logical id; empty
 *                when the scanner only gave a line
 * @param type    resource type ({@code aws_s3_bucket}, {@code AWS::S3::Bucket}); empty when unknown
 * @param line    1-based line the scanner pointed at, 0 when unknown
 */
public record CodeResource(String repo, String path, String address, String type, int line) implements ResourceRef {

    public CodeResource {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        if (path.isBlank()) {
            throw new IllegalArgumentException("a code resource needs a path");
        }
        if (path.contains("\\")) {
            throw new IllegalArgumentException("paths use forward slashes: " + path);
        }
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0");
        }
    }

    /** Keyed by the block's address when known (stable when lines move), else by line. */
    @Override
    public String key() {
        return "code:" + repo + ":" + path + ":" + (address.isEmpty() ? "L" + line : address);
    }
}
