package dev.fixgate.app.locate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way locate finds a cloud resource's code, in its order, and what it refuses to guess. */
class FindingLocatorTest {

    private static final PlaybookCatalog CATALOG = PlaybookCatalog.builtIn();
    private static final Playbook S3_VERSIONING = CATALOG.byId("s3_bucket_versioning").orElseThrow();
    private static final Playbook DEFAULT_SG = CATALOG.byId("default_sg_restrict_all").orElseThrow();
    private static final Playbook SSH = CATALOG.byId("sg_no_public_ssh").orElseThrow();
    private static final Playbook IMDSV2 = CATALOG.byId("ec2_imdsv2_instance").orElseThrow();
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path repo;

    private void write(String path, String text) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static Finding finding(String type, String arn, Map<String, String> tags) {
        CloudResource r = new CloudResource(Cloud.AWS, "111111111111", "us-east-1", type, arn, tags);
        return new Finding("securityhub", "sh-" + arn, new ControlId("aws.test.control"), "X.1", Severity.HIGH, "HIGH",
                r, "t", true, NOW, NOW, SourceLocation.of("findings.json"));
    }

    private static Finding finding(String type, String arn) {
        return finding(type, arn, Map.of());
    }

    private CloudMap map(String config) {
        return CloudMap.of(RepoScan.of(repo), "acme/infra", RepoConfigLoader.parse("t", config), StateSources.localOnly());
    }

    private CloudMap map() {
        return map("");
    }

    private static String state(String... resources) {
        return "{\"version\": 4, \"terraform_version\": \"1.6.2\", \"serial\": 1, \"lineage\": \"x\", \"outputs\": {},"
                + " \"resources\": [" + String.join(",", resources) + "]}";
    }

    private static String resource(String module, String type, String name, String... instances) {
        return "{" + (module.isEmpty() ? "" : "\"module\": \"" + module.replace("\"", "\\\"") + "\", ")
                + "\"mode\": \"managed\", \"type\": \"" + type + "\", \"name\": \"" + name + "\","
                + " \"provider\": \"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\","
                + " \"instances\": [" + String.join(",", instances) + "]}";
    }

    private static String instance(String key, String id, String arn, String... more) {
        StringBuilder a = new StringBuilder("\"id\": \"" + id + "\"");
        if (!arn.isEmpty()) {
            a.append(", \"arn\": \"").append(arn).append("\"");
        }
        for (int i = 0; i + 1 < more.length; i += 2) {
            a.append(", \"").append(more[i]).append("\": \"").append(more[i + 1]).append("\"");
        }
        return "{" + (key.isEmpty() ? "" : "\"index_key\": " + key + ", ") + "\"schema_version\": 0, \"attributes\": {"
                + a + ", \"password\": \"do-not-log-me\"}, \"sensitive_attributes\": []}";
    }

    private static RepoScan.Located found(FindingLocator.Result r) {
        assertThat(r).isInstanceOf(FindingLocator.Result.Found.class);
        return ((FindingLocator.Result.Found) r).located();
    }

    private static String via(FindingLocator.Result r) {
        return ((FindingLocator.Result.Found) r).via();
    }

    private static FindingLocator.Result.NotFound notFound(FindingLocator.Result r) {
        assertThat(r).isInstanceOf(FindingLocator.Result.NotFound.class);
        return (FindingLocator.Result.NotFound) r;
    }

    // ---- 1. Terraform state ----

    @Test
    void theStateMapsAnIdToAModuleBlockThroughLocalModuleCalls() throws IOException {
        write("live/main.tf", """
                module "network" {
                  source   = "../modules/network"
                  for_each = toset(["eu"])
                }
                module "vendor_vpc" {
                  source = "terraform-aws-modules/vpc/aws"
                }
                """);
        write("modules/network/main.tf", """
                module "vpc" {
                  source = "./vpc"
                }
                """);
        write("modules/network/vpc/main.tf", """
                resource "aws_security_group" "bastion" {
                  count = 2
                  name  = "bastion-${count.index}"
                  ingress {
                    from_port   = 22
                    to_port     = 22
                    protocol    = "tcp"
                    cidr_blocks = ["0.0.0.0/0"]
                  }
                }
                """);
        write("live/terraform.tfstate", state(
                resource("module.network[\"eu\"].module.vpc", "aws_security_group", "bastion",
                        instance("0", "sg-0aaa", "arn:aws:ec2:eu-west-1:111111111111:security-group/sg-0aaa"),
                        instance("1", "sg-0bbb", "arn:aws:ec2:eu-west-1:111111111111:security-group/sg-0bbb")),
                resource("module.vendor_vpc", "aws_security_group", "this",
                        instance("", "sg-0ccc", "arn:aws:ec2:eu-west-1:111111111111:security-group/sg-0ccc"))));
        CloudMap map = map();

        FindingLocator.Result second = FindingLocator.locate(map,
                finding("AwsEc2SecurityGroup", "arn:aws:ec2:eu-west-1:111111111111:security-group/sg-0bbb"), SSH);
        FindingLocator.Result vendored = FindingLocator.locate(map,
                finding("AwsEc2SecurityGroup", "arn:aws:ec2:eu-west-1:111111111111:security-group/sg-0ccc"), SSH);

        assertThat(found(second).resource().file()).isEqualTo("modules/network/vpc/main.tf");
        assertThat(found(second).resource().address()).isEqualTo("aws_security_group.bastion");
        assertThat(via(second)).isEqualTo("terraform state live/terraform.tfstate: "
                + "module.network[\"eu\"].module.vpc.aws_security_group.bastion[1]");
        assertThat(notFound(vendored).code()).isEqualTo(FindingLocator.NOT_IN_CODE);
        assertThat(notFound(vendored).reason()).contains("module.vendor_vpc comes from terraform-aws-modules/vpc/aws",
                "not from this repository");
        assertThat(map.problems()).isEmpty();
        assertThat(map.toString()).doesNotContain("do-not-log-me");
    }

    @Test
    void anArnIsTheResourceAndAnIdAloneCountsOnlyForATypeThatDeploysIt() throws IOException {
        write("main.tf", """
                resource "aws_s3_bucket" "logs" {
                  bucket = "acme-logs-${var.env}"
                }
                resource "aws_s3_bucket_versioning" "logs" {
                  bucket = aws_s3_bucket.logs.id
                  versioning_configuration { status = "Enabled" }
                }
                resource "aws_s3_bucket" "legacy" {
                  bucket = "acme-legacy"
                }
                resource "aws_s3_bucket_public_access_block" "legacy" {
                  bucket = aws_s3_bucket.legacy.id
                }
                """);
        // the versioning resource's id is the bucket's name too; only the bucket has the ARN
        write("terraform.tfstate", state(
                resource("", "aws_s3_bucket", "logs", instance("", "acme-logs-prod", "arn:aws:s3:::acme-logs-prod")),
                resource("", "aws_s3_bucket_versioning", "logs", instance("", "acme-logs-prod", "")),
                resource("", "aws_s3_bucket", "legacy", instance("", "acme-legacy", "")),
                resource("", "aws_s3_bucket_public_access_block", "legacy", instance("", "acme-legacy", ""))));
        CloudMap map = map();

        FindingLocator.Result logs = FindingLocator.locate(map, finding("AwsS3Bucket", "arn:aws:s3:::acme-logs-prod"),
                S3_VERSIONING);
        // a state written by an old provider without the arn attribute: the id, for the bucket type only
        // (the public access block playbook fixes both types: only the type table tells the bucket from its satellite)
        FindingLocator.Result legacy = FindingLocator.locate(map, finding("AwsS3Bucket", "arn:aws:s3:::acme-legacy"),
                CATALOG.byId("s3_bucket_public_access_block").orElseThrow());

        assertThat(found(logs).resource().address()).isEqualTo("aws_s3_bucket.logs");
        assertThat(via(logs)).isEqualTo("terraform state terraform.tfstate: aws_s3_bucket.logs");
        assertThat(found(legacy).resource().address()).isEqualTo("aws_s3_bucket.legacy");
    }

    @Test
    void aVpcsDefaultSecurityGroupIsFoundAtTheVpcThatOwnsIt() throws IOException {
        write("network.tf", """
                resource "aws_vpc" "main" {
                  cidr_block = "10.0.0.0/16"
                }
                """);
        write("terraform.tfstate", state(resource("", "aws_vpc", "main", instance("", "vpc-0f00",
                "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-0f00", "default_security_group_id", "sg-0def"))));

        FindingLocator.Result r = FindingLocator.locate(map(),
                finding("AwsEc2SecurityGroup", "arn:aws:ec2:us-east-1:111111111111:security-group/sg-0def"), DEFAULT_SG);

        assertThat(found(r).resource().address()).isEqualTo("aws_vpc.main");
        assertThat(via(r)).isEqualTo("terraform state terraform.tfstate: aws_vpc.main (owns it as default_security_group_id)");
    }

    @Test
    void theStatesAnswerIsFinalWhenItsTypeIsNotOneTheFixAppliesTo() throws IOException {
        write("main.tf", """
                resource "aws_instance" "acme-data" {
                  ami = "ami-1"
                }
                resource "aws_s3_bucket" "acme-data" {
                  bucket = "acme-data"
                }
                """);
        write("terraform.tfstate", state(resource("", "aws_instance", "acme-data", instance("", "i-0abc",
                "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc"))));

        FindingLocator.Result r = FindingLocator.locate(map(),
                finding("AwsEc2Instance", "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc"), S3_VERSIONING);

        assertThat(notFound(r).code()).isEqualTo(FindingLocator.NOT_FIXED_HERE);
        assertThat(notFound(r).reason()).contains("aws_instance.acme-data", "a aws_instance");
    }

    @Test
    void twoStatesClaimingOneIdForDifferentBlocksAreAmbiguousWithTheCandidates() throws IOException {
        write("blue/main.tf", "resource \"aws_instance\" \"web\" {\n  ami = \"ami-1\"\n}\n");
        write("green/main.tf", "resource \"aws_instance\" \"web\" {\n  ami = \"ami-2\"\n}\n");
        String arn = "arn:aws:ec2:us-east-1:111111111111:instance/i-0dup";
        write("blue/terraform.tfstate", state(resource("", "aws_instance", "web", instance("", "i-0dup", arn))));
        write("green/terraform.tfstate.d/prod/terraform.tfstate",
                state(resource("", "aws_instance", "web", instance("", "i-0dup", arn))));

        FindingLocator.Result r = FindingLocator.locate(map(), finding("AwsEc2Instance", arn), IMDSV2);

        assertThat(notFound(r).code()).isEqualTo(FindingLocator.AMBIGUOUS);
        assertThat(notFound(r).reason()).isEqualTo("ambiguous: 2 resources match " + arn + ": "
                + "blue/main.tf aws_instance.web (blue/terraform.tfstate: aws_instance.web), "
                + "green/main.tf aws_instance.web (green/terraform.tfstate.d/prod/terraform.tfstate (workspace prod):"
                + " aws_instance.web)");
    }

    @Test
    void twoCopiesOfOneStateNamingTheSameBlockAreOneAnswer() throws IOException {
        write("main.tf", "resource \"aws_instance\" \"web\" {\n  ami = \"ami-1\"\n}\n");
        String arn = "arn:aws:ec2:us-east-1:111111111111:instance/i-0one";
        write("terraform.tfstate", state(resource("", "aws_instance", "web", instance("", "i-0one", arn))));
        write("terraform.tfstate.d/staging/terraform.tfstate",
                state(resource("", "aws_instance", "web", instance("", "i-0one", arn))));

        FindingLocator.Result r = FindingLocator.locate(map(), finding("AwsEc2Instance", arn), IMDSV2);

        assertThat(found(r).resource().address()).isEqualTo("aws_instance.web");
        assertThat(via(r)).contains("terraform.tfstate: aws_instance.web",
                "terraform.tfstate.d/staging/terraform.tfstate (workspace staging): aws_instance.web");
    }

    @Test
    void anUnreadableStateStopsMatchingByNameAloneButNotByTrace() throws IOException {
        write("main.tf", """
                resource "aws_s3_bucket" "acme-data" {
                  bucket = "acme-data"
                  tags = {
                    yor_trace = "0874007d-903a-4b4c-945f-c9c233e13243"
                  }
                }
                """);
        write("terraform.tfstate", "{\"version\": 4, \"resources\": [ {\"password\": hunter2 ]}");
        CloudMap map = map();

        FindingLocator.Result byName = FindingLocator.locate(map, finding("AwsS3Bucket", "arn:aws:s3:::acme-data"),
                S3_VERSIONING);
        FindingLocator.Result byTrace = FindingLocator.locate(map, finding("AwsS3Bucket", "arn:aws:s3:::acme-data",
                Map.of("yor_trace", "0874007d-903a-4b4c-945f-c9c233e13243")), S3_VERSIONING);

        assertThat(notFound(byName).code()).isEqualTo(FindingLocator.STATE_UNREADABLE);
        assertThat(notFound(byName).reason()).contains("terraform.tfstate:1:", "not valid JSON",
                "a match by name alone is not trusted").doesNotContain("hunter2");
        assertThat(found(byTrace).resource().address()).isEqualTo("aws_s3_bucket.acme-data");
        assertThat(map.problems()).singleElement().satisfies(p -> assertThat(p.blocking()).isTrue());
    }

    // ---- 2. Yor tags ----

    @Test
    void yorsTraceFindsTheBlockWhateverItsNameAndFormat() throws IOException {
        write("terraform/ec2.tf", """
                resource "aws_instance" "web_host" {
                  ami = "ami-1"
                  tags = merge({
                    Name = "${local.prefix}-ec2"
                    }, {
                    git_file  = "terraform/ec2.tf"
                    git_repo  = "infra"
                    yor_trace = "347af3cd-4f70-4632-aca3-4d5e30ffc0b6"
                  })
                }
                resource "aws_instance" "other" {
                  ami = "ami-2"
                  tags = { yor_trace = "11111111-2222-3333-4444-555555555555" }
                }
                """);
        write("cfn/app.yaml", """
                AWSTemplateFormatVersion: "2010-09-09"
                Resources:
                  Worker:
                    Type: AWS::EC2::Instance
                    Properties:
                      ImageId: ami-3
                      Tags:
                        - Key: yor_trace
                          Value: 9b45b298-c1ea-426a-9644-610780021eaa
                """);
        CloudMap map = map();

        FindingLocator.Result tf = FindingLocator.locate(map, finding("AwsEc2Instance",
                "arn:aws:ec2:us-east-1:111111111111:instance/i-0123", Map.of("yor_trace",
                        "347af3cd-4f70-4632-aca3-4d5e30ffc0b6")), IMDSV2);
        FindingLocator.Result unknown = FindingLocator.locate(map, finding("AwsEc2Instance",
                "arn:aws:ec2:us-east-1:111111111111:instance/i-0456", Map.of("yor_trace",
                        "00000000-0000-0000-0000-000000000000")), IMDSV2);
        FindingLocator.Result cfn = FindingLocator.locate(map, finding("AwsEc2Instance",
                "arn:aws:ec2:us-east-1:111111111111:instance/i-0789", Map.of("yor_trace",
                        "9b45b298-c1ea-426a-9644-610780021eaa")), (f, t) -> t.equals("AWS::EC2::Instance"), "instances");

        assertThat(found(tf).resource().address()).isEqualTo("aws_instance.web_host");
        assertThat(via(tf)).isEqualTo("yor_trace 347af3cd-4f70-4632-aca3-4d5e30ffc0b6");
        assertThat(notFound(unknown).reason()).contains("no block carries yor_trace 00000000-0000-0000-0000-000000000000");
        assertThat(found(cfn).resource().address()).isEqualTo("Worker");
    }

    @Test
    void yorsGitFileAndNameFindTheBlockAndAnotherRepositorysTagsAreNotGuessedAt() throws IOException {
        write("terraform/s3.tf", """
                resource "aws_s3_bucket" "data" {
                  bucket = "${local.prefix}-data"
                }
                resource "aws_s3_bucket" "logs" {
                  bucket = "${local.prefix}-logs"
                }
                """);
        write("other/s3.tf", "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"x\"\n}\n");
        CloudMap map = map();

        FindingLocator.Result byName = FindingLocator.locate(map, finding("AwsS3Bucket", "arn:aws:s3:::acme-prod-data",
                Map.of("git_repo", "infra", "git_org", "acme", "git_file", "terraform/s3.tf", "yor_name", "data")),
                S3_VERSIONING);
        FindingLocator.Result elsewhere = FindingLocator.locate(map, finding("AwsS3Bucket", "arn:aws:s3:::acme-prod-data",
                Map.of("git_repo", "payments", "git_file", "terraform/s3.tf", "yor_name", "data")), S3_VERSIONING);

        assertThat(found(byName).resource().file()).isEqualTo("terraform/s3.tf");
        assertThat(found(byName).resource().address()).isEqualTo("aws_s3_bucket.data");
        assertThat(via(byName)).isEqualTo("git_file terraform/s3.tf and its name");
        assertThat(notFound(elsewhere).code()).isEqualTo(FindingLocator.OTHER_REPOSITORY);
        assertThat(notFound(elsewhere).reason()).contains("tagged as deployed from payments");
    }

    @Test
    void tagsObservedInTheCloudCountWhenTheFindingHasNone() throws IOException {
        write("main.tf", """
                resource "aws_s3_bucket" "b" {
                  bucket = "${var.name}"
                  tags   = { yor_trace = "29efcf7b-22a8-4bd6-8e14-1f55b3a2d743" }
                }
                """);
        CloudMap map = map().withObservedTags(r -> r.id().equals("arn:aws:s3:::acme-ops")
                ? Map.of("yor_trace", "29efcf7b-22a8-4bd6-8e14-1f55b3a2d743") : Map.of());

        FindingLocator.Result r = FindingLocator.locate(map, finding("AwsS3Bucket", "arn:aws:s3:::acme-ops"), S3_VERSIONING);

        assertThat(found(r).resource().address()).isEqualTo("aws_s3_bucket.b");
    }

    // ---- 3. CloudFormation stacks ----

    @Test
    void stackTagsFindTheLogicalIdInTheTemplateTheStackMapsTo() throws IOException {
        String template = """
                AWSTemplateFormatVersion: "2010-09-09"
                Resources:
                  DataBucket:
                    Type: AWS::S3::Bucket
                    Properties:
                      BucketName: !Sub "${AWS::StackName}-data"
                """;
        write("cloudformation/data.yaml", template);
        write("cloudformation/data-v2.yaml", template);
        Map<String, String> tags = Map.of("aws:cloudformation:stack-name", "acme-data-eu",
                "aws:cloudformation:logical-id", "DataBucket",
                "aws:cloudformation:stack-id", "arn:aws:cloudformation:eu-west-1:111111111111:stack/acme-data-eu/0a1b");
        Finding bucket = finding("AwsS3Bucket", "arn:aws:s3:::acme-data-eu-data", tags);

        FindingLocator.Result mapped = FindingLocator.locate(map("stacks:\n  \"acme-data-*\": cloudformation/data.yaml\n"),
                bucket, S3_VERSIONING);
        FindingLocator.Result unmapped = FindingLocator.locate(map("stacks:\n  acme-web: cloudformation/data.yaml\n"),
                bucket, S3_VERSIONING);
        FindingLocator.Result twoTemplates = FindingLocator.locate(map("""
                stacks:
                  "acme-data-*": cloudformation/data.yaml
                  "acme-*-eu": cloudformation/data-v2.yaml
                """), bucket, S3_VERSIONING);

        assertThat(found(mapped).resource().file()).isEqualTo("cloudformation/data.yaml");
        assertThat(found(mapped).resource().address()).isEqualTo("DataBucket");
        assertThat(via(mapped)).isEqualTo("stack acme-data-eu → DataBucket");
        assertThat(notFound(unmapped).reason())
                .contains("stack acme-data-eu is not mapped to a template under stacks: in .github/fixgate.yml");
        assertThat(notFound(twoTemplates).code()).isEqualTo(FindingLocator.AMBIGUOUS);
        assertThat(notFound(twoTemplates).reason()).isEqualTo("ambiguous: 2 resources match arn:aws:s3:::acme-data-eu-data: "
                + "cloudformation/data-v2.yaml DataBucket, cloudformation/data.yaml DataBucket"); // sorted
    }

    // ---- 4. names, as before ----

    @Test
    void twoBlocksWithTheNameAreAmbiguousWithTheCandidates() throws IOException {
        write("prod/s3.tf", "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"acme-shared\"\n}\n");
        write("staging/s3.tf", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"acme-shared\"\n}\n");

        FindingLocator.Result r = FindingLocator.locate(map(), finding("AwsS3Bucket", "arn:aws:s3:::acme-shared"),
                S3_VERSIONING);

        assertThat(notFound(r).code()).isEqualTo(FindingLocator.AMBIGUOUS);
        assertThat(notFound(r).reason()).isEqualTo("ambiguous: 2 resources match arn:aws:s3:::acme-shared: "
                + "prod/s3.tf aws_s3_bucket.a, staging/s3.tf aws_s3_bucket.b");
    }

    @Test
    void namesOnlyIsWhatLocateDidBefore() throws IOException {
        write("main.tf", "resource \"aws_instance\" \"web\" {\n  ami = \"ami-1\"\n  tags = { yor_trace = \"t-1\" }\n}\n");
        String arn = "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc";
        write("terraform.tfstate", state(resource("", "aws_instance", "web", instance("", "i-0abc", arn))));
        Finding traced = finding("AwsEc2Instance", "arn:aws:ec2:us-east-1:111111111111:instance/i-0def",
                Map.of("yor_trace", "t-1"));
        CloudMap names = CloudMap.namesOnly(RepoScan.of(repo));

        assertThat(FindingLocator.locate(names, finding("AwsEc2Instance", arn), IMDSV2))
                .isInstanceOf(FindingLocator.Result.NotFound.class);
        assertThat(FindingLocator.locate(names, traced, IMDSV2)).isInstanceOf(FindingLocator.Result.NotFound.class);
        assertThat(FindingLocator.locate(map(), finding("AwsEc2Instance", arn), IMDSV2))
                .isInstanceOf(FindingLocator.Result.Found.class);
        assertThat(FindingLocator.locate(map(), traced, IMDSV2)).isInstanceOf(FindingLocator.Result.Found.class);
    }

    @Test
    void aRepositoryWithoutStateIsNeverReadTwiceAndReportsNothing() throws IOException {
        write("main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"acme-b\"\n}\n");
        CloudMap map = map();
        assertThat(map.stateRead()).isFalse();

        FindingLocator.Result r = FindingLocator.locate(map, finding("AwsS3Bucket", "arn:aws:s3:::acme-b"), S3_VERSIONING);

        assertThat(found(r).resource().address()).isEqualTo("aws_s3_bucket.b");
        assertThat(via(r)).isEqualTo("name acme-b");
        assertThat(map.stateRead()).isTrue();
        assertThat(map.problems()).isEmpty();
        assertThat(map.stateInstances()).isZero();
    }
}
