package dev.fixgate.patch;

import static dev.fixgate.patch.Fixtures.addr;
import static dev.fixgate.patch.Fixtures.changed;
import static dev.fixgate.patch.Fixtures.file;
import static dev.fixgate.patch.Fixtures.op;
import static dev.fixgate.patch.Fixtures.tf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inputs that break naive splicing: CRLF, tabs, heredocs, non-BMP characters, one-line blocks, no final newline. */
class EdgeCasesTest {

    private static final PatchOperation ROTATE = op("terraform.set_attribute", Map.of("path", "enable_key_rotation", "value", true));
    private static final PatchOperation ENCRYPT = op("cloudformation.set_property", Map.of("path", "Encrypted", "value", true));

    @Test
    void crlfFilesGetCrlfLines() {
        String before = "resource \"aws_kms_key\" \"k\" {\r\n  description = \"k\"\r\n}\r\n";
        assertThat(changed(ROTATE, tf(before), addr("aws_kms_key.k")))
                .isEqualTo("resource \"aws_kms_key\" \"k\" {\r\n  description = \"k\"\r\n\r\n  enable_key_rotation = true\r\n}\r\n");
        String yaml = "Resources:\r\n  V:\r\n    Type: AWS::EC2::Volume\r\n    Properties:\r\n      Size: 10\r\n";
        assertThat(changed(ENCRYPT, file("t.yaml", yaml), addr("V"))).isEqualTo(yaml + "      Encrypted: true\r\n");
    }

    @Test
    void insertsAfterAHeredocNotInsideIt() {
        String before = """
                resource "aws_iam_policy" "p" {
                  name   = "p"
                  policy = <<EOF
                {"Statement": []}
                EOF
                }
                """;
        PatchOperation desc = op("terraform.set_attribute", Map.of("path", "description", "value", "managed"));
        assertThat(changed(desc, tf(before), addr("aws_iam_policy.p"))).isEqualTo(before.replace("EOF\n}", "EOF\n  description = \"managed\"\n}"));
    }

    @Test
    void oneLineBlocksAreOpenedUpAndEmptyOnesFilled() {
        String oneLine = "resource \"aws_kms_key\" \"k\" { description = \"k\" }\n";
        assertThat(changed(ROTATE, tf(oneLine), addr("aws_kms_key.k")))
                .isEqualTo("resource \"aws_kms_key\" \"k\" {\n  description = \"k\"\n  enable_key_rotation = true\n}\n");
        String empty = "resource \"aws_kms_key\" \"k\" {}";
        assertThat(changed(ROTATE, tf(empty), addr("aws_kms_key.k")))
                .isEqualTo("resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = true\n}");
    }

    @Test
    void tabIndentedFilesStayTabIndented() {
        String before = "resource \"aws_kms_key\" \"k\" {\n\tdescription = \"k\"\n}\n";
        assertThat(changed(ROTATE, tf(before), addr("aws_kms_key.k")))
                .isEqualTo("resource \"aws_kms_key\" \"k\" {\n\tdescription = \"k\"\n\n\tenable_key_rotation = true\n}\n");
    }

    @Test
    void charactersOutsideTheBmpDoNotShiftYamlOffsets() {
        String yaml = "# owner: team 🚀🚀 (rockets)\nResources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties:\n"
                + "      Name: \"vol 🚀\"\n      Encrypted: false # 🔒 soon\n";
        assertThat(changed(ENCRYPT, file("t.yaml", yaml), addr("V"))).isEqualTo(yaml.replace("false #", "true #"));
    }

    @Test
    void aFileWithoutFinalNewlineGetsACompanionAfterABlankLine() {
        PatchOperation pab = op("terraform.add_companion_resource", Map.of("type", "aws_s3_bucket_public_access_block",
                "body", Map.of("block_public_acls", true)));
        String before = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}";
        assertThat(changed(pab, tf(before), addr("aws_s3_bucket.b"))).isEqualTo(before
                + "\n\nresource \"aws_s3_bucket_public_access_block\" \"b\" {\n  bucket = aws_s3_bucket.b.id\n\n"
                + "  block_public_acls = true\n}\n");
    }

    @Test
    void jsonTemplatesIndentedWithTabs() {
        String json = "{\n\t\"Resources\": {\n\t\t\"V\": {\n\t\t\t\"Type\": \"AWS::EC2::Volume\",\n\t\t\t\"Properties\": {\n"
                + "\t\t\t\t\"Size\": 10\n\t\t\t}\n\t\t}\n\t}\n}\n";
        PatchResult r = Fixtures.apply(ENCRYPT, file("t.json", json), addr("V"));
        assertThat(r).isInstanceOfSatisfying(PatchResult.Changed.class, c -> assertThat(c.text())
                .isEqualTo(json.replace("\"Size\": 10", "\"Size\": 10,\n\t\t\t\t\"Encrypted\": true")));
        PatchOperation imds = op("cloudformation.set_property", Map.of("path", "MetadataOptions.HttpTokens", "value", "required"));
        assertThat(changed(imds, file("t.json", json), addr("V"))).isEqualTo(json.replace("\"Size\": 10",
                "\"Size\": 10,\n\t\t\t\t\"MetadataOptions\": {\n\t\t\t\t\t\"HttpTokens\": \"required\"\n\t\t\t\t}"));
    }

    @Test
    void aKeepChompedBlockScalarKeepsItsTrailingBlankLine() {
        String yaml = "Resources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties:\n      Note: |+\n        kept\n\n"
                + "Outputs: {}\n";
        assertThat(changed(ENCRYPT, file("t.yaml", yaml), addr("V")))
                .isEqualTo(yaml.replace("kept\n\n", "kept\n\n      Encrypted: true\n"));
    }

    @Test
    void aDuplicateLogicalIdAcrossDocumentsIsAmbiguous() {
        String two = "Resources:\n  V:\n    Type: AWS::EC2::Volume\n---\nResources:\n  V:\n    Type: AWS::EC2::Volume\n";
        assertThat(Fixtures.apply(ENCRYPT, file("t.yaml", two), addr("V"))).isInstanceOfSatisfying(PatchResult.CannotPatch.class,
                c -> {
                    assertThat(c.code()).isEqualTo(Outcomes.AMBIGUOUS);
                    assertThat(c.location().line()).isEqualTo(6);
                });
    }
}
