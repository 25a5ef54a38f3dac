package dev.fixgate.app.enrich;

import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.Finding;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The deployed resource a finding's fix is about, for the collectors. A cloud finding names it; a code finding
 * names only a block, so the target comes from what the code itself says — a literal bucket name, say — and is
 * missing (with the reason) when the code leaves the name to the cloud (a generated id, a variable).
 */
public final class Targets {

    /** The target, or why there is none, and what the code knows (hints for the collectors). */
    public record Target(Optional<CloudResource> resource, String why, Map<String, String> hints) {
        public Target {
            hints = Map.copyOf(hints);
        }
    }

    private Targets() {
    }

    public static Target of(Finding finding, ModelResource code) {
        Map<String, String> hints = new LinkedHashMap<>();
        hints.put(code.format() + "_type", code.type());
        hints.put("address", code.address());
        hints.put("file", code.file());
        literal(code, "bucket", "BucketName", "name", "Name", "FunctionName", "DBInstanceIdentifier",
                "identifier", "function_name").ifPresent(n -> hints.put("name", n));
        if (finding.resource() instanceof CloudResource c) {
            return new Target(Optional.of(c), "", hints);
        }
        Optional<CloudResource> derived = fromCode(code);
        return new Target(derived, derived.isPresent() ? "" : "the finding names only the code ("
                + code.address() + "), and the code does not name the deployed resource; a cloud finding of it, or "
                + "Terraform state, would", hints);
    }

    /** The deployed resource a block names by a literal, for the types whose name is their identity. */
    static Optional<CloudResource> fromCode(ModelResource code) {
        return switch (code.type()) {
            case "aws_s3_bucket" -> literal(code, "bucket").map(Targets::bucket);
            case "AWS::S3::Bucket" -> literal(code, "BucketName").map(Targets::bucket);
            case "google_storage_bucket" -> literal(code, "name").map(n -> new CloudResource(Cloud.GCP,
                    literal(code, "project").orElse(""), literal(code, "location").orElse(""),
                    "storage.googleapis.com/Bucket", "//storage.googleapis.com/projects/_/buckets/" + n));
            default -> Optional.empty();
        };
    }

    private static CloudResource bucket(String name) {
        return new CloudResource(Cloud.AWS, "", "", "AwsS3Bucket", "arn:aws:s3:::" + name);
    }

    /** The first of {@code keys} whose value is a literal string (not an unresolved {@code ${...}}). */
    private static Optional<String> literal(ModelResource code, String... keys) {
        for (String k : keys) {
            if (code.body().get(k) instanceof String s && !s.isBlank() && !s.contains("${")) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
