package dev.fixgate.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.patch.cloudformation.CfnDocument;
import dev.fixgate.patch.model.IacModel;
import dev.fixgate.patch.terraform.HclDocument;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.SourceFile;
import org.junit.jupiter.api.Test;

/**
 * Hostile repository content: each case is a file an attacker can commit to any repository the App is installed on.
 * None may take the process down; each is refused with {@link InputLimits#INPUT_LIMIT} and says which limit.
 */
class InputLimitsTest {

    /** "Billion laughs": nine levels of nine aliases, 9^9 = 387,420,489 nodes from a file of about 1 KB. */
    static String aliasBomb() {
        StringBuilder sb = new StringBuilder("AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  a0: &a0 [lol]\n");
        for (int i = 1; i <= 9; i++) {
            sb.append("  a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                sb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            sb.append("]\n");
        }
        sb.append("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *a9\n");
        return sb.toString();
    }

    @Test
    void aYamlAliasBombIsRefusedBeforeItIsExpanded() {
        String bomb = aliasBomb();

        assertThatThrownBy(() -> CfnDocument.parse("template.yaml", bomb, false))
                .isInstanceOfSatisfying(PatchException.class, e -> {
                    assertThat(e.code()).isEqualTo(InputLimits.INPUT_LIMIT);
                    assertThat(e.getMessage()).isEqualTo(
                            "template exceeds the limit of 1000000 YAML nodes once its aliases are expanded");
                    assertThat(e.location()).hasValueSatisfying(l -> assertThat(l.source()).isEqualTo("template.yaml"));
                });
        assertThatThrownBy(() -> IacModel.cloudFormation(new SourceFile("template.yaml", bomb, IacFormat.CLOUDFORMATION_YAML)))
                .isInstanceOf(PatchException.class).hasMessageContaining("once its aliases are expanded");
    }

    @Test
    void aFewAliasesInAnOrdinaryTemplateAreFine() {
        String template = """
                Resources:
                  A:
                    Type: AWS::S3::Bucket
                    Properties:
                      Tags: &tags
                        - {Key: team, Value: data}
                  B:
                    Type: AWS::S3::Bucket
                    Properties:
                      Tags: *tags
                """;
        assertThat(CfnDocument.parse("t.yaml", template, false).resources()).hasSize(2);
    }

    @Test
    void anAliasToItsOwnAncestorIsRefused() {
        String loop = "Resources:\n  A: &a\n    Type: AWS::S3::Bucket\n    Properties: {Self: *a}\n";
        assertThatThrownBy(() -> CfnDocument.parse("t.yaml", loop, false)).isInstanceOf(PatchException.class)
                .hasMessage("template has a YAML alias to a node that contains it (*a): it never ends when expanded");
    }

    @Test
    void a100kDeepJsonTemplateIsRefusedWithoutAStackOverflow() {
        String deep = "{\"Resources\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThatThrownBy(() -> CfnDocument.parse("template.json", deep, true))
                .isInstanceOfSatisfying(PatchException.class, e -> {
                    assertThat(e.code()).isEqualTo(InputLimits.INPUT_LIMIT);
                    assertThat(e.getMessage()).isEqualTo("template exceeds the nesting limit of 100 levels");
                });
    }

    @Test
    void a100kDeepYamlBlockTemplateIsRefused() {
        StringBuilder sb = new StringBuilder("Resources:\n");
        for (int i = 0; i < 100_000; i++) {
            sb.append("- ");
        }
        sb.append("x\n");
        assertThatThrownBy(() -> CfnDocument.parse("t.yaml", sb.toString(), false)).isInstanceOf(PatchException.class)
                .hasMessage("template exceeds the nesting limit of 100 levels");
    }

    @Test
    void a100kDeepTerraformFileIsRefusedBeforeTheParserSeesIt() {
        String deep = "resource \"aws_s3_bucket\" \"b\" {\n  x = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n}\n";
        assertThatThrownBy(() -> HclDocument.parse("main.tf", deep))
                .isInstanceOfSatisfying(PatchException.class, e -> {
                    assertThat(e.code()).isEqualTo(InputLimits.INPUT_LIMIT);
                    assertThat(e.getMessage()).isEqualTo("Terraform file exceeds the nesting limit of 100 levels");
                    assertThat(e.location()).hasValueSatisfying(l -> assertThat(l.line()).isEqualTo(2));
                });
    }

    @Test
    void interpolationsNestInsideStringsAndHeredocs() {
        String inString = "x = \"" + "${\"".repeat(200) + "\"\n";
        assertThat(InputLimits.hclDepth(inString, 1_000).levels()).isGreaterThan(100);
        String inHeredoc = "x = <<EOT\n" + "${[".repeat(80) + "\nEOT\n";
        assertThat(InputLimits.hclDepth(inHeredoc, 1_000).levels()).isEqualTo(161); // the heredoc, then 80 × ${ [
    }

    @Test
    void bracesInStringsCommentsAndHeredocTextAreNotNesting() {
        String tf = """
                # {{{{{{{{{{ [[[[[[[[
                // ((((((((((((
                /* {{{{{{{{{{{ */
                resource "aws_iam_policy" "p" {
                  name   = "{{{{[[[[(((("
                  escape = "$${not an interpolation {{{{"
                  policy = <<-EOT
                    {"Statement": [{"Effect": "Allow", "Action": ["s3:*"], "Resource": "${var.arn}"}]}
                    {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{
                  EOT
                  tags = { Name = "x" }
                }
                """;
        // the resource block, the heredoc and the one interpolation in it
        assertThat(InputLimits.hclDepth(tf, 1_000).levels()).isEqualTo(3);
        assertThatCode(() -> HclDocument.parse("main.tf", tf)).doesNotThrowAnyException();
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedUnread() {
        String huge = "# " + "x".repeat(InputLimits.MAX_CHARS) + "\n";
        assertThatThrownBy(() -> HclDocument.parse("main.tf", huge)).isInstanceOf(PatchException.class)
                .hasMessageStartingWith("Terraform file exceeds the size limit of 4194304 characters");
        assertThatThrownBy(() -> CfnDocument.parse("t.yaml", huge, false)).isInstanceOf(PatchException.class)
                .hasMessageStartingWith("template exceeds the size limit");
    }
}
