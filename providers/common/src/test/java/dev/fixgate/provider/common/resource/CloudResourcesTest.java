package dev.fixgate.provider.common.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CloudResourcesTest {

    @ParameterizedTest(name = "{0} {1} -> {4}")
    @CsvSource(delimiter = '|', value = {
        // id | type | account | region | canonical id
        "arn:aws:s3:::logs | AwsS3Bucket | 111111111111 | us-east-1 | arn:aws:s3:::logs",
        "logs | AwsS3Bucket | 111111111111 | us-east-1 | arn:aws:s3:::logs",
        "logs | AWS::S3::Bucket | '' | '' | arn:aws:s3:::logs",
        "logs | aws_s3_bucket | '' | cn-north-1 | arn:aws-cn:s3:::logs",
        "AWS::::Account:111111111111 | AwsAccount | 111111111111 | us-east-1 | arn:aws:iam::111111111111:root",
        "111111111111 | AwsAccount | '' | '' | arn:aws:iam::111111111111:root",
        "i-0abc | Other | 111111111111 | eu-west-1 | arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc",
        "sg-0abc | AwsEc2SecurityGroup | 111111111111 | eu-west-1 | arn:aws:ec2:eu-west-1:111111111111:security-group/sg-0abc",
        "db1 | AwsRdsDbInstance | 111111111111 | eu-west-1 | arn:aws:rds:eu-west-1:111111111111:db:db1",
        "db1 | aws_db_instance | 111111111111 | eu-west-1 | arn:aws:rds:eu-west-1:111111111111:db:db1",
        "fn | AwsLambdaFunction | 111111111111 | eu-west-1 | arn:aws:lambda:eu-west-1:111111111111:function:fn",
        "alice | AwsIamUser | 111111111111 | us-east-1 | arn:aws:iam::111111111111:user/alice",
        "db1 | AwsRdsDbInstance | '' | eu-west-1 | db1",
        "some thing | AwsS3Bucket | '' | '' | some thing",
        "vol-1 | AwsEc2Volume | '' | '' | vol-1",
    })
    void awsIdsBecomeArns(String id, String type, String account, String region, String canonical) {
        assertThat(CloudResources.aws(id, type, account, region, "").id()).isEqualTo(canonical);
    }

    @Test
    void accountAndRegionComeFromTheArnWhenTheRecordLacksThem() {
        CloudResource r = CloudResources.aws("arn:aws:ec2:eu-west-1:222222222222:vpc/vpc-1", "AwsEc2Vpc", "", "", "");
        assertThat(r.account()).isEqualTo("222222222222");
        assertThat(r.region()).isEqualTo("eu-west-1");
        // A record value is kept: the key is the ARN either way.
        CloudResource kept = CloudResources.aws("arn:aws:ec2:eu-west-1:222222222222:vpc/vpc-1", "AwsEc2Vpc", "", "us-east-1", "");
        assertThat(kept.region()).isEqualTo("us-east-1");
        assertThat(kept.key()).isEqualTo(r.key());
    }

    @Test
    void sameBucketFromThreeSpellingsHasOneKey() {
        String fromSecurityHub = CloudResources.aws("arn:aws:s3:::example", "AwsS3Bucket", "111111111111", "us-east-1", "aws").key();
        String fromProwlerName = CloudResources.aws("example", "AwsS3Bucket", "111111111111", "us-east-1", "").key();
        String fromTerraformType = CloudResources.aws("example", "aws_s3_bucket", "", "", "").key();
        assertThat(fromProwlerName).isEqualTo(fromSecurityHub).isEqualTo(fromTerraformType);
    }

    @Test
    void azureIdsAreCaseInsensitiveAndGiveTheSubscription() {
        CloudResource a = CloudResources.azure("/subscriptions/ABC/resourceGroups/RG/providers/Microsoft.Storage/storageAccounts/st1/",
                "Microsoft.Storage/storageAccounts", "", "westeurope");
        CloudResource b = CloudResources.azure("/subscriptions/abc/resourcegroups/rg/providers/microsoft.storage/storageaccounts/ST1",
                "", "abc", "");
        assertThat(a.account()).isEqualTo("ABC");
        assertThat(a.key()).isEqualTo(b.key());
    }

    @Test
    void gcpFullNamesGiveTheProject() {
        CloudResource r = CloudResources.gcp("//storage.googleapis.com/projects/_/buckets/b", "", "", "");
        assertThat(r.key()).isEqualTo("//storage.googleapis.com/projects/_/buckets/b");
        assertThat(CloudResources.gcp("//compute.googleapis.com/projects/p1/zones/z/instances/i", "", "", "").account())
                .isEqualTo("p1");
    }

    @Test
    void cloudFromProviderNameOrId() {
        assertThat(CloudResources.cloudOf("AWS")).isEqualTo(Cloud.AWS);
        assertThat(CloudResources.cloudOf("Azure")).isEqualTo(Cloud.AZURE);
        assertThat(CloudResources.cloudOf("gcp")).isEqualTo(Cloud.GCP);
        assertThat(CloudResources.cloudOf("kubernetes")).isEqualTo(Cloud.UNKNOWN);
        assertThat(CloudResources.cloudOfId("arn:aws:s3:::b")).isEqualTo(Cloud.AWS);
        assertThat(CloudResources.cloudOfId("/subscriptions/x/resourceGroups/y")).isEqualTo(Cloud.AZURE);
        assertThat(CloudResources.cloudOfId("//storage.googleapis.com/projects/_/buckets/b")).isEqualTo(Cloud.GCP);
        assertThat(CloudResources.cloudOfId("bucket")).isEqualTo(Cloud.UNKNOWN);
    }
}
