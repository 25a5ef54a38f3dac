package dev.fixgate.patch.terraform;

import static dev.fixgate.patch.Fixtures.addr;
import static dev.fixgate.patch.Fixtures.apply;
import static dev.fixgate.patch.Fixtures.changed;
import static dev.fixgate.patch.Fixtures.op;
import static dev.fixgate.patch.Fixtures.tf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.patch.Fixtures;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeclareVariableTest {

    private static final PatchOperation OP = op("terraform.declare_variable",
            Map.of("name", "access_logs_bucket", "description", "Where access logs go"));

    private static final String USES = """
            resource "aws_s3_bucket_logging" "b" {
              bucket        = aws_s3_bucket.b.id
              target_bucket = var.access_logs_bucket
            }
            """;

    @Test
    void aVariableTheModuleUsesButLacksIsDeclaredWithoutADefault() {
        assertThat(changed(OP, tf(USES), addr("aws_s3_bucket_logging.b"))).isEqualTo(USES + """

                variable "access_logs_bucket" {
                  description = "Where access logs go"
                  type        = string
                }
                """);
    }

    @Test
    void itGoesIntoTheModulesVariablesFile() {
        var vars = Fixtures.file("variables.tf", "variable \"region\" {\n  type = string\n}\n");
        PatchResult r = OP.apply(tf(USES), addr("aws_s3_bucket_logging.b"), new PatchContext(List.of(vars)));
        assertThat(r).isInstanceOfSatisfying(PatchResult.Changed.class, c -> {
            assertThat(c.text()).isEqualTo(USES);
            assertThat(c.otherFiles()).singleElement().satisfies(f -> assertThat(f.text()).isEqualTo("""
                    variable "region" {
                      type = string
                    }

                    variable "access_logs_bucket" {
                      description = "Where access logs go"
                      type        = string
                    }
                    """));
        });
    }

    @Test
    void nothingWhenDeclaredElsewhereOrNotUsed() {
        var vars = Fixtures.file("variables.tf", "variable \"access_logs_bucket\" {}\n");
        assertThat(OP.apply(tf(USES), addr("aws_s3_bucket_logging.b"), new PatchContext(List.of(vars))))
                .isInstanceOf(PatchResult.AlreadyCompliant.class);
        assertThat(apply(OP, tf(USES.replace("var.access_logs_bucket", "\"central-logs\"")), addr("aws_s3_bucket_logging.b")))
                .isInstanceOf(PatchResult.AlreadyCompliant.class);
    }
}
