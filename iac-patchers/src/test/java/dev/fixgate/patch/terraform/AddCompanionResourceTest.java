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
import dev.fixgate.spi.iac.SourceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddCompanionResourceTest {

    static final PatchOperation VERSIONING = op("terraform.add_companion_resource", Map.of(
            "type", "aws_s3_bucket_versioning",
            "body", Map.of("versioning_configuration", Map.of("status", "Enabled")),
            "inline", Map.of("versioning", Map.of("enabled", true)),
            "resource_types", List.of("aws_s3_bucket")));

    private static final String BUCKETS = """
            resource "aws_s3_bucket" "logs" {
              bucket = "my-logs" # keep
            }

            resource "aws_s3_bucket" "data" {
              bucket = "my-data"
            }
            """;

    @Test
    void addsTheCompanionRightAfterTheOwnerReferencingItByExpression() {
        assertThat(changed(VERSIONING, tf(BUCKETS), addr("aws_s3_bucket.logs"))).isEqualTo("""
                resource "aws_s3_bucket" "logs" {
                  bucket = "my-logs" # keep
                }

                resource "aws_s3_bucket_versioning" "logs" {
                  bucket = aws_s3_bucket.logs.id

                  versioning_configuration {
                    status = "Enabled"
                  }
                }

                resource "aws_s3_bucket" "data" {
                  bucket = "my-data"
                }
                """);
    }

    @Test
    void mirrorsCountAndForEach() {
        String counted = "resource \"aws_s3_bucket\" \"b\" {\n  count  = 2\n  bucket = \"b-${count.index}\"\n}\n";
        assertThat(changed(VERSIONING, tf(counted), addr("aws_s3_bucket.b[0]")))
                .contains("  count  = length(aws_s3_bucket.b)\n  bucket = aws_s3_bucket.b[count.index].id\n");
        String each = "resource \"aws_s3_bucket\" \"b\" {\n  for_each = toset([\"a\"])\n  bucket   = each.key\n}\n";
        assertThat(changed(VERSIONING, tf(each), addr("aws_s3_bucket.b[\"a\"]")))
                .contains("  for_each = aws_s3_bucket.b\n  bucket   = each.value.id\n");
    }

    @Test
    void aCompanionAnywhereInTheModuleCountsAndIsCorrectedInPlace() {
        String elsewhere = """
                resource "aws_s3_bucket_versioning" "v" {
                  bucket = aws_s3_bucket.logs.id
                  versioning_configuration {
                    status = "Suspended"
                  }
                }
                """;
        PatchContext ctx = new PatchContext(List.of(new SourceFile("versioning.tf", elsewhere, IacFormat.TERRAFORM)));
        PatchResult r = VERSIONING.apply(tf(BUCKETS), addr("aws_s3_bucket.logs"), ctx);
        assertThat(r).isInstanceOfSatisfying(PatchResult.Changed.class, c -> {
            assertThat(c.text()).isEqualTo(BUCKETS);
            assertThat(c.otherFiles()).singleElement().satisfies(f ->
                    assertThat(f.text()).isEqualTo(elsewhere.replace("Suspended", "Enabled")));
        });
        PatchContext ok = new PatchContext(List.of(new SourceFile("versioning.tf",
                elsewhere.replace("Suspended", "Enabled"), IacFormat.TERRAFORM)));
        assertThat(VERSIONING.apply(tf(BUCKETS), addr("aws_s3_bucket.logs"), ok)).isInstanceOf(PatchResult.AlreadyCompliant.class);
        // a companion of the *other* bucket does not count
        assertThat(VERSIONING.apply(tf(BUCKETS), addr("aws_s3_bucket.data"), ok)).isInstanceOf(PatchResult.Changed.class);
    }

    @Test
    void providerV3ModulesGetTheInlineBlockAndAnInlineBlockIsFixedWhereItIs() {
        String v3 = """
                terraform {
                  required_providers {
                    aws = {
                      source  = "hashicorp/aws"
                      version = "~> 3.0"
                    }
                  }
                }

                resource "aws_s3_bucket" "b" {
                  bucket = "b"
                }
                """;
        assertThat(changed(VERSIONING, tf(v3), addr("aws_s3_bucket.b")))
                .endsWith("  bucket = \"b\"\n\n  versioning {\n    enabled = true\n  }\n}\n");
        String inline = "resource \"aws_s3_bucket\" \"b\" {\n  versioning {\n    enabled = false\n  }\n}\n";
        assertThat(changed(VERSIONING, tf(inline), addr("aws_s3_bucket.b"))).isEqualTo(inline.replace("false", "true"));
    }

    @Test
    void twoCompanionsForOneOwnerAreRefused() {
        String two = BUCKETS + """

                resource "aws_s3_bucket_versioning" "a" {
                  bucket = aws_s3_bucket.logs.id
                }
                resource "aws_s3_bucket_versioning" "b" {
                  bucket = "my-logs"
                }
                """;
        assertThat(Fixtures.apply(VERSIONING, tf(two), addr("aws_s3_bucket.logs"))).isInstanceOfSatisfying(
                PatchResult.CannotPatch.class, c -> assertThat(c.code()).isEqualTo(Outcomes.AMBIGUOUS));
    }
}
