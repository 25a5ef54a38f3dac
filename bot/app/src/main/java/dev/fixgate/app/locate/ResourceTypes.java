package dev.fixgate.app.locate;

import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which Terraform and CloudFormation types deploy an AWS resource type as Security Hub names it ({@code AwsS3Bucket}
 * → {@code aws_s3_bucket}, {@code AWS::S3::Bucket}), and the type an ARN implies when the finding's type is
 * generic (Security Hub reports some resources as {@code AwsAccount} or {@code Other}).
 *
 * <p>Used where an identifier alone is not enough: a state's {@code id} attribute is shared by a resource and its
 * satellites (an {@code aws_s3_bucket_versioning}'s id is its bucket's name), so an id match without an ARN match
 * counts only for a type that deploys the finding's resource. Types not listed fall back to comparing the names
 * with case and separators removed, which is how {@code AwsEcrRepository} meets {@code aws_ecr_repository}.
 */
public final class ResourceTypes {

    private record Deployed(List<String> terraform, List<String> cloudFormation) {
    }

    private static Deployed tf(String... types) {
        return new Deployed(List.of(types), List.of());
    }

    private static final Map<String, Deployed> AWS = Map.ofEntries(
            Map.entry("AwsS3Bucket", new Deployed(List.of("aws_s3_bucket"), List.of("AWS::S3::Bucket"))),
            Map.entry("AwsEc2SecurityGroup", new Deployed(List.of("aws_security_group", "aws_default_security_group"),
                    List.of("AWS::EC2::SecurityGroup"))),
            Map.entry("AwsEc2Instance", new Deployed(List.of("aws_instance"), List.of("AWS::EC2::Instance"))),
            Map.entry("AwsEc2Vpc", new Deployed(List.of("aws_vpc", "aws_default_vpc"), List.of("AWS::EC2::VPC"))),
            Map.entry("AwsEc2Subnet", new Deployed(List.of("aws_subnet", "aws_default_subnet"), List.of("AWS::EC2::Subnet"))),
            Map.entry("AwsEc2Volume", new Deployed(List.of("aws_ebs_volume"), List.of("AWS::EC2::Volume"))),
            Map.entry("AwsEc2Snapshot", tf("aws_ebs_snapshot")),
            Map.entry("AwsEc2NetworkInterface", new Deployed(List.of("aws_network_interface"),
                    List.of("AWS::EC2::NetworkInterface"))),
            Map.entry("AwsEc2Eip", new Deployed(List.of("aws_eip"), List.of("AWS::EC2::EIP"))),
            Map.entry("AwsEc2LaunchTemplate", new Deployed(List.of("aws_launch_template"), List.of("AWS::EC2::LaunchTemplate"))),
            Map.entry("AwsEc2NetworkAcl", new Deployed(List.of("aws_network_acl", "aws_default_network_acl"),
                    List.of("AWS::EC2::NetworkAcl"))),
            Map.entry("AwsEc2RouteTable", new Deployed(List.of("aws_route_table", "aws_default_route_table"),
                    List.of("AWS::EC2::RouteTable"))),
            Map.entry("AwsRdsDbInstance", new Deployed(List.of("aws_db_instance"), List.of("AWS::RDS::DBInstance"))),
            Map.entry("AwsRdsDbCluster", new Deployed(List.of("aws_rds_cluster", "aws_neptune_cluster", "aws_docdb_cluster"),
                    List.of("AWS::RDS::DBCluster", "AWS::Neptune::DBCluster", "AWS::DocDB::DBCluster"))),
            Map.entry("AwsRdsDbSnapshot", tf("aws_db_snapshot")),
            Map.entry("AwsRdsDbClusterSnapshot", tf("aws_db_cluster_snapshot", "aws_neptune_cluster_snapshot",
                    "aws_docdb_cluster_snapshot")),
            Map.entry("AwsLambdaFunction", new Deployed(List.of("aws_lambda_function"),
                    List.of("AWS::Lambda::Function", "AWS::Serverless::Function"))),
            Map.entry("AwsIamUser", new Deployed(List.of("aws_iam_user"), List.of("AWS::IAM::User"))),
            Map.entry("AwsIamRole", new Deployed(List.of("aws_iam_role"), List.of("AWS::IAM::Role"))),
            Map.entry("AwsIamGroup", new Deployed(List.of("aws_iam_group"), List.of("AWS::IAM::Group"))),
            Map.entry("AwsIamPolicy", new Deployed(List.of("aws_iam_policy"), List.of("AWS::IAM::ManagedPolicy"))),
            Map.entry("AwsKmsKey", new Deployed(List.of("aws_kms_key"), List.of("AWS::KMS::Key"))),
            Map.entry("AwsCloudTrailTrail", new Deployed(List.of("aws_cloudtrail"), List.of("AWS::CloudTrail::Trail"))),
            Map.entry("AwsElbLoadBalancer", new Deployed(List.of("aws_elb"), List.of("AWS::ElasticLoadBalancing::LoadBalancer"))),
            Map.entry("AwsElbv2LoadBalancer", new Deployed(List.of("aws_lb", "aws_alb"),
                    List.of("AWS::ElasticLoadBalancingV2::LoadBalancer"))),
            Map.entry("AwsEksCluster", new Deployed(List.of("aws_eks_cluster"), List.of("AWS::EKS::Cluster"))),
            Map.entry("AwsEcrRepository", new Deployed(List.of("aws_ecr_repository"), List.of("AWS::ECR::Repository"))),
            Map.entry("AwsEcsCluster", new Deployed(List.of("aws_ecs_cluster"), List.of("AWS::ECS::Cluster"))),
            Map.entry("AwsEcsService", new Deployed(List.of("aws_ecs_service"), List.of("AWS::ECS::Service"))),
            Map.entry("AwsEcsTaskDefinition", new Deployed(List.of("aws_ecs_task_definition"),
                    List.of("AWS::ECS::TaskDefinition"))),
            Map.entry("AwsElasticsearchDomain", new Deployed(List.of("aws_elasticsearch_domain"),
                    List.of("AWS::Elasticsearch::Domain"))),
            Map.entry("AwsOpenSearchServiceDomain", new Deployed(List.of("aws_opensearch_domain"),
                    List.of("AWS::OpenSearchService::Domain"))),
            Map.entry("AwsRedshiftCluster", new Deployed(List.of("aws_redshift_cluster"), List.of("AWS::Redshift::Cluster"))),
            Map.entry("AwsSnsTopic", new Deployed(List.of("aws_sns_topic"), List.of("AWS::SNS::Topic"))),
            Map.entry("AwsSqsQueue", new Deployed(List.of("aws_sqs_queue"), List.of("AWS::SQS::Queue"))),
            Map.entry("AwsDynamoDbTable", new Deployed(List.of("aws_dynamodb_table"), List.of("AWS::DynamoDB::Table"))),
            Map.entry("AwsCloudFrontDistribution", new Deployed(List.of("aws_cloudfront_distribution"),
                    List.of("AWS::CloudFront::Distribution"))),
            Map.entry("AwsAutoScalingAutoScalingGroup", new Deployed(List.of("aws_autoscaling_group"),
                    List.of("AWS::AutoScaling::AutoScalingGroup"))),
            Map.entry("AwsCodeBuildProject", new Deployed(List.of("aws_codebuild_project"), List.of("AWS::CodeBuild::Project"))),
            Map.entry("AwsCloudFormationStack", new Deployed(List.of("aws_cloudformation_stack"),
                    List.of("AWS::CloudFormation::Stack"))),
            Map.entry("AwsSecretsManagerSecret", new Deployed(List.of("aws_secretsmanager_secret"),
                    List.of("AWS::SecretsManager::Secret"))),
            Map.entry("AwsEfsFileSystem", new Deployed(List.of("aws_efs_file_system"), List.of("AWS::EFS::FileSystem"))),
            Map.entry("AwsElastiCacheCacheCluster", new Deployed(List.of("aws_elasticache_cluster"),
                    List.of("AWS::ElastiCache::CacheCluster"))),
            Map.entry("AwsKinesisStream", new Deployed(List.of("aws_kinesis_stream"), List.of("AWS::Kinesis::Stream"))));

    /** {@code service:resource-type} of an ARN → the Security Hub type. {@code service:} for ARNs without a type. */
    private static final Map<String, String> BY_ARN = Map.ofEntries(
            Map.entry("s3:", "AwsS3Bucket"),
            Map.entry("ec2:security-group", "AwsEc2SecurityGroup"),
            Map.entry("ec2:instance", "AwsEc2Instance"),
            Map.entry("ec2:vpc", "AwsEc2Vpc"),
            Map.entry("ec2:subnet", "AwsEc2Subnet"),
            Map.entry("ec2:volume", "AwsEc2Volume"),
            Map.entry("ec2:snapshot", "AwsEc2Snapshot"),
            Map.entry("ec2:network-interface", "AwsEc2NetworkInterface"),
            Map.entry("ec2:launch-template", "AwsEc2LaunchTemplate"),
            Map.entry("ec2:network-acl", "AwsEc2NetworkAcl"),
            Map.entry("ec2:route-table", "AwsEc2RouteTable"),
            Map.entry("rds:db", "AwsRdsDbInstance"),
            Map.entry("rds:cluster", "AwsRdsDbCluster"),
            Map.entry("rds:snapshot", "AwsRdsDbSnapshot"),
            Map.entry("rds:cluster-snapshot", "AwsRdsDbClusterSnapshot"),
            Map.entry("lambda:function", "AwsLambdaFunction"),
            Map.entry("iam:user", "AwsIamUser"),
            Map.entry("iam:role", "AwsIamRole"),
            Map.entry("iam:group", "AwsIamGroup"),
            Map.entry("iam:policy", "AwsIamPolicy"),
            Map.entry("kms:key", "AwsKmsKey"),
            Map.entry("cloudtrail:trail", "AwsCloudTrailTrail"),
            Map.entry("eks:cluster", "AwsEksCluster"),
            Map.entry("ecr:repository", "AwsEcrRepository"),
            Map.entry("es:domain", "AwsElasticsearchDomain"),
            Map.entry("redshift:cluster", "AwsRedshiftCluster"),
            Map.entry("sns:", "AwsSnsTopic"),
            Map.entry("sqs:", "AwsSqsQueue"),
            Map.entry("dynamodb:table", "AwsDynamoDbTable"),
            Map.entry("cloudfront:distribution", "AwsCloudFrontDistribution"),
            Map.entry("autoscaling:autoScalingGroup", "AwsAutoScalingAutoScalingGroup"),
            Map.entry("codebuild:project", "AwsCodeBuildProject"),
            Map.entry("cloudformation:stack", "AwsCloudFormationStack"),
            Map.entry("secretsmanager:secret", "AwsSecretsManagerSecret"),
            Map.entry("elasticfilesystem:file-system", "AwsEfsFileSystem"),
            Map.entry("kinesis:stream", "AwsKinesisStream"));

    private ResourceTypes() {
    }

    /**
     * Whether a block or state resource of {@code iacType} can be the cloud resource {@code r}. Unknown on both
     * sides (another cloud, a type this table does not list): the normalised names must be equal.
     */
    static boolean deploys(CloudResource r, String iacType) {
        Optional<String> asff = securityHubType(r);
        if (asff.isPresent() && AWS.containsKey(asff.get())) {
            Deployed d = AWS.get(asff.get());
            return d.terraform().contains(iacType) || d.cloudFormation().contains(iacType);
        }
        return normalise(asff.orElse(r.type())).equals(normalise(iacType));
    }

    /** The Terraform types that deploy {@code r}, when the table knows its type; empty otherwise. */
    public static List<String> terraform(CloudResource r) {
        return securityHubType(r).map(AWS::get).map(Deployed::terraform).orElse(List.of());
    }

    /** The Security Hub type: the finding's own when the table knows it, else the one its ARN implies. */
    static Optional<String> securityHubType(CloudResource r) {
        if (r.cloud() != Cloud.AWS) {
            return Optional.empty();
        }
        if (AWS.containsKey(r.type())) {
            return Optional.of(r.type());
        }
        return arnType(r.id()).or(() -> r.type().isEmpty() ? Optional.empty() : Optional.of(r.type()));
    }

    private static Optional<String> arnType(String id) {
        String[] parts = id.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn")) {
            return Optional.empty();
        }
        String service = parts[2];
        String rest = parts[5];
        int cut = indexOfAny(rest, '/', ':');
        String type = cut < 0 ? "" : rest.substring(0, cut);
        if (service.equals("elasticloadbalancing") && type.equals("loadbalancer")) {
            return Optional.of(rest.startsWith("loadbalancer/app/") || rest.startsWith("loadbalancer/net/")
                    ? "AwsElbv2LoadBalancer" : "AwsElbLoadBalancer");
        }
        return Optional.ofNullable(BY_ARN.get(service + ":" + type)).or(() -> Optional.ofNullable(BY_ARN.get(service + ":")));
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == a || s.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }

    private static String normalise(String type) {
        return type.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
