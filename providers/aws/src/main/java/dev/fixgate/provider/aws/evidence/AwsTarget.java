package dev.fixgate.provider.aws.evidence;

import dev.fixgate.provider.common.resource.Arn;
import dev.fixgate.spi.finding.CloudResource;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a finding's resource is on AWS, parsed from its ARN first and from its type and the code's hints only when
 * there is no ARN: the finding tools name types in three spellings ({@code AwsS3Bucket}, {@code AWS::S3::Bucket},
 * {@code aws_s3_bucket}), and some give a bare name or id.
 *
 * @param type      what it is
 * @param id        its native id: bucket name, {@code i-…}, {@code sg-…}, DB identifier, function name, trail name,
 *                  key id, load balancer ARN, repository name, user or role name, log group name; empty for an account
 * @param arn       its ARN when known, else empty
 * @param account   the account; empty when unknown (then the default account)
 * @param region    the region; empty when unknown (then the configured regions, or a global service)
 * @param partition {@code aws}, {@code aws-cn}, {@code aws-us-gov}
 */
record AwsTarget(Type type, String id, String arn, String account, String region, String partition) {

    enum Type {
        S3_BUCKET, EC2_INSTANCE, LAUNCH_TEMPLATE, SECURITY_GROUP, EBS_VOLUME, EBS_SNAPSHOT, AMI, VPC, LOAD_BALANCER,
        ECR_REPOSITORY, IAM_USER, IAM_ROLE, KMS_KEY, TRAIL, LAMBDA_FUNCTION, RDS_INSTANCE, RDS_CLUSTER, LOG_GROUP,
        REDSHIFT_CLUSTER, SNS_TOPIC, DYNAMODB_TABLE,
        /** An account-wide setting: the account itself, its password policy, EBS encryption by default, S3 BPA. */
        ACCOUNT,
        UNKNOWN;

        /** Whether the resource lives in no region (S3 bucket names and IAM are global; S3 buckets still have a home). */
        boolean global() {
            return this == IAM_USER || this == IAM_ROLE || this == ACCOUNT;
        }
    }

    /** Parses a finding's resource; {@code hints} may name it when the id does not ({@code name}, {@code arn}…). */
    static AwsTarget of(CloudResource r, Map<String, String> hints) {
        String id = r.id().strip();
        Optional<Arn> arn = Arn.parse(id);
        if (arn.isEmpty() && hints.containsKey("arn")) {
            arn = Arn.parse(hints.get("arn"));
        }
        if (arn.isPresent()) {
            AwsTarget t = fromArn(arn.get());
            if (t.type != Type.UNKNOWN) {
                String account = !t.account.isEmpty() ? t.account : r.account();
                String region = !t.region.isEmpty() ? t.region : r.region();
                return new AwsTarget(t.type, t.id, t.arn, account, region, t.partition);
            }
        }
        return fromType(id, normalise(r.type()), hints, r.account(), r.region());
    }

    static AwsTarget fromArn(Arn a) {
        String res = a.resource();
        String p = a.partition();
        String s = a.service();
        Type type = Type.UNKNOWN;
        String id = res;
        switch (s) {
            case "s3" -> {
                if (!res.contains("/")) {
                    type = Type.S3_BUCKET;
                }
            }
            case "ec2" -> {
                String[][] map = {{"instance/", "EC2_INSTANCE"}, {"security-group/", "SECURITY_GROUP"},
                    {"volume/", "EBS_VOLUME"}, {"snapshot/", "EBS_SNAPSHOT"}, {"image/", "AMI"}, {"vpc/", "VPC"},
                    {"launch-template/", "LAUNCH_TEMPLATE"}};
                for (String[] m : map) {
                    if (res.startsWith(m[0])) {
                        type = Type.valueOf(m[1]);
                        id = res.substring(m[0].length());
                    }
                }
            }
            case "elasticloadbalancing" -> {
                if (res.startsWith("loadbalancer/")) {
                    type = Type.LOAD_BALANCER;
                    id = a.toString();
                }
            }
            case "ecr" -> {
                if (res.startsWith("repository/")) {
                    type = Type.ECR_REPOSITORY;
                    id = res.substring("repository/".length());
                }
            }
            case "iam" -> {
                if (res.equals("root")) {
                    type = Type.ACCOUNT;
                    id = "";
                } else if (res.startsWith("user/")) {
                    type = Type.IAM_USER;
                    id = res.substring(res.lastIndexOf('/') + 1);
                } else if (res.startsWith("role/")) {
                    type = Type.IAM_ROLE;
                    id = res.substring(res.lastIndexOf('/') + 1);
                }
            }
            case "kms" -> {
                if (res.startsWith("key/")) {
                    type = Type.KMS_KEY;
                    id = res.substring("key/".length());
                }
            }
            case "cloudtrail" -> {
                if (res.startsWith("trail/")) {
                    type = Type.TRAIL;
                    id = res.substring("trail/".length());
                }
            }
            case "lambda" -> {
                if (res.startsWith("function:")) {
                    type = Type.LAMBDA_FUNCTION;
                    String rest = res.substring("function:".length());
                    id = rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest;
                }
            }
            case "logs" -> {
                if (res.startsWith("log-group:")) {
                    type = Type.LOG_GROUP;
                    id = res.substring("log-group:".length());
                    int stream = id.indexOf(":log-stream:");
                    id = stream >= 0 ? id.substring(0, stream) : id.endsWith(":*") ? id.substring(0, id.length() - 2) : id;
                }
            }
            case "rds" -> {
                if (res.startsWith("db:")) {
                    type = Type.RDS_INSTANCE;
                    id = res.substring(3);
                } else if (res.startsWith("cluster:")) {
                    type = Type.RDS_CLUSTER;
                    id = res.substring(8);
                }
            }
            case "dynamodb" -> {
                if (res.startsWith("table/") && !res.substring("table/".length()).contains("/")) {
                    type = Type.DYNAMODB_TABLE;
                    id = res.substring("table/".length());
                }
            }
            case "sns" -> {
                if (!res.isEmpty() && !res.contains(":") && !res.contains("/")) {
                    type = Type.SNS_TOPIC;
                }
            }
            case "redshift" -> {
                if (res.startsWith("cluster:")) {
                    type = Type.REDSHIFT_CLUSTER;
                    id = res.substring("cluster:".length());
                }
            }
            default -> {
            }
        }
        return new AwsTarget(type, id, a.toString(), a.account(), a.region(), p);
    }

    private static AwsTarget fromType(String id, String type, Map<String, String> hints, String account, String region) {
        String name = id;
        if (name.isEmpty() || name.contains(" ")) {
            name = hints.getOrDefault("name", "");
        }
        Type t = Type.UNKNOWN;
        if (name.startsWith("i-")) {
            t = Type.EC2_INSTANCE;
        } else if (name.startsWith("sg-")) {
            t = Type.SECURITY_GROUP;
        } else if (name.startsWith("vol-")) {
            t = Type.EBS_VOLUME;
        } else if (name.startsWith("snap-")) {
            t = Type.EBS_SNAPSHOT;
        } else if (name.startsWith("ami-")) {
            t = Type.AMI;
        } else if (name.startsWith("vpc-")) {
            t = Type.VPC;
        } else if (name.startsWith("lt-")) {
            t = Type.LAUNCH_TEMPLATE;
        } else if (type.contains("s3bucket") && !type.contains("publicaccessblock") && !type.contains("policy")
                || type.equals("awss3bucketpublicaccessblock") && hints.containsKey("bucket")) {
            t = Type.S3_BUCKET;
            name = hints.getOrDefault("bucket", name);
        } else if (type.contains("lambdapermission") || type.contains("lambdafunction")) {
            t = Type.LAMBDA_FUNCTION;
            name = hints.getOrDefault("function_name", name);
        } else if (type.contains("loggroup")) {
            t = Type.LOG_GROUP;
        } else if (type.contains("dbinstance")) {
            t = Type.RDS_INSTANCE;
        } else if (type.contains("rdscluster") || type.contains("dbcluster")) {
            t = Type.RDS_CLUSTER;
        } else if (type.contains("redshiftcluster") && !type.contains("parametergroup") && !type.contains("subnetgroup")
                && !type.contains("securitygroup") && !type.contains("snapshot")) {
            t = Type.REDSHIFT_CLUSTER;
        } else if (type.contains("dynamodbtable")) {
            t = Type.DYNAMODB_TABLE;
        } else if (type.contains("snstopic") && !type.contains("subscription")) {
            t = Type.SNS_TOPIC;
        } else if (type.contains("ecrrepository")) {
            t = Type.ECR_REPOSITORY;
        } else if (type.contains("cloudtrail")) {
            t = Type.TRAIL;
        } else if (type.contains("kmskey")) {
            t = Type.KMS_KEY;
        } else if (type.equals("awsiamuser")) {
            t = Type.IAM_USER;
        } else if (type.equals("awsiamrole")) {
            t = Type.IAM_ROLE;
        } else if (type.equals("awslb") || type.equals("awsalb") || type.contains("elbv2loadbalancer")
                || type.contains("elasticloadbalancingv2loadbalancer")) {
            t = Type.LOAD_BALANCER;
        } else if (type.contains("account") || type.contains("passwordpolicy") || type.contains("encryptionbydefault")
                || type.contains("defaultencryption")) {
            t = Type.ACCOUNT;
            name = "";
        }
        if (t == Type.ACCOUNT) {
            name = "";
        }
        return new AwsTarget(t, name, "", account, region, region.startsWith("cn-") ? "aws-cn"
                : region.startsWith("us-gov-") ? "aws-us-gov" : "aws");
    }

    static String normalise(String type) {
        StringBuilder sb = new StringBuilder(type.length());
        for (char c : type.toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    AwsTarget inRegion(String r) {
        return new AwsTarget(type, id, arn, account, r, partition);
    }

    AwsTarget inAccount(String a) {
        return new AwsTarget(type, id, arn, a, region, partition);
    }
}
