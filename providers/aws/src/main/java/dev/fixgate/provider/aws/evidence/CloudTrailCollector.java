package dev.fixgate.provider.aws.evidence;

import dev.fixgate.provider.common.resource.Arn;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cloudtrail.model.Trail;

/**
 * A trail's configuration around it: the account's other multi-Region trails ({@code DescribeTrails}, shadow trails
 * included, so a multi-Region trail homed in another region counts), and whether the KMS key a fix would encrypt the
 * trail with lets CloudTrail use it ({@code kms:GetKeyPolicy}: an Allow statement for the service principal
 * {@code cloudtrail.amazonaws.com} with {@code kms:GenerateDataKey*}). The key is the resource itself when it is a
 * key, else the code's hint {@code kms_key_id} (an id or ARN), else the key the trail already names.
 */
final class CloudTrailCollector extends AwsCollector {

    static final String OTHER_TRAILS = "cloudtrail.other_multi_region_trails";
    static final String KEY_POLICY = "kms.key_policy_allows_cloudtrail";

    CloudTrailCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.cloudtrail";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(OTHER_TRAILS, KEY_POLICY);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.TRAIL, AwsTarget.Type.KMS_KEY, AwsTarget.Type.ACCOUNT);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("cloudtrail:DescribeTrails", "DescribeTrails", "the account's trails, multi-Region ones included"),
                read("kms:GetKeyPolicy", "GetKeyPolicy", "whether the key policy lets CloudTrail use the key"));
    }

    static Trail describe(AwsCollector.Ctx ctx, String name) {
        var ct = ctx.clients().cloudTrail(ctx.account(), ctx.region());
        return ctx.memo("trail|" + name, () -> ctx.call("cloudtrail:DescribeTrails", () -> ct.describeTrails(b -> b
                        .trailNameList(name).includeShadowTrails(true).overrideConfiguration(ctx.budget::apply))).trailList()
                .stream().filter(t -> t.name().equals(name) || t.trailARN().equals(name)).findFirst()
                .orElseThrow(() -> new Unavailable("the trail " + name + " does not exist in " + ctx.region(),
                        "cloudtrail:DescribeTrails")));
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        if (kind.equals(OTHER_TRAILS)) {
            var ct = clients.cloudTrail(ctx.account(), ctx.region());
            List<Trail> trails = ctx.call("cloudtrail:DescribeTrails", () -> ct.describeTrails(b -> b.includeShadowTrails(true)
                    .overrideConfiguration(ctx.budget::apply))).trailList();
            String self = ctx.target.type() == AwsTarget.Type.TRAIL ? ctx.target.id() : "";
            long others = trails.stream().filter(t -> Boolean.TRUE.equals(t.isMultiRegionTrail()))
                    .filter(t -> !t.name().equals(self) && !t.trailARN().equals(self)).count();
            return ctx.value(kind, others, "cloudtrail:DescribeTrails");
        }
        String key = ctx.target.type() == AwsTarget.Type.KMS_KEY ? ctx.target.id() : ctx.hint("kms_key_id");
        String api = "kms:GetKeyPolicy";
        if (key.isEmpty() && ctx.target.type() == AwsTarget.Type.TRAIL) {
            key = Optional.ofNullable(describe(ctx, ctx.target.id()).kmsKeyId()).orElse("");
            api = "cloudtrail:DescribeTrails, kms:GetKeyPolicy";
        }
        if (key.isEmpty()) {
            throw new Unavailable("no KMS key is named: give the fix's key as the hint kms_key_id", "");
        }
        String region = Arn.parse(key).map(Arn::region).filter(r -> !r.isEmpty()).orElse(ctx.region());
        var kms = clients.kms(ctx.account(), region);
        String k = key;
        String policy = ctx.optional("kms:GetKeyPolicy", () -> kms.getKeyPolicy(b -> b.keyId(k).policyName("default")
                .overrideConfiguration(ctx.budget::apply)).policy(), "NotFoundException")
                .orElseThrow(() -> new Unavailable("the KMS key " + k + " does not exist in " + region, "kms:GetKeyPolicy"));
        return ctx.value(kind, allowsCloudTrail(policy), api);
    }

    static boolean allowsCloudTrail(String policy) {
        return Policies.allows(policy, "kms:GenerateDataKey", "cloudtrail.amazonaws.com", "");
    }
}
