package dev.fixgate.provider.common.resource;

import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Canonical cloud resource references, shared by every parser so that the same resource has the same
 * {@link CloudResource#key()} whichever tool reported it.
 *
 * <ul>
 *   <li>AWS: the ARN is the id. A bare name or id is turned into its ARN when its type says how (an S3 bucket
 *       name becomes {@code arn:<partition>:s3:::<name>}, {@code i-…} an EC2 instance ARN, …); Security Hub's
 *       account pseudo-id {@code AWS::::Account:<id>} and a bare account id become the account's root ARN
 *       {@code arn:<partition>:iam::<id>:root}, the form Prowler uses. Account and region come from the ARN when
 *       the record lacks them.</li>
 *   <li>Azure: the resource id ({@code /subscriptions/…}) without a trailing slash; the subscription comes from
 *       it. Keys are lower-cased by {@link CloudResource#key()} because Azure ids are case-insensitive.</li>
 *   <li>GCP: the full resource name ({@code //service.googleapis.com/projects/p/…}); the project comes from it.</li>
 * </ul>
 */
public final class CloudResources {

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final String SECURITY_HUB_ACCOUNT = "AWS::::Account:";

    /** Builds the ARN of a named resource: partition, region, account, name → ARN. */
    @FunctionalInterface
    private interface ArnTemplate {
        String arn(String partition, String region, String account, String name);
    }

    /**
     * Resource types (normalised: lower case, letters and digits only, so that ASFF {@code AwsS3Bucket},
     * CloudFormation {@code AWS::S3::Bucket} and Terraform {@code aws_s3_bucket} meet) whose ARN follows from a
     * name, region and account. Only types with one unambiguous ARN form are listed.
     */
    private static final Map<String, ArnTemplate> TEMPLATES = Map.ofEntries(
            Map.entry("awss3bucket", (p, r, a, n) -> "arn:" + p + ":s3:::" + n),
            Map.entry("awsrdsdbinstance", (p, r, a, n) -> "arn:" + p + ":rds:" + r + ":" + a + ":db:" + n),
            Map.entry("awsdbinstance", (p, r, a, n) -> "arn:" + p + ":rds:" + r + ":" + a + ":db:" + n),
            Map.entry("awsrdsdbcluster", (p, r, a, n) -> "arn:" + p + ":rds:" + r + ":" + a + ":cluster:" + n),
            Map.entry("awsrdscluster", (p, r, a, n) -> "arn:" + p + ":rds:" + r + ":" + a + ":cluster:" + n),
            Map.entry("awslambdafunction", (p, r, a, n) -> "arn:" + p + ":lambda:" + r + ":" + a + ":function:" + n),
            Map.entry("awssqsqueue", (p, r, a, n) -> "arn:" + p + ":sqs:" + r + ":" + a + ":" + n),
            Map.entry("awssnstopic", (p, r, a, n) -> "arn:" + p + ":sns:" + r + ":" + a + ":" + n),
            Map.entry("awscloudtrailtrail", (p, r, a, n) -> "arn:" + p + ":cloudtrail:" + r + ":" + a + ":trail/" + n),
            Map.entry("awscloudtrail", (p, r, a, n) -> "arn:" + p + ":cloudtrail:" + r + ":" + a + ":trail/" + n),
            Map.entry("awsdynamodbtable", (p, r, a, n) -> "arn:" + p + ":dynamodb:" + r + ":" + a + ":table/" + n),
            Map.entry("awsredshiftcluster", (p, r, a, n) -> "arn:" + p + ":redshift:" + r + ":" + a + ":cluster:" + n),
            Map.entry("awskmskey", (p, r, a, n) -> "arn:" + p + ":kms:" + r + ":" + a + ":key/" + n),
            Map.entry("awsiamuser", (p, r, a, n) -> "arn:" + p + ":iam::" + a + ":user/" + n),
            Map.entry("awsiamrole", (p, r, a, n) -> "arn:" + p + ":iam::" + a + ":role/" + n));

    /** EC2 ids carry their type in a prefix, whatever type name the tool used. */
    private static final Map<String, String> EC2_PREFIXES = Map.of(
            "i-", "instance/",
            "sg-", "security-group/",
            "vpc-", "vpc/",
            "subnet-", "subnet/",
            "vol-", "volume/",
            "eni-", "network-interface/");

    private CloudResources() {
    }

    /** The canonical reference for a resource of {@code cloud}; see the class comment for the rules. */
    public static CloudResource of(Cloud cloud, String id, String type, String account, String region,
                                   String partition) {
        return switch (cloud) {
            case AWS -> aws(id, type, account, region, partition);
            case AZURE -> azure(id, type, account, region);
            case GCP -> gcp(id, type, account, region);
            case UNKNOWN -> new CloudResource(Cloud.UNKNOWN, account.strip(), region.strip(), type, id.strip());
        };
    }

    /** AWS: see the class comment. {@code partition} may be empty (then from the region, else {@code aws}). */
    public static CloudResource aws(String id, String type, String account, String region, String partition) {
        String raw = id.strip();
        String acct = account.strip();
        String reg = region.strip();
        String part = partition.isBlank() ? partitionOf(reg) : partition.strip();
        String arn = raw;
        if (raw.startsWith(SECURITY_HUB_ACCOUNT)) {
            String accountId = raw.substring(SECURITY_HUB_ACCOUNT.length());
            arn = "arn:" + part + ":iam::" + accountId + ":root";
        } else if (ACCOUNT_ID.matcher(raw).matches() && normalise(type).equals("awsaccount")) {
            arn = "arn:" + part + ":iam::" + raw + ":root";
        } else if (!raw.startsWith("arn:")) {
            arn = arnFromName(raw, type, acct, reg, part);
        }
        var parsed = Arn.parse(arn);
        if (parsed.isPresent()) {
            Arn a = parsed.get();
            if (acct.isEmpty()) {
                acct = a.account();
            }
            if (reg.isEmpty()) {
                reg = a.region();
            }
        }
        return new CloudResource(Cloud.AWS, acct, reg, type, arn);
    }

    private static String arnFromName(String name, String type, String account, String region, String partition) {
        for (var prefix : EC2_PREFIXES.entrySet()) {
            if (name.startsWith(prefix.getKey()) && !account.isEmpty() && !region.isEmpty()) {
                return "arn:" + partition + ":ec2:" + region + ":" + account + ":" + prefix.getValue() + name;
            }
        }
        ArnTemplate template = TEMPLATES.get(normalise(type));
        if (template == null || name.isEmpty() || name.contains(" ")) {
            return name;
        }
        boolean global = normalise(type).equals("awss3bucket") || normalise(type).startsWith("awsiam");
        if ((!global && region.isEmpty()) || (!normalise(type).equals("awss3bucket") && account.isEmpty())) {
            return name;
        }
        return template.arn(partition, region, account, name);
    }

    /** Azure: the resource id is the identity; subscription from the id when the record lacks it. */
    public static CloudResource azure(String id, String type, String subscription, String location) {
        String raw = id.strip();
        while (raw.endsWith("/") && raw.length() > 1) {
            raw = raw.substring(0, raw.length() - 1);
        }
        String sub = subscription.strip();
        String lower = raw.toLowerCase(Locale.ROOT);
        if (sub.isEmpty() && lower.startsWith("/subscriptions/")) {
            int end = raw.indexOf('/', "/subscriptions/".length());
            sub = end < 0 ? raw.substring("/subscriptions/".length()) : raw.substring("/subscriptions/".length(), end);
        }
        return new CloudResource(Cloud.AZURE, sub, location.strip(), type, raw);
    }

    /** GCP: the full resource name is the identity; project from it when the record lacks it. */
    public static CloudResource gcp(String id, String type, String project, String region) {
        String raw = id.strip();
        String proj = project.strip();
        int at = raw.indexOf("/projects/");
        if (proj.isEmpty() && at >= 0) {
            int start = at + "/projects/".length();
            int end = raw.indexOf('/', start);
            proj = end < 0 ? raw.substring(start) : raw.substring(start, end);
        }
        return new CloudResource(Cloud.GCP, proj, region.strip(), type, raw);
    }

    /** {@code aws}, {@code aws-cn} or {@code aws-us-gov}, from a region name. */
    public static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    /** The cloud a provider name denotes: {@code aws}, {@code AWS}, {@code azure}, {@code Azure}, {@code gcp}, {@code GCP}, {@code google}. */
    public static Cloud cloudOf(String provider) {
        String p = provider.strip().toLowerCase(Locale.ROOT);
        if (p.startsWith("aws") || p.equals("amazon")) {
            return Cloud.AWS;
        }
        if (p.startsWith("azure") || p.equals("microsoft")) {
            return Cloud.AZURE;
        }
        if (p.equals("gcp") || p.startsWith("google")) {
            return Cloud.GCP;
        }
        return Cloud.UNKNOWN;
    }

    /** Guesses the cloud from an id when the record does not say: ARN, Azure id or GCP full name. */
    public static Cloud cloudOfId(String id) {
        String s = id.strip();
        if (s.startsWith("arn:") || s.startsWith(SECURITY_HUB_ACCOUNT)) {
            return Cloud.AWS;
        }
        if (s.toLowerCase(Locale.ROOT).startsWith("/subscriptions/")) {
            return Cloud.AZURE;
        }
        if (s.startsWith("//") && s.contains(".googleapis.com/")) {
            return Cloud.GCP;
        }
        return Cloud.UNKNOWN;
    }

    static String normalise(String type) {
        StringBuilder sb = new StringBuilder(type.length());
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }
}
