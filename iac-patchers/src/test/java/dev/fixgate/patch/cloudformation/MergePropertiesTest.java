package dev.fixgate.patch.cloudformation;

import static dev.fixgate.patch.Fixtures.addr;
import static dev.fixgate.patch.Fixtures.changed;
import static dev.fixgate.patch.Fixtures.file;
import static dev.fixgate.patch.Fixtures.op;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.patch.Fixtures;
import dev.fixgate.patch.Outcomes;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergePropertiesTest {

    static final PatchOperation PAB = op("cloudformation.merge_properties", Map.of("properties",
            Map.of("PublicAccessBlockConfiguration", ordered("BlockPublicAcls", true, "BlockPublicPolicy", true,
                    "IgnorePublicAcls", true, "RestrictPublicBuckets", true))));

    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void addsAMissingBlockKeepingCommentsIntrinsicsAndFoldedScalars() {
        String before = """
                AWSTemplateFormatVersion: "2010-09-09"
                Conditions:
                  IsProd: !Equals [!Ref Env, prod]
                Resources:
                  # the logs bucket
                  Logs:
                    Type: AWS::S3::Bucket
                    Condition: IsProd
                    Properties:
                      BucketName: !Sub "${AWS::StackName}-logs" # named per stack
                      Description: >
                        folded text
                        over lines
                      LoggingConfiguration:
                        DestinationBucketName: !If [IsProd, !Ref Other, !Ref "AWS::NoValue"]
                  Other:
                    Type: AWS::S3::Bucket
                """;
        assertThat(changed(PAB, file("t.yaml", before), addr("Logs"))).isEqualTo(before.replace("""
                        DestinationBucketName: !If [IsProd, !Ref Other, !Ref "AWS::NoValue"]
                """, """
                        DestinationBucketName: !If [IsProd, !Ref Other, !Ref "AWS::NoValue"]
                      PublicAccessBlockConfiguration:
                        BlockPublicAcls: true
                        BlockPublicPolicy: true
                        IgnorePublicAcls: true
                        RestrictPublicBuckets: true
                """));
    }

    @Test
    void mergesIntoAnExistingMappingChangingOnlyWrongValues() {
        String before = """
                Resources:
                  Bucket13:
                    Type: AWS::S3::Bucket
                    Properties:
                      PublicAccessBlockConfiguration:
                        BlockPublicAcls: false
                        BlockPublicPolicy     : true
                        IgnorePublicAcls      : 'false'
                """;
        assertThat(changed(PAB, file("t.yaml", before), addr("Bucket13"))).isEqualTo("""
                Resources:
                  Bucket13:
                    Type: AWS::S3::Bucket
                    Properties:
                      PublicAccessBlockConfiguration:
                        BlockPublicAcls: true
                        BlockPublicPolicy     : true
                        IgnorePublicAcls      : 'true'
                        RestrictPublicBuckets: true
                """);
    }

    @Test
    void fillsAnEmptyPropertiesKeyAndWorksPerDocument() {
        String before = """
                Resources:
                  A:
                    Type: AWS::S3::Bucket
                    Properties:
                ---
                Resources:
                  B:
                    Type: AWS::S3::Bucket
                    Properties:
                      PublicAccessBlockConfiguration: { BlockPublicAcls: false }
                """;
        String a = changed(PAB, file("t.yaml", before), addr("A"));
        assertThat(a).startsWith("""
                Resources:
                  A:
                    Type: AWS::S3::Bucket
                    Properties:
                      PublicAccessBlockConfiguration:
                        BlockPublicAcls: true
                """).endsWith(before.substring(before.indexOf("---")));
        String b = changed(PAB, file("t.yaml", before), new ResourceSelector.ByLine(10));
        assertThat(b).isEqualTo(before.replace("{ BlockPublicAcls: false }",
                "{ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true }"));
    }

    @Test
    void editsJsonInItsOwnIndentation() {
        String before = """
                {
                  "Resources": {
                    "Bucket": {
                      "Type": "AWS::S3::Bucket",
                      "Properties": {
                        "BucketName": "b"
                      }
                    }
                  }
                }
                """;
        assertThat(changed(PAB, file("t.json", before), addr("Bucket"))).isEqualTo("""
                {
                  "Resources": {
                    "Bucket": {
                      "Type": "AWS::S3::Bucket",
                      "Properties": {
                        "BucketName": "b",
                        "PublicAccessBlockConfiguration": {
                          "BlockPublicAcls": true,
                          "BlockPublicPolicy": true,
                          "IgnorePublicAcls": true,
                          "RestrictPublicBuckets": true
                        }
                      }
                    }
                  }
                }
                """);
        String noProps = before.replace(",\n      \"Properties\": {\n        \"BucketName\": \"b\"\n      }", "");
        assertThat(changed(PAB, file("t.json", noProps), addr("Bucket")))
                .contains("\"Type\": \"AWS::S3::Bucket\",\n      \"Properties\": {\n        \"PublicAccessBlockConfiguration\": {\n");
    }

    @Test
    void setsANestedPropertyInALaunchTemplate() {
        PatchOperation imds = op("cloudformation.set_property",
                Map.of("path", "LaunchTemplateData.MetadataOptions.HttpTokens", "value", "required"));
        String before = """
                Resources:
                  LT:
                    Type: AWS::EC2::LaunchTemplate
                    Properties:
                      LaunchTemplateData:
                        ImageId: !Ref AmiId
                        MetadataOptions:
                          HttpEndpoint: enabled
                          HttpTokens: optional # IMDSv1
                """;
        assertThat(changed(imds, file("t.yaml", before), addr("LT"))).isEqualTo(before.replace("optional #", "required #"));
    }

    @Test
    void refusesIntrinsicValuesAndSharedAnchors() {
        String ref = """
                Resources:
                  DB:
                    Type: AWS::RDS::DBInstance
                    Properties:
                      StorageEncrypted: !Ref Encrypt
                """;
        PatchOperation enc = op("cloudformation.set_property", Map.of("path", "StorageEncrypted", "value", true));
        assertThat(Fixtures.apply(enc, file("t.yaml", ref), addr("DB"))).isInstanceOfSatisfying(
                PatchResult.CannotPatch.class, c -> {
                    assertThat(c.code()).isEqualTo(Outcomes.VALUE_FROM_VARIABLE);
                    assertThat(c.location().line()).isEqualTo(5);
                });
        String anchors = """
                Resources:
                  A:
                    Type: AWS::S3::Bucket
                    Properties: &props
                      BucketName: a
                  B:
                    Type: AWS::S3::Bucket
                    Properties: *props
                """;
        assertThat(Fixtures.apply(PAB, file("t.yaml", anchors), addr("A"))).isInstanceOfSatisfying(
                PatchResult.CannotPatch.class, c -> assertThat(c.code()).isEqualTo(Outcomes.VALUE_SHARED));
    }

    @Test
    void keepsAnExistingNonEmptyListAndLocatesByPhysicalName() {
        PatchOperation sse = op("cloudformation.merge_properties", Map.of("properties", Map.of("BucketEncryption",
                Map.of("ServerSideEncryptionConfiguration", List.of(Map.of("ServerSideEncryptionByDefault",
                        Map.of("SSEAlgorithm", "AES256")))))));
        String kms = """
                Resources:
                  A:
                    Type: AWS::S3::Bucket
                    Properties:
                      BucketName: alpha
                      BucketEncryption:
                        ServerSideEncryptionConfiguration:
                          - ServerSideEncryptionByDefault:
                              SSEAlgorithm: aws:kms
                  B:
                    Type: AWS::S3::Bucket
                    Properties:
                      BucketName: beta
                """;
        assertThat(Fixtures.apply(sse, file("t.yaml", kms), new ResourceSelector.ByAttribute("AWS::S3::Bucket", "BucketName", "alpha")))
                .isInstanceOf(PatchResult.AlreadyCompliant.class);
        assertThat(changed(sse, file("t.yaml", kms), new ResourceSelector.ByAttribute("AWS::S3::Bucket", "BucketName", "beta")))
                .isEqualTo(kms + """
                      BucketEncryption:
                        ServerSideEncryptionConfiguration:
                          - ServerSideEncryptionByDefault:
                              SSEAlgorithm: AES256
                """);
    }

    @Test
    void everythingElseSurvivesByteForByte() {
        String before = """
                Transform: AWS::Serverless-2016-10-31
                Conditions:
                  IsProd: !Equals [!Ref Env, prod]
                Globals:
                  Function: &fn-defaults
                    Runtime: python3.12
                    Timeout: 30
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      <<: *fn-defaults
                      Role: !GetAtt [Role, Arn]
                      Environment:
                        Variables: {TABLE: !Ref Table, MODE: "fast"}
                  Logs:
                    Type: AWS::S3::Bucket
                    Condition: IsProd
                    DeletionPolicy: Retain
                    Properties:
                      BucketName:
                        Fn::Join: ["-", [!Ref "AWS::StackName", logs]]
                      LifecycleConfiguration: {Rules: [{Status: Enabled, ExpirationInDays: 30}]}
                      NotificationConfiguration:
                        Fn::If:
                          - IsProd
                          - {TopicConfigurations: []}
                          - !Ref AWS::NoValue
                      Tags: # owners
                        - Key: team
                          Value: |
                            platform
                            security

                Outputs:
                  Arn:
                    Value: !GetAtt Logs.Arn
                """;
        String after = changed(PAB, file("t.yaml", before), addr("Logs"));
        assertThat(after).isEqualTo(before.replace("""
                            security

                """, """
                            security
                      PublicAccessBlockConfiguration:
                        BlockPublicAcls: true
                        BlockPublicPolicy: true
                        IgnorePublicAcls: true
                        RestrictPublicBuckets: true

                """));
        // the literal block keeps its value: the blank line after it was never part of it
        assertThat(dev.fixgate.patch.corpus.CfnModelAccess.tagValue(after, "Logs")).isEqualTo("platform\nsecurity\n");
        // the Globals anchor is used by Fn, but Logs is not the anchored node: editing it is fine; editing
        // the anchored mapping itself is refused (see refusesIntrinsicValuesAndSharedAnchors)
        PatchOperation timeout = op("cloudformation.set_property", Map.of("path", "MemorySize", "value", 512));
        assertThat(changed(timeout, file("t.yaml", before), addr("Fn")))
                .contains("      Environment:\n        Variables: {TABLE: !Ref Table, MODE: \"fast\"}\n      MemorySize: 512\n");
    }

    @Test
    void unparsableTemplateIsATypedErrorWithItsLine() {
        String bad = "Resources:\n  A:\n    Type: [unclosed\n";
        assertThat(Fixtures.apply(PAB, file("t.yaml", bad), addr("A"))).isInstanceOfSatisfying(
                PatchResult.CannotPatch.class, c -> {
                    assertThat(c.code()).isEqualTo(Outcomes.PARSE_ERROR);
                    assertThat(c.location().line()).isGreaterThan(0);
                });
    }

    @Test
    void anIntrinsicReplacesALiteralButAPlainMappingDoesNot() {
        String yaml = """
                Resources:
                  P:
                    Type: AWS::Lambda::Permission
                    Properties:
                      Action: lambda:InvokeFunction
                      Principal: '*'
                """;
        PatchOperation ref = op("cloudformation.set_property", Map.of("path", "Principal",
                "value", Map.of("Ref", "AWS::AccountId")));
        assertThat(changed(ref, file("t.yaml", yaml), addr("P"))).isEqualTo(yaml.replace("Principal: '*'",
                "Principal:\n        Ref: AWS::AccountId"));

        PatchOperation mapping = op("cloudformation.set_property", Map.of("path", "Principal",
                "value", Map.of("AWS", "arn:aws:iam::111111111111:root", "Service", "s3.amazonaws.com")));
        assertThat(Fixtures.apply(mapping, file("t.yaml", yaml), addr("P")))
                .isInstanceOfSatisfying(PatchResult.CannotPatch.class,
                        r -> assertThat(r.reason()).contains("P.Properties.Principal is not a mapping here"));
    }
}
