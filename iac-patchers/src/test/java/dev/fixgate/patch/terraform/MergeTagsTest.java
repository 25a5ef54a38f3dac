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

class MergeTagsTest {

    private static final PatchOperation TAGS = op("terraform.merge_tags",
            Map.of("tags", new java.util.TreeMap<>(Map.of("Owner", "platform", "cost-center", "42"))));

    @Test
    void addsMissingKeysToALiteralMapKeepingExistingValues() {
        String before = """
                resource "aws_lambda_function" "f" {
                  function_name = "f"
                  tags = {
                    Name  = "f"
                    Owner = "someone-else"
                  }
                }
                """;
        assertThat(changed(TAGS, tf(before), addr("aws_lambda_function.f"))).isEqualTo("""
                resource "aws_lambda_function" "f" {
                  function_name = "f"
                  tags = {
                    Name  = "f"
                    Owner = "someone-else"

                    cost-center = "42"
                  }
                }
                """);
    }

    @Test
    void addsATagsMapWhenThereIsNone() {
        String before = "resource \"aws_efs_file_system\" \"fs\" {\n  encrypted = true\n}\n";
        assertThat(changed(TAGS, tf(before), addr("aws_efs_file_system.fs"))).isEqualTo("""
                resource "aws_efs_file_system" "fs" {
                  encrypted = true
                  tags = {
                    Owner       = "platform"
                    cost-center = "42"
                  }
                }
                """);
    }

    @Test
    void keysFromProviderDefaultTagsCountAsPresent() {
        String before = "resource \"aws_efs_file_system\" \"fs\" {\n  encrypted = true\n}\n";
        String providers = """
                provider "aws" {
                  default_tags {
                    tags = {
                      Owner       = "platform"
                      cost-center = "42"
                    }
                  }
                }
                """;
        PatchContext ctx = new PatchContext(List.of(new SourceFile("providers.tf", providers, IacFormat.TERRAFORM)));
        assertThat(TAGS.apply(tf(before), addr("aws_efs_file_system.fs"), ctx))
                .isInstanceOf(PatchResult.AlreadyCompliant.class);
        PatchContext aliased = new PatchContext(List.of(new SourceFile("providers.tf",
                providers.replace("provider \"aws\" {", "provider \"aws\" {\n  alias = \"west\""), IacFormat.TERRAFORM)));
        assertThat(TAGS.apply(tf(before), addr("aws_efs_file_system.fs"), aliased)).isInstanceOf(PatchResult.Changed.class);
    }

    @Test
    void refusesComputedTags() {
        String before = "resource \"aws_efs_file_system\" \"fs\" {\n  tags = merge(local.tags, { a = \"b\" })\n}\n";
        assertThat(Fixtures.apply(TAGS, tf(before), addr("aws_efs_file_system.fs"))).isInstanceOfSatisfying(
                PatchResult.CannotPatch.class, c -> assertThat(c.code()).isEqualTo(Outcomes.VALUE_IS_EXPRESSION));
    }
}
