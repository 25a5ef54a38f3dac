package dev.fixgate.patch.terraform;

import static dev.fixgate.patch.Fixtures.addr;
import static dev.fixgate.patch.Fixtures.changed;
import static dev.fixgate.patch.Fixtures.op;
import static dev.fixgate.patch.Fixtures.tf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.patch.Fixtures;
import dev.fixgate.patch.Outcomes;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SetAttributeTest {

    private static final PatchOperation ROTATE = op("terraform.set_attribute",
            Map.of("path", "enable_key_rotation", "value", true));

    @Test
    void replacesAWrongValueKeepingTheTrailingCommentAndAlignment() {
        String before = """
                resource "aws_kms_key" "a" {
                  description         = "key a"
                  enable_key_rotation = false # reviewed
                  is_enabled          = true
                }
                """;
        assertThat(changed(ROTATE, tf(before), addr("aws_kms_key.a"))).isEqualTo("""
                resource "aws_kms_key" "a" {
                  description         = "key a"
                  enable_key_rotation = true # reviewed
                  is_enabled          = true
                }
                """);
    }

    @Test
    void addsAMissingAttributeAlignedWithTheRunItJoins() {
        String before = """
                resource "aws_kms_key" "a" {
                  description                = "key a"
                  deletion_window_in_days    = 10 # days

                  timeouts {
                    create = "1m"
                  }
                }
                """;
        assertThat(changed(ROTATE, tf(before), addr("aws_kms_key.a"))).isEqualTo("""
                resource "aws_kms_key" "a" {
                  description                = "key a"
                  deletion_window_in_days    = 10 # days
                  enable_key_rotation        = true

                  timeouts {
                    create = "1m"
                  }
                }
                """);
    }

    @Test
    void startsANewRunWhenTheNameIsTooLongToAlign() {
        String before = """
                resource "aws_kms_key" "a" {
                  description = "key a" # keep me
                }
                """;
        assertThat(changed(ROTATE, tf(before), addr("aws_kms_key.a"))).isEqualTo("""
                resource "aws_kms_key" "a" {
                  description = "key a" # keep me

                  enable_key_rotation = true
                }
                """);
    }

    @Test
    void createsMissingParentBlocks() {
        PatchOperation op = op("terraform.set_attribute", Map.of("path", "versioning.enabled", "value", true));
        String before = """
                resource "aws_s3_bucket" "b" {
                  bucket = "x"
                }
                """;
        assertThat(changed(op, tf(before), addr("aws_s3_bucket.b"))).isEqualTo("""
                resource "aws_s3_bucket" "b" {
                  bucket = "x"

                  versioning {
                    enabled = true
                  }
                }
                """);
    }

    @Test
    void editsInsideAnExistingNestedBlockOnly() {
        PatchOperation op = op("terraform.set_attribute", Map.of("path", "versioning.enabled", "value", true));
        String before = """
                resource "aws_s3_bucket" "b" {
                  bucket = "x"
                  versioning {
                    enabled = false
                  }
                }
                """;
        assertThat(changed(op, tf(before), addr("aws_s3_bucket.b"))).isEqualTo(before.replace("false", "true"));
    }

    @Test
    void writesObjectsForModuleInputs() {
        PatchOperation op = op("terraform.set_attribute",
                Map.of("path", "versioning.enabled", "value", true, "nested_as", "object"));
        String before = """
                module "s3_bucket" {
                  source = "terraform-aws-modules/s3-bucket/aws"
                  bucket = "my-s3-bucket"
                }
                """;
        assertThat(changed(op, tf(before), addr("module.s3_bucket"))).isEqualTo("""
                module "s3_bucket" {
                  source = "terraform-aws-modules/s3-bucket/aws"
                  bucket = "my-s3-bucket"

                  versioning = {
                    enabled = true
                  }
                }
                """);
        String obj = before.replace("  bucket = \"my-s3-bucket\"\n", "  bucket = \"my-s3-bucket\"\n  versioning = { enabled = false }\n");
        assertThat(changed(op, tf(obj), addr("module.s3_bucket"))).contains("versioning = { enabled = true }");
    }

    @Test
    void alreadyCompliantWhenTheValueIsThere() {
        String before = "resource \"aws_kms_key\" \"a\" {\n  enable_key_rotation = true\n}\n";
        assertThat(Fixtures.apply(ROTATE, tf(before), addr("aws_kms_key.a"))).isInstanceOf(PatchResult.AlreadyCompliant.class);
    }

    @Test
    void onlyTheSelectedResourceChanges() {
        String before = """
                resource "aws_kms_key" "a" {
                  enable_key_rotation = false
                }

                resource "aws_kms_key" "b" {
                  enable_key_rotation = false
                }
                """;
        String after = changed(ROTATE, tf(before), addr("aws_kms_key.b"));
        assertThat(after).isEqualTo(before.substring(0, before.lastIndexOf("false")) + "true\n}\n");
    }

    @Test
    void followsAVariableDefaultUsedOnlyHere() {
        String main = "resource \"aws_kms_key\" \"a\" {\n  enable_key_rotation = var.rotate\n}\n";
        String vars = "variable \"rotate\" {\n  type    = bool\n  default = false\n}\n";
        PatchContext ctx = new PatchContext(List.of(new SourceFile("variables.tf", vars, IacFormat.TERRAFORM),
                new SourceFile("providers.tf", "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n", IacFormat.TERRAFORM)));
        PatchResult r = ROTATE.apply(tf(main), addr("aws_kms_key.a"), ctx);
        assertThat(r).isInstanceOfSatisfying(PatchResult.Changed.class, c -> {
            assertThat(c.text()).isEqualTo(main);
            assertThat(c.otherFiles()).singleElement().satisfies(f -> {
                assertThat(f.path()).isEqualTo("variables.tf");
                assertThat(f.text()).isEqualTo(vars.replace("default = false", "default = true"));
            });
        });
    }

    @Test
    void refusesToEditTheDefaultOfWhatLooksLikeAChildModule() {
        String main = "resource \"aws_kms_key\" \"a\" {\n  enable_key_rotation = var.rotate\n}\n";
        String vars = "variable \"rotate\" {\n  default = false\n}\n";
        PatchContext ctx = new PatchContext(List.of(new SourceFile("variables.tf", vars, IacFormat.TERRAFORM)));
        assertThat(ROTATE.apply(tf(main), addr("aws_kms_key.a"), ctx)).isInstanceOfSatisfying(PatchResult.CannotPatch.class,
                c -> assertThat(c.reason()).contains("child module"));
    }

    @Test
    void prefersTheSingleTfvarsThatSetsTheVariable() {
        String main = "resource \"aws_kms_key\" \"a\" {\n  enable_key_rotation = var.rotate\n}\n";
        String vars = "variable \"rotate\" {\n  default = true\n}\n";
        String tfvars = "rotate = false\nregion = \"eu-west-1\"\n";
        PatchContext ctx = new PatchContext(List.of(new SourceFile("variables.tf", vars, IacFormat.TERRAFORM),
                new SourceFile("terraform.tfvars", tfvars, IacFormat.TERRAFORM)));
        PatchResult r = ROTATE.apply(tf(main), addr("aws_kms_key.a"), ctx);
        assertThat(r).isInstanceOfSatisfying(PatchResult.Changed.class, c -> assertThat(c.otherFiles())
                .singleElement().satisfies(f -> assertThat(f.text()).isEqualTo("rotate = true\nregion = \"eu-west-1\"\n")));
    }

    @Test
    void refusesAVariableSharedWithOtherResources() {
        String main = """
                resource "aws_kms_key" "a" {
                  enable_key_rotation = var.rotate
                }
                resource "aws_kms_key" "b" {
                  enable_key_rotation = var.rotate
                }
                variable "rotate" {
                  default = false
                }
                """;
        PatchResult r = Fixtures.apply(ROTATE, tf(main), addr("aws_kms_key.a"));
        assertThat(r).isInstanceOfSatisfying(PatchResult.CannotPatch.class, c -> {
            assertThat(c.code()).isEqualTo(Outcomes.VALUE_SHARED);
            assertThat(c.location().line()).isEqualTo(2);
            assertThat(c.reason()).contains("main.tf:5");
        });
    }

    @Test
    void refusesAVariableWithoutDefaultOrTfvars() {
        String main = "resource \"aws_kms_key\" \"a\" {\n  enable_key_rotation = var.rotate\n}\nvariable \"rotate\" {}\n";
        assertThat(Fixtures.apply(ROTATE, tf(main), addr("aws_kms_key.a"))).isInstanceOfSatisfying(
                PatchResult.CannotPatch.class, c -> assertThat(c.code()).isEqualTo(Outcomes.VALUE_FROM_VARIABLE));
    }

    @Test
    void refusesExpressions() {
        String main = "resource \"aws_kms_key\" \"a\" {\n  enable_key_rotation = var.env == \"prod\"\n}\n";
        assertThat(Fixtures.apply(ROTATE, tf(main), addr("aws_kms_key.a"))).isInstanceOfSatisfying(
                PatchResult.CannotPatch.class, c -> assertThat(c.code()).isEqualTo(Outcomes.VALUE_IS_EXPRESSION));
    }

    @Test
    void locatesByAttributeAndByLine() {
        String before = """
                resource "aws_s3_bucket" "a" {
                  bucket = "alpha"
                }
                resource "aws_s3_bucket" "b" {
                  bucket = "beta"
                }
                """;
        PatchOperation acl = op("terraform.set_attribute", Map.of("path", "acl", "value", "private"));
        assertThat(changed(acl, tf(before), new ResourceSelector.ByAttribute("aws_s3_bucket", "bucket", "beta")))
                .isEqualTo(before.replace("\"beta\"\n", "\"beta\"\n  acl    = \"private\"\n"));
        assertThat(changed(acl, tf(before), new ResourceSelector.ByLine(2)))
                .isEqualTo(before.replace("\"alpha\"\n", "\"alpha\"\n  acl    = \"private\"\n"));
    }

    @Test
    void instanceAddressesMustAgreeWithCountOrForEach() {
        String before = "resource \"aws_kms_key\" \"a\" {\n  count = 2\n}\n";
        assertThat(Fixtures.apply(ROTATE, tf(before), addr("module.keys.aws_kms_key.a[1]")))
                .isInstanceOfSatisfying(PatchResult.Changed.class, c -> assertThat(c.summary()).contains("every instance"));
        assertThat(Fixtures.apply(ROTATE, tf(before), addr("aws_kms_key.a[\"x\"]")))
                .isInstanceOfSatisfying(PatchResult.CannotPatch.class,
                        c -> assertThat(c.code()).isEqualTo(Outcomes.RESOURCE_NOT_FOUND));
    }
}
