package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Tags, and the owner and environment they name. Each resource type's own tag read (the Resource Groups Tagging API
 * is not available to this build): {@code GetBucketTagging}, EC2 {@code DescribeTags}, ELBv2 {@code DescribeTags},
 * RDS/ECR {@code ListTagsForResource}, Lambda {@code ListTags}, IAM {@code ListUserTags}/{@code ListRoleTags}, KMS
 * {@code ListResourceTags}, CloudTrail {@code ListTags}.
 *
 * <p>{@code owner}: the first of the tags {@code tags.owner_keys} (default {@code Owner, owner, Team, team,
 * Contact}). {@code environment}: the first of {@code tags.environment_keys} (default {@code Environment,
 * environment, Env, env, Stage, stage}) whose value reads as one (prod/prd/live → production, stage/stg/preprod →
 * staging, dev/sandbox → development, test/qa/uat → test); else the account's, from the option
 * {@code environment.<account id>}; else unavailable.
 */
final class TagsCollector extends AwsCollector {

    TagsCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.tags";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(EvidenceKinds.TAGS, EvidenceKinds.OWNER, EvidenceKinds.ENVIRONMENT);
    }

    @Override
    Set<AwsTarget.Type> types() {
        Set<AwsTarget.Type> all = EnumSet.allOf(AwsTarget.Type.class);
        all.remove(AwsTarget.Type.UNKNOWN);
        return all;
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("s3:GetBucketTagging", "GetBucketTagging", "a bucket's tags"),
                read("s3:ListBucket", "HeadBucket", "find the bucket's region"),
                read("ec2:DescribeTags", "DescribeTags", "an EC2 resource's tags"),
                read("elasticloadbalancing:DescribeTags", "DescribeTags", "a load balancer's tags"),
                read("rds:ListTagsForResource", "ListTagsForResource", "a DB instance's or cluster's tags"),
                read("lambda:ListTags", "ListTags", "a function's tags"),
                read("iam:ListUserTags", "ListUserTags", "a user's tags"),
                read("iam:ListRoleTags", "ListRoleTags", "a role's tags"),
                read("kms:ListResourceTags", "ListResourceTags", "a key's tags"),
                read("cloudtrail:ListTags", "ListTags", "a trail's tags"),
                read("ecr:ListTagsForResource", "ListTagsForResource", "a repository's tags"));
    }

    private record Tags(Map<String, String> tags, String api) {
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        if (kind.equals(EvidenceKinds.ENVIRONMENT)) {
            return environment(ctx);
        }
        Tags t = ctx.memo("tags", () -> read(ctx));
        if (kind.equals(EvidenceKinds.TAGS)) {
            return ctx.value(kind, t.tags, t.api);
        }
        for (String key : keys("tags.owner_keys", "Owner,owner,Team,team,Contact")) {
            String v = t.tags.get(key);
            if (v != null && !v.isBlank()) {
                return ctx.value(kind, v, t.api);
            }
        }
        throw new Unavailable("no owner tag (" + String.join(", ", keys("tags.owner_keys", "Owner,owner,Team,team,Contact"))
                + ")", t.api);
    }

    private List<String> keys(String option, String dflt) {
        return List.of(clients.option(option, dflt).split("\\s*,\\s*"));
    }

    private Observed environment(Ctx ctx) {
        String api = "";
        String seen = "";
        if (ctx.target.type() != AwsTarget.Type.ACCOUNT) {
            try {
                Tags t = ctx.memo("tags", () -> read(ctx));
                api = t.api;
                for (String key : keys("tags.environment_keys", "Environment,environment,Env,env,Stage,stage")) {
                    String v = t.tags.get(key);
                    if (v != null) {
                        Optional<String> env = normalise(v);
                        if (env.isPresent()) {
                            return ctx.value(EvidenceKinds.ENVIRONMENT, env.get(), t.api);
                        }
                        seen = key + "=" + v;
                    }
                }
            } catch (Unavailable u) {
                seen = u.getMessage();
            }
        }
        String configured = clients.option("environment." + ctx.account(), "");
        Optional<String> env = normalise(configured);
        if (env.isPresent()) {
            return ctx.value(EvidenceKinds.ENVIRONMENT, env.get(), "configuration: environment." + ctx.account());
        }
        throw new Unavailable("no environment: " + (seen.isEmpty() ? "no environment tag" : seen + " is not one of "
                + String.join(", ", EvidenceKinds.ENVIRONMENTS)) + ", and environment." + ctx.account() + " is not configured", api);
    }

    static Optional<String> normalise(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(switch (v) {
            case "prod", "production", "prd", "live" -> "production";
            case "staging", "stage", "stg", "preprod", "pre-prod" -> "staging";
            case "dev", "development", "develop", "sandbox" -> "development";
            case "test", "testing", "qa", "uat" -> "test";
            default -> null;
        });
    }

    private Tags read(Ctx ctx) {
        AwsTarget t = ctx.target;
        String a = ctx.account();
        String r = ctx.region();
        String arnPrefix = "arn:" + t.partition() + ":";
        Map<String, String> out = new LinkedHashMap<>();
        switch (t.type()) {
            case S3_BUCKET -> {
                String region = S3Collector.bucketRegion(ctx, t.id());
                var s3 = clients.s3(a, region);
                ctx.optional("s3:GetBucketTagging", () -> s3.getBucketTagging(b -> b.bucket(t.id())
                                .overrideConfiguration(ctx.budget::apply)), "NoSuchTagSet")
                        .ifPresent(x -> x.tagSet().forEach(tag -> out.put(tag.key(), tag.value())));
                return new Tags(out, "s3:GetBucketTagging");
            }
            case EC2_INSTANCE, SECURITY_GROUP, EBS_VOLUME, EBS_SNAPSHOT, AMI, VPC, LAUNCH_TEMPLATE -> {
                var ec2 = clients.ec2(a, r);
                String token = null;
                do {
                    String tk = token;
                    var page = ctx.call("ec2:DescribeTags", () -> ec2.describeTags(b -> b
                            .filters(Filter.builder().name("resource-id").values(t.id()).build()).nextToken(tk)
                            .overrideConfiguration(ctx.budget::apply)));
                    page.tags().forEach(tag -> out.put(tag.key(), tag.value()));
                    token = page.nextToken();
                } while (token != null && !token.isEmpty());
                return new Tags(out, "ec2:DescribeTags");
            }
            case LOAD_BALANCER -> {
                String arn = ElbCollector.arn(ctx);
                var elb = clients.elb(a, r);
                ctx.call("elasticloadbalancing:DescribeTags", () -> elb.describeTags(b -> b.resourceArns(arn)
                        .overrideConfiguration(ctx.budget::apply))).tagDescriptions()
                        .forEach(d -> d.tags().forEach(tag -> out.put(tag.key(), tag.value())));
                return new Tags(out, "elasticloadbalancing:DescribeTags");
            }
            case RDS_INSTANCE, RDS_CLUSTER -> {
                String arn = arnPrefix + "rds:" + r + ":" + a + (t.type() == AwsTarget.Type.RDS_CLUSTER ? ":cluster:" : ":db:") + t.id();
                var rds = clients.rds(a, r);
                ctx.call("rds:ListTagsForResource", () -> rds.listTagsForResource(b -> b.resourceName(arn)
                        .overrideConfiguration(ctx.budget::apply))).tagList().forEach(tag -> out.put(tag.key(), tag.value()));
                return new Tags(out, "rds:ListTagsForResource");
            }
            case LAMBDA_FUNCTION -> {
                String arn = arnPrefix + "lambda:" + r + ":" + a + ":function:" + t.id();
                var lambda = clients.lambda(a, r);
                out.putAll(ctx.call("lambda:ListTags", () -> lambda.listTags(b -> b.resource(arn)
                        .overrideConfiguration(ctx.budget::apply))).tags());
                return new Tags(out, "lambda:ListTags");
            }
            case IAM_USER -> {
                var iam = clients.iam(a);
                ctx.call("iam:ListUserTags", () -> iam.listUserTags(b -> b.userName(t.id())
                        .overrideConfiguration(ctx.budget::apply))).tags().forEach(tag -> out.put(tag.key(), tag.value()));
                return new Tags(out, "iam:ListUserTags");
            }
            case IAM_ROLE -> {
                var iam = clients.iam(a);
                ctx.call("iam:ListRoleTags", () -> iam.listRoleTags(b -> b.roleName(t.id())
                        .overrideConfiguration(ctx.budget::apply))).tags().forEach(tag -> out.put(tag.key(), tag.value()));
                return new Tags(out, "iam:ListRoleTags");
            }
            case KMS_KEY -> {
                var kms = clients.kms(a, r);
                ctx.call("kms:ListResourceTags", () -> kms.listResourceTags(b -> b.keyId(t.id())
                        .overrideConfiguration(ctx.budget::apply))).tags().forEach(tag -> out.put(tag.tagKey(), tag.tagValue()));
                return new Tags(out, "kms:ListResourceTags");
            }
            case TRAIL -> {
                String arn = t.arn().isEmpty() ? arnPrefix + "cloudtrail:" + r + ":" + a + ":trail/" + t.id() : t.arn();
                var ct = clients.cloudTrail(a, r);
                ctx.call("cloudtrail:ListTags", () -> ct.listTags(b -> b.resourceIdList(arn)
                        .overrideConfiguration(ctx.budget::apply))).resourceTagList()
                        .forEach(x -> x.tagsList().forEach(tag -> out.put(tag.key(), tag.value())));
                return new Tags(out, "cloudtrail:ListTags");
            }
            case ECR_REPOSITORY -> {
                String arn = arnPrefix + "ecr:" + r + ":" + a + ":repository/" + t.id();
                var ecr = clients.ecr(a, r);
                ctx.call("ecr:ListTagsForResource", () -> ecr.listTagsForResource(b -> b.resourceArn(arn)
                        .overrideConfiguration(ctx.budget::apply))).tags().forEach(tag -> out.put(tag.key(), tag.value()));
                return new Tags(out, "ecr:ListTagsForResource");
            }
            default -> throw new Unavailable("an account has no tags fixgate can read (AWS Organizations is not available"
                    + " to this build)", "");
        }
    }
}
