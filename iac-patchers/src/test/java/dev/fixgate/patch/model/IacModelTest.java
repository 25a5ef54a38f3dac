package dev.fixgate.patch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.patch.PatchException;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.SourceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IacModelTest {

    static SourceFile tf(String path, String text) {
        return new SourceFile(path, text, IacFormat.TERRAFORM);
    }

    static ModelResource one(List<ModelResource> all, String address) {
        return all.stream().filter(r -> r.address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void terraformValuesBlocksAndCompanions() {
        List<ModelResource> all = IacModel.terraform(List.of(tf("main.tf", """
                resource "aws_s3_bucket" "b" {
                  bucket        = var.name
                  force_destroy = true
                  count         = 2
                  acl           = null
                  tags          = { Env = "prod", Owner = local.owner }
                  versioning {
                    enabled = "false"
                  }
                  lifecycle_rule {
                    id = "a"
                  }
                  lifecycle_rule {
                    id = "b"
                  }
                }

                resource "aws_s3_bucket_policy" "p" {
                  bucket = aws_s3_bucket.b[0].id
                  policy = jsonencode({
                    Statement = [{ Effect = "Deny", Condition = { Bool = { "aws:SecureTransport" = "false" } } }]
                  })
                }

                output "arn" {
                  value = aws_s3_bucket.b[0].arn
                }
                """), tf("variables.tf", """
                variable "name" {
                  default = "from-default"
                }
                locals {
                  owner = "team-a"
                }
                """), tf("prod.tfvars", "name = \"from-tfvars\"\n")));

        ModelResource b = one(all, "aws_s3_bucket.b");
        assertThat(b.body()).containsEntry("bucket", "from-tfvars").containsEntry("force_destroy", true)
                .containsEntry("count", 2L).doesNotContainKey("acl");
        assertThat(b.body().get("tags")).isEqualTo(Map.of("Env", "prod", "Owner", "team-a"));
        assertThat(b.body().get("versioning")).isEqualTo(List.of(Map.of("enabled", false)));
        assertThat((List<?>) b.body().get("lifecycle_rule")).hasSize(2);
        assertThat(b.multiplicity()).isEqualTo("count = 2");
        assertThat(b.line()).isEqualTo(1);
        assertThat(b.endLine()).isEqualTo(16);
        assertThat(b.referencedBy()).containsExactly("aws_s3_bucket_policy.p", "output.arn");
        assertThat(b.companions()).containsOnlyKeys("aws_s3_bucket_policy");
        Object policy = b.companions().get("aws_s3_bucket_policy").get(0).get("policy");
        assertThat(policy).isEqualTo("{\"Statement\":[{\"Effect\":\"Deny\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}");
        assertThat(one(all, "aws_s3_bucket_policy.p").body()).containsEntry("bucket", "${aws_s3_bucket.b[0].id}");
    }

    @Test
    void aBlockOfTheSameTextResolvesAgainstItsOwnModulesVariablesLocalsAndTfvars() {
        String bucket = """
                resource "aws_s3_bucket" "b" {
                  bucket = var.name
                  acl    = local.acl
                }
                """;
        // the same block text, read again and again while the module around it changes: never a stale body
        List<List<SourceFile>> modules = List.of(
                List.of(tf("main.tf", bucket), tf("vars.tf", "variable \"name\" { default = \"a\" }\nlocals { acl = \"private\" }\n")),
                List.of(tf("main.tf", bucket), tf("vars.tf", "variable \"name\" { default = \"b\" }\nlocals { acl = \"private\" }\n")),
                List.of(tf("main.tf", bucket), tf("vars.tf", "variable \"name\" { default = \"b\" }\nlocals { acl = \"public-read\" }\n")),
                List.of(tf("main.tf", bucket), tf("vars.tf", "variable \"name\" { default = \"b\" }\nlocals { acl = \"private\" }\n"),
                        tf("prod.tfvars", "name = \"c\"\n")),
                List.of(tf("main.tf", bucket), tf("vars.tf", "variable \"name\" { default = \"a\" }\nlocals { acl = \"private\" }\n")),
                List.of(tf("main.tf", bucket)));
        List<Map<String, Object>> expected = List.of(Map.of("bucket", "a", "acl", "private"),
                Map.of("bucket", "b", "acl", "private"), Map.of("bucket", "b", "acl", "public-read"),
                Map.of("bucket", "c", "acl", "private"), Map.of("bucket", "a", "acl", "private"),
                Map.of("bucket", "${var.name}", "acl", "${local.acl}"));
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < modules.size(); i++) {
                assertThat(one(IacModel.terraform(modules.get(i)), "aws_s3_bucket.b").body()).as("module " + i)
                        .isEqualTo(expected.get(i));
            }
        }
    }

    @Test
    void ambiguousVariablesStayUnevaluated() {
        List<ModelResource> all = IacModel.terraform(List.of(tf("main.tf", """
                resource "aws_ebs_volume" "v" {
                  encrypted = var.enc
                }
                variable "enc" {
                  default = true
                }
                """), tf("a.tfvars", "enc = false\n"), tf("b.tfvars", "enc = true\n")));
        assertThat(one(all, "aws_ebs_volume.v").body()).containsEntry("encrypted", "${var.enc}");
    }

    @Test
    void cloudFormationIntrinsicsInLongFormAndReferences() {
        List<ModelResource> all = IacModel.cloudFormation(new SourceFile("t.yaml", """
                AWSTemplateFormatVersion: "2010-09-09"
                Resources:
                  Vpc:
                    Type: AWS::EC2::VPC
                    Properties:
                      CidrBlock: 10.0.0.0/16
                      EnableDnsSupport: true
                  Logs:
                    Type: AWS::EC2::FlowLog
                    Properties:
                      ResourceId: !Ref Vpc
                      ResourceType: VPC
                      LogDestination: !GetAtt Bucket.Arn
                  Bucket:
                    Type: AWS::S3::Bucket
                    Properties:
                      BucketName: !Sub "${AWS::StackName}-logs"
                Outputs:
                  VpcId:
                    Value: !Ref Vpc
                """, IacFormat.CLOUDFORMATION_YAML));
        ModelResource vpc = one(all, "Vpc");
        assertThat(vpc.body()).containsEntry("CidrBlock", "10.0.0.0/16").containsEntry("EnableDnsSupport", true);
        assertThat(vpc.referencedBy()).containsExactly("Logs", "Outputs.VpcId");
        assertThat(vpc.companions().get("AWS::EC2::FlowLog")).hasSize(1);
        assertThat(one(all, "Logs").body()).containsEntry("ResourceId", Map.of("Ref", "Vpc"))
                .containsEntry("LogDestination", Map.of("Fn::GetAtt", List.of("Bucket", "Arn")));
        assertThat(one(all, "Bucket").referencedBy()).containsExactly("Logs");
        assertThat(vpc.line()).isEqualTo(3);
    }

    @Test
    void parseErrorsNameTheFileAndLine() {
        assertThatThrownBy(() -> IacModel.terraform(List.of(tf("bad.tf", "resource \"a\" \"b\" {\n  x = \n"))))
                .isInstanceOf(PatchException.class).hasMessageContaining("cannot parse")
                .satisfies(e -> assertThat(((PatchException) e).location().orElseThrow().source()).isEqualTo("bad.tf"));
    }
}
