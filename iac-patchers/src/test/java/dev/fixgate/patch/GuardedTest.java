package dev.fixgate.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guards every operation accepts: whether the finding's condition holds decides whether the edit applies. */
class GuardedTest {

    private static final Map<String, Object> ACL_PRIVATE = Map.of("attribute", "acl",
            "value", List.of("public-read", "public-read-write"), "replacement", "private");

    private static final Map<String, Object> OVERRIDING = Map.of("type", "aws_s3_bucket_public_access_block",
            "owner_attribute", "bucket", "attributes", Map.of("block_public_acls", "true", "ignore_public_acls", "true"));

    private static PatchOperation aclFix(String guard, Object value) {
        Map<String, Object> params = new LinkedHashMap<>(ACL_PRIVATE);
        params.put(guard, value);
        return Fixtures.op("terraform.replace_list_element", params);
    }

    private static String bucketAndBlock(String blockAcls) {
        return """
                resource "aws_s3_bucket" "b" {
                  bucket = "logs"
                  acl    = "public-read"
                }

                resource "aws_s3_bucket_public_access_block" "b" {
                  bucket             = aws_s3_bucket.b.id
                  block_public_acls  = %s
                  ignore_public_acls = %s
                }
                """.formatted(blockAcls, blockAcls);
    }

    @Test
    void onlyIfCompanionAppliesWhereTheCompanionHasTheValues() {
        PatchOperation op = aclFix("only_if_companion", OVERRIDING);
        ResourceSelector bucket = new ResourceSelector.ByAddress("aws_s3_bucket.b");

        PatchResult overridden = op.apply(Fixtures.tf(bucketAndBlock("true")), bucket, PatchContext.none());
        PatchResult notOverridden = op.apply(Fixtures.tf(bucketAndBlock("false")), bucket, PatchContext.none());

        assertThat(overridden).isInstanceOfSatisfying(PatchResult.Changed.class,
                c -> assertThat(c.text()).contains("acl    = \"private\""));
        assertThat(notOverridden).isInstanceOfSatisfying(PatchResult.AlreadyCompliant.class,
                a -> assertThat(a.reason()).contains("does not apply", "aws_s3_bucket_public_access_block"));
    }

    @Test
    void theCompanionIsFoundThroughTheResourceTheTargetBelongsTo() {
        String text = """
                resource "aws_s3_bucket" "b" {
                  bucket = "logs"
                }

                resource "aws_s3_bucket_acl" "b" {
                  bucket = aws_s3_bucket.b.id
                  acl    = "public-read"
                }
                """;
        String block = """

                resource "aws_s3_bucket_public_access_block" "b" {
                  bucket             = aws_s3_bucket.b.id
                  block_public_acls  = true
                  ignore_public_acls = true
                }
                """;
        PatchOperation op = aclFix("only_if_companion", OVERRIDING);
        ResourceSelector acl = new ResourceSelector.ByAddress("aws_s3_bucket_acl.b");

        assertThat(op.apply(Fixtures.tf(text), acl, PatchContext.none())).isInstanceOf(PatchResult.AlreadyCompliant.class);
        // The access block may live in another file of the module.
        PatchContext module = new PatchContext(List.of(Fixtures.file("s3_block.tf", block)));
        assertThat(op.apply(Fixtures.tf(text), acl, module)).isInstanceOf(PatchResult.Changed.class);
    }

    @Test
    void onlyIfReadsTheTargetsOwnAttributes() {
        String module = """
                module "s3" {
                  source            = "terraform-aws-modules/s3-bucket/aws"
                  acl               = "public-read"
                  block_public_acls = %s
                }
                """;
        PatchOperation op = aclFix("only_if", Map.of("block_public_acls", "true"));
        ResourceSelector target = new ResourceSelector.ByAddress("module.s3");

        assertThat(op.apply(Fixtures.tf(module.formatted("true")), target, PatchContext.none()))
                .isInstanceOf(PatchResult.Changed.class);
        assertThat(op.apply(Fixtures.tf(module.formatted("false")), target, PatchContext.none()))
                .isInstanceOfSatisfying(PatchResult.AlreadyCompliant.class,
                        a -> assertThat(a.reason()).contains("block_public_acls is false"));
        assertThat(op.apply(Fixtures.tf(module.formatted("true").replace("  block_public_acls = true\n", "")), target,
                PatchContext.none())).isInstanceOfSatisfying(PatchResult.AlreadyCompliant.class,
                        a -> assertThat(a.reason()).contains("not set"));
    }

    @Test
    void malformedGuardsAreParameterErrors() {
        assertThatThrownBy(() -> aclFix("only_if_companion", Map.of("type", "x")))
                .isInstanceOf(PatchException.class).hasMessageContaining("only_if_companion");
        assertThatThrownBy(() -> aclFix("only_if", List.of("x")))
                .isInstanceOf(PatchException.class).hasMessageContaining("only_if");
    }

    @Test
    void theCompanionGuardRefusesCloudFormation() {
        PatchOperation op = Fixtures.op("cloudformation.set_property", Map.of("path", "VersioningConfiguration.Status",
                "value", "Enabled", "only_if_companion", OVERRIDING));
        SourceFile cfn = Fixtures.file("t.yaml", "Resources:\n  B:\n    Type: AWS::S3::Bucket\n");
        assertThat(op.apply(cfn, new ResourceSelector.ByAddress("B"), PatchContext.none()))
                .isInstanceOfSatisfying(PatchResult.CannotPatch.class, c -> assertThat(c.code()).isEqualTo("patch.not-applicable"));
    }

    @Test
    void aStarDotPatternMatchesBySuffix() {
        assertThat(Guarded.matches(List.of("*.amazonaws.com"), "s3.amazonaws.com")).isTrue();
        assertThat(Guarded.matches(List.of("*.amazonaws.com"), "*")).isFalse();
        assertThat(Guarded.matches(List.of("*.amazonaws.com"), "123456789012")).isFalse();
        assertThat(Guarded.matches(List.of("*.amazonaws.com"), "amazonaws.com.evil.example")).isFalse();
        assertThat(Guarded.matches(List.of("*"), "anything")).isTrue();
        assertThat(Guarded.matches(List.of("HTTP"), "HTTPS")).isFalse();
        // a backslash makes the star literal: "principal is *", not "principal is set"
        assertThat(Guarded.matches(List.of("\\*"), "*")).isTrue();
        assertThat(Guarded.matches(List.of("\\*"), "arn:aws:iam::222222222222:root")).isFalse();

        PatchOperation op = Fixtures.op("terraform.set_attribute", Map.of("path", "source_account",
                "value", Map.of("expr", "data.aws_caller_identity.current.account_id"),
                "only_if", Map.of("principal", "*.amazonaws.com")));
        String service = """
                resource "aws_lambda_permission" "p" {
                  principal = "s3.amazonaws.com"
                }
                """;
        ResourceSelector p = new ResourceSelector.ByAddress("aws_lambda_permission.p");
        assertThat(Fixtures.changed(op, Fixtures.tf(service), p)).contains("source_account = data.aws_caller_identity.current.account_id");
        assertThat(Fixtures.apply(op, Fixtures.tf(service.replace("s3.amazonaws.com", "*")), p))
                .isInstanceOf(PatchResult.AlreadyCompliant.class);
    }
}
