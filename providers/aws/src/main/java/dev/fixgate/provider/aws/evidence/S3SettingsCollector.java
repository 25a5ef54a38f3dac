package dev.fixgate.provider.aws.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetBucketPolicyResponse;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.GetPublicAccessBlockResponse;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;

/**
 * A bucket's settings as S3 reports them now: the state the S3 playbooks' fixes set, read back after a fix is
 * deployed (the verify stage asks these kinds with fresh reads).
 *
 * <ul>
 *   <li>{@code s3.secure_transport_enforced} ({@code GetBucketPolicy}): true when a statement denies every S3 action
 *       ({@code s3:*} or {@code *}) to everyone ({@code "*"} or {@code {"AWS": "*"}}) on the bucket or its objects
 *       under {@code Bool}/{@code BoolIfExists} {@code aws:SecureTransport = false} — the statement Security Hub's S3.5
 *       looks for. No policy ({@code NoSuchBucketPolicy}) is false. Statements with {@code NotAction},
 *       {@code NotPrincipal} or {@code NotResource} are not counted (what they cover cannot be told without the
 *       whole catalog of actions), which can only make the answer false when it might be true.</li>
 *   <li>{@code s3.public_access_blocked} ({@code GetPublicAccessBlock}): true when the bucket's four Block Public
 *       Access settings are all on; no configuration ({@code NoSuchPublicAccessBlockConfiguration}) is false. The
 *       account-level settings (S3 Control) are not read: this is about the bucket's own configuration, which is what
 *       the fix changes.</li>
 *   <li>{@code s3.versioning_enabled} ({@code GetBucketVersioning}): true when the status is {@code Enabled}; a bucket
 *       never versioned (no status) or {@code Suspended} is false.</li>
 * </ul>
 */
final class S3SettingsCollector extends AwsCollector {

    static final String SECURE_TRANSPORT = "s3.secure_transport_enforced";
    static final String PUBLIC_ACCESS_BLOCKED = "s3.public_access_blocked";
    static final String VERSIONING = "s3.versioning_enabled";

    S3SettingsCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.s3.settings";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(SECURE_TRANSPORT, PUBLIC_ACCESS_BLOCKED, VERSIONING);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.S3_BUCKET);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("s3:ListBucket", "HeadBucket", "find the bucket's region"),
                read("s3:GetBucketPolicy", "GetBucketPolicy", "whether the bucket policy denies requests without TLS"),
                read("s3:GetBucketPublicAccessBlock", "GetPublicAccessBlock",
                        "whether the bucket's four Block Public Access settings are on"),
                read("s3:GetBucketVersioning", "GetBucketVersioning", "whether the bucket's versioning is enabled"));
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        if (ctx.target.type() != AwsTarget.Type.S3_BUCKET) {
            throw new Unavailable("not a bucket", "");
        }
        String bucket = ctx.target.id();
        String region = ctx.memo("region", () -> S3Collector.bucketRegion(ctx, bucket));
        S3Client s3 = clients.s3(ctx.account(), region);
        return switch (kind) {
            case SECURE_TRANSPORT -> {
                Optional<GetBucketPolicyResponse> policy = ctx.optional("s3:GetBucketPolicy",
                        () -> s3.getBucketPolicy(b -> b.bucket(bucket).overrideConfiguration(ctx.budget::apply)),
                        "NoSuchBucketPolicy");
                yield ctx.value(SECURE_TRANSPORT, policy.map(p -> deniesInsecureTransport(p.policy(), bucket))
                        .orElse(false), "s3:GetBucketPolicy");
            }
            case PUBLIC_ACCESS_BLOCKED -> {
                Optional<GetPublicAccessBlockResponse> bpa = ctx.optional("s3:GetBucketPublicAccessBlock",
                        () -> s3.getPublicAccessBlock(b -> b.bucket(bucket).overrideConfiguration(ctx.budget::apply)),
                        "NoSuchPublicAccessBlockConfiguration");
                yield ctx.value(PUBLIC_ACCESS_BLOCKED, bpa.map(r -> allOn(r.publicAccessBlockConfiguration()))
                        .orElse(false), "s3:GetBucketPublicAccessBlock");
            }
            case VERSIONING -> {
                GetBucketVersioningResponse v = ctx.call("s3:GetBucketVersioning",
                        () -> s3.getBucketVersioning(b -> b.bucket(bucket).overrideConfiguration(ctx.budget::apply)));
                yield ctx.value(VERSIONING, "Enabled".equals(v.statusAsString()), "s3:GetBucketVersioning");
            }
            default -> throw new Unavailable("not answered by " + id(), "");
        };
    }

    private static boolean allOn(PublicAccessBlockConfiguration c) {
        return c != null && Boolean.TRUE.equals(c.blockPublicAcls()) && Boolean.TRUE.equals(c.ignorePublicAcls())
                && Boolean.TRUE.equals(c.blockPublicPolicy()) && Boolean.TRUE.equals(c.restrictPublicBuckets());
    }

    /** Whether {@code policy} has a statement denying every S3 request to {@code bucket} made without TLS. */
    static boolean deniesInsecureTransport(String policy, String bucket) {
        JsonNode statements = Policies.parse(policy).path("Statement");
        List<JsonNode> all = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(all::add);
        } else if (statements.isObject()) {
            all.add(statements);
        }
        for (JsonNode st : all) {
            if (!st.path("Effect").asText("").equals("Deny") || st.has("NotAction") || st.has("NotPrincipal")
                    || st.has("NotResource")) {
                continue;
            }
            JsonNode p = st.path("Principal");
            boolean everyone = p.isTextual() && p.asText().equals("*") || Policies.has(p.path("AWS"), "*");
            boolean everyAction = values(st.path("Action")).stream()
                    .anyMatch(a -> a.equals("*") || a.equalsIgnoreCase("s3:*"));
            boolean onTheBucket = values(st.path("Resource")).stream()
                    .anyMatch(r -> glob(r, "arn:aws:s3:::" + bucket) || glob(r, "arn:aws:s3:::" + bucket + "/*"));
            if (everyone && everyAction && onTheBucket && insecureTransportCondition(st.path("Condition"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code Bool} or {@code BoolIfExists} with {@code aws:SecureTransport} (keys are case-insensitive) false. */
    private static boolean insecureTransportCondition(JsonNode condition) {
        for (Iterator<Map.Entry<String, JsonNode>> ops = condition.fields(); ops.hasNext(); ) {
            Map.Entry<String, JsonNode> op = ops.next();
            if (!op.getKey().equals("Bool") && !op.getKey().equals("BoolIfExists")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> key = keys.next();
                if (key.getKey().toLowerCase(Locale.ROOT).equals("aws:securetransport")
                        && values(key.getValue()).stream().anyMatch(v -> v.equalsIgnoreCase("false"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText("")));
        } else if (!node.isMissingNode() && !node.isNull()) {
            out.add(node.asText(""));
        }
        return out;
    }

    /** IAM's resource matching: {@code *} any run of characters, {@code ?} one. */
    private static boolean glob(String pattern, String value) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString()).matcher(value).matches();
    }
}
